/**
 * Lua script rewriting: `#!lua flags=` shebangs stripped, EVALSHA translated.
 */
import { createHash } from 'node:crypto';
import { argText, type RedisCommand, type Reply } from './commands';

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
// ---------------------------------------------------------------------------
// Lua shebang rewriting
// ---------------------------------------------------------------------------

/**
 * `@upstash/ratelimit` 2.x starts every script with `#!lua flags=allow-key-locking`,
 * an Upstash-only flag: Redis 7 rejects it ("Unexpected flag in script shebang") and
 * fengari cannot parse a shebang at all. We drop the shebang line but keep its newline,
 * so line numbers in Lua error messages still match the client's source.
 *
 * The client addresses scripts by the SHA1 of the ORIGINAL text (ratelimit even
 * hard-codes those hashes), while the backend only knows the stripped text's SHA1,
 * so we remember original -> stripped and translate EVALSHA. An EVALSHA we cannot
 * translate is passed through unchanged: the backend answers NOSCRIPT and the
 * client falls back to EVAL, which teaches us the mapping.
 */
export class ScriptRewriter {
  /** Bounded so a client generating endless distinct scripts cannot grow it forever. */
  private static readonly MAX_ENTRIES = 10_000;
  private readonly strippedShaByOriginal = new Map<string, string>();

  /** Returns the command to send, plus a fix-up for its result. */
  prepare(cmd: RedisCommand): { cmd: RedisCommand; fixResult?: (reply: Reply) => Reply } {
    switch (cmd.name) {
      case 'EVAL':
      case 'EVAL_RO': {
        const script = cmd.args[0];
        if (script === undefined) return { cmd };
        const stripped = this.strip(argText(script));
        return stripped === undefined ? { cmd } : { cmd: { name: cmd.name, args: [stripped, ...cmd.args.slice(1)] } };
      }
      case 'EVALSHA':
      case 'EVALSHA_RO': {
        const sha = cmd.args[0];
        if (sha === undefined) return { cmd };
        return { cmd: { name: cmd.name, args: [this.translate(argText(sha)), ...cmd.args.slice(1)] } };
      }
      case 'SCRIPT': {
        const sub = argText(cmd.args[0] ?? '').toUpperCase();
        if (sub === 'LOAD' && cmd.args[1] !== undefined) {
          const original = argText(cmd.args[1]);
          const stripped = this.strip(original);
          if (stripped === undefined) return { cmd };
          // Upstash answers with the SHA1 of the text it was sent; clients compare it
          // with their own digest, so report the original's, not the stripped one's.
          const originalSha = sha1Hex(original);
          return { cmd: { name: cmd.name, args: [cmd.args[0] ?? sub, stripped] }, fixResult: () => originalSha };
        }
        if (sub === 'EXISTS') {
          return { cmd: { name: cmd.name, args: [cmd.args[0] ?? sub, ...cmd.args.slice(1).map((a) => this.translate(argText(a)))] } };
        }
        return { cmd };
      }
      default:
        return { cmd };
    }
  }

  /** Returns the script without its shebang line, or undefined when there is none. */
  private strip(script: string): string | undefined {
    if (!script.startsWith('#!')) return undefined;
    const newline = script.indexOf('\n');
    const stripped = newline === -1 ? '' : script.slice(newline);
    this.remember(sha1Hex(script), sha1Hex(stripped));
    return stripped;
  }

  private remember(originalSha: string, strippedSha: string): void {
    if (this.strippedShaByOriginal.has(originalSha)) return;
    if (this.strippedShaByOriginal.size >= ScriptRewriter.MAX_ENTRIES) {
      const oldest = this.strippedShaByOriginal.keys().next().value;
      if (oldest !== undefined) this.strippedShaByOriginal.delete(oldest);
    }
    this.strippedShaByOriginal.set(originalSha, strippedSha);
  }

  private translate(sha: string): string {
    return this.strippedShaByOriginal.get(sha.toLowerCase()) ?? sha;
  }
}
