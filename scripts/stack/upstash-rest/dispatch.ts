/**
 * Runs parsed commands: refuses the ones a shared, stateless REST endpoint
 * cannot serve, rewrites Lua scripts for the backend, and fixes up their replies.
 */
import { type Arg, argText, type Backend, type Outcome, type RedisCommand, TransactionAbortedError } from './commands';
import { ScriptRewriter } from './scripts';

/**
 * Commands refused on both backends. Over a stateless REST API, connection-state
 * commands are meaningless, and on the real backend they would corrupt the single
 * connection that every request shares; blocking commands would stall that
 * connection for everyone. Upstash refuses most of these too.
 */
const REFUSED_COMMANDS = new Set([
  'MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH',
  'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE',
  'MONITOR', 'SYNC', 'PSYNC', 'QUIT', 'RESET', 'SELECT', 'AUTH', 'HELLO', 'SHUTDOWN',
  'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BLMOVE', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP',
  'WAIT', 'WAITAOF',
]);

function refusalReason(cmd: RedisCommand): string | undefined {
  const refused =
    REFUSED_COMMANDS.has(cmd.name) ||
    // XREAD/XREADGROUP only block with the BLOCK option (which precedes STREAMS, after
    // which come key names); CLIENT REPLY OFF would make the shared connection go silent.
    ((cmd.name === 'XREAD' || cmd.name === 'XREADGROUP') && hasOptionBefore(cmd.args, 'BLOCK', 'STREAMS')) ||
    (cmd.name === 'CLIENT' && argText(cmd.args[0] ?? '').toUpperCase() === 'REPLY');
  return refused ? `ERR Command is not available: '${cmd.name.toLowerCase()}'` : undefined;
}

function hasOptionBefore(args: Arg[], option: string, stopAt: string): boolean {
  for (const arg of args) {
    const word = argText(arg).toUpperCase();
    if (word === stopAt) return false;
    if (word === option) return true;
  }
  return false;
}

export interface Dispatcher {
  runCommand(cmd: RedisCommand): Promise<Outcome>;
  /** Rejects with TransactionAbortedError when a command is refused (nothing runs). */
  runTransaction(cmds: RedisCommand[]): Promise<Outcome[]>;
}

export function createDispatcher(backend: Backend): Dispatcher {
  const scripts = new ScriptRewriter();

  // Not async on purpose: the caller (run()/pipeline map) relies on the backend call
  // being issued synchronously, so pipelined commands reach Redis in request order.
  function runCommand(cmd: RedisCommand): Promise<Outcome> {
    const refusal = refusalReason(cmd);
    if (refusal) return Promise.resolve({ error: refusal });
    const prepared = scripts.prepare(cmd);
    const pending = backend.run(prepared.cmd);
    const { fixResult } = prepared;
    return fixResult ? pending.then((o) => ('result' in o ? { result: fixResult(o.result) } : o)) : pending;
  }

  async function runTransaction(cmds: RedisCommand[]): Promise<Outcome[]> {
    const refusal = cmds.map(refusalReason).find((r) => r !== undefined);
    if (refusal) throw new TransactionAbortedError(`EXECABORT Transaction discarded because of previous errors. (${refusal})`);
    const prepared = cmds.map((cmd) => scripts.prepare(cmd));
    const outcomes = await backend.runTransaction(prepared.map((p) => p.cmd));
    return outcomes.map((o, i) => {
      const fixResult = prepared[i]?.fixResult;
      return fixResult && 'result' in o ? { result: fixResult(o.result) } : o;
    });
  }

  return { runCommand, runTransaction };
}
