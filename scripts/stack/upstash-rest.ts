/**
 * Local stand-in for the Upstash Redis REST API.
 *
 * `@upstash/redis` and `@upstash/ratelimit` only speak HTTP (they run inside
 * Cloudflare workerd, which has no TCP Redis client), so the dev stack and the
 * tests need something that answers the Upstash REST protocol locally. This is
 * dev tooling only: no TLS, a single shared bearer token, no ACLs.
 *
 * Protocol summary (mirrors what `@upstash/redis` 1.x sends and expects):
 *   POST /             body `["SET","k","v","EX",10]`   -> `{"result": ...}` | 400 `{"error": "..."}`
 *   GET|POST /set/k/v  command in the path (curl style); a POST body is appended as the last argument
 *   POST /pipeline     body `[[...],[...]]`             -> 200 `[{"result"}|{"error"}, ...]`
 *   POST /multi-exec   same body, run as MULTI/EXEC     -> 200 `[{"result"}|{"error"}, ...]`
 *   Header `Upstash-Encoding: base64` -> every string in a result is base64 (numbers/null untouched),
 *   except a top-level "OK", which Upstash leaves as is and the client special-cases.
 *
 * Backends: a real Redis through ioredis (`redisUrl`), or an in-memory ioredis-mock.
 *
 * Known limitation of the memory backend: ioredis-mock runs Lua through fengari and
 * only approximates Redis' Lua <-> RESP conversions. The fixed-window and
 * sliding-window scripts of `@upstash/ratelimit` work on it; the token-bucket script
 * does not (HMGET's nil entries do not become Lua `false`, so the script does
 * arithmetic on nil). Use a real Redis when you need token buckets.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import RedisMock from 'ioredis-mock';

export interface UpstashRestOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind. Default 0 (the OS picks a free port; read it back from `url`). */
  port?: number;
  /** Required bearer token; requests without `Authorization: Bearer <token>` get 401. */
  token: string;
  /** When set, commands go to this Redis via ioredis; otherwise to an in-memory ioredis-mock. */
  redisUrl?: string;
}

export interface UpstashRestServer {
  url: string;
  token: string;
  backend: 'redis' | 'memory';
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------

/** Buffers only appear for raw POST bodies in the path form, where the value may be binary. */
type Arg = string | Buffer;

interface RedisCommand {
  /** Upper-cased command name (see RedisBackend for why upper case matters). */
  name: string;
  args: Arg[];
}

/** A decoded RESP reply. Errors only appear nested (e.g. a Lua script returning a pcall error). */
type Reply = Buffer | string | number | null | Error | Reply[];

type Outcome = { result: Reply } | { error: string };

type JsonValue = string | number | null | JsonValue[];

/** Queue-time failure of a MULTI block: nothing ran, the whole request fails. */
class TransactionAbortedError extends Error {}

interface Backend {
  readonly kind: 'redis' | 'memory';
  run(cmd: RedisCommand): Promise<Outcome>;
  /** Runs the commands atomically; rejects with TransactionAbortedError if nothing ran. */
  runTransaction(cmds: RedisCommand[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

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

function argText(arg: Arg): string {
  return typeof arg === 'string' ? arg : arg.toString('utf8');
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Redis errors start with an upper-case code ("ERR", "WRONGTYPE", "NOSCRIPT"); keep that shape for mock errors too. */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z][A-Z_-]*\s/.test(message) ? message : `ERR ${message}`;
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
class ScriptRewriter {
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

// ---------------------------------------------------------------------------
// Real Redis backend
// ---------------------------------------------------------------------------

/** Converts an ioredis reply (callBuffer mode) into a Reply. */
function fromIoredis(value: unknown): Reply {
  if (value === null || value === undefined) return null;
  // Buffer.isBuffer's type guard narrows poorly when the Workers types are loaded too (repo tsconfig).
  if (Buffer.isBuffer(value)) return value as Buffer;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map(fromIoredis);
  // Only reachable if an ioredis reply transformer ran anyway (hgetall -> object);
  // flatten back to the RESP field/value array the client expects.
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]): Reply[] => [k, fromIoredis(v)]);
  return String(value);
}

class RedisBackend implements Backend {
  readonly kind = 'redis' as const;
  private readonly client: IORedis;

  private constructor(client: IORedis) {
    this.client = client;
  }

  static async connect(redisUrl: string): Promise<RedisBackend> {
    const client = new IORedis(redisUrl, {
      lazyConnect: true,
      // Fail requests quickly while Redis is down instead of queueing them for ages:
      // the HTTP client (and ratelimit's timeout) would give up first anyway.
      maxRetriesPerRequest: 1,
      connectionName: 'upstash-rest-emulator',
    });
    let everReady = false;
    let lastLogged = '';
    client.on('error', (error: Error) => {
      // A failed first connect is reported by the rejection below. Later, ioredis keeps
      // reconnecting on its own: log each distinct failure once, not once per retry.
      if (everReady && error.message !== lastLogged) {
        lastLogged = error.message;
        console.warn(`[upstash-rest] Redis connection error: ${error.message}`);
      }
    });
    client.on('ready', () => {
      everReady = true;
      lastLogged = '';
    });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new Error(`upstash-rest: cannot connect to Redis at ${redactUrl(redisUrl)}: ${errorText(error)}`, { cause: error });
    }
    return new RedisBackend(client);
  }

  // Command names are sent upper-cased on purpose: ioredis looks up its reply and
  // argument transformers by the exact (lower-case) name, e.g. it turns HGETALL's
  // flat array into an object. Upper case sidesteps them and yields the raw RESP
  // reply, which is what the REST protocol returns.
  async run(cmd: RedisCommand): Promise<Outcome> {
    try {
      return { result: fromIoredis(await this.client.callBuffer(cmd.name, ...cmd.args)) };
    } catch (error) {
      return { error: errorText(error) };
    }
  }

  async runTransaction(cmds: RedisCommand[]): Promise<Outcome[]> {
    // ioredis writes MULTI, the queued commands and EXEC in one synchronous batch, so
    // commands from concurrent requests on the shared connection cannot interleave.
    const tx = this.client.multi();
    for (const cmd of cmds) void tx.callBuffer(cmd.name, ...cmd.args);
    let replies: [error: Error | null, result: unknown][] | null;
    try {
      replies = await tx.exec();
    } catch (error) {
      // EXECABORT: a command was rejected at queue time, so nothing ran. ioredis keeps
      // the queue-time errors on `previousErrors`; surface them, the bare EXECABORT
      // message does not say what was wrong.
      const previous = (error as { previousErrors?: unknown }).previousErrors;
      const details = Array.isArray(previous) ? previous.map(errorText).join('; ') : '';
      throw new TransactionAbortedError(details ? `${errorText(error)} (${details})` : errorText(error), { cause: error });
    }
    if (replies === null) throw new TransactionAbortedError('EXECABORT Transaction discarded');
    return replies.map(([error, result]) => (error ? { error: errorText(error) } : { result: fromIoredis(result) }));
  }

  async close(): Promise<void> {
    // The HTTP side is already closed, so there are no callers left for pending replies.
    this.client.disconnect();
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

// ---------------------------------------------------------------------------
// In-memory backend (ioredis-mock)
// ---------------------------------------------------------------------------

/** ioredis-mock exposes every command as a method `<name>` plus `<name>Buffer`; we dispatch by name. */
type MockMethod = (...args: Arg[]) => unknown;

/**
 * Converts an ioredis-mock reply into what real Redis would have answered, because
 * the mock returns JS-isms: objects for HGETALL, NaN where Redis would raise an
 * error, and raw Lua values (booleans, floats) from scripts.
 */
function fromMock(value: unknown, fromLua: boolean): Reply {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value as Buffer;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    if (Number.isInteger(value)) return value;
    // Redis truncates Lua numbers to integers; outside Lua, RESP2 floats are bulk strings.
    return fromLua ? Math.trunc(value) : String(value);
  }
  if (typeof value === 'boolean') return value ? 1 : fromLua ? null : 0;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => fromMock(v, fromLua));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]): Reply[] => [k, fromMock(v, fromLua)]);
  return String(value);
}

/**
 * Where a command's option keywords live, for `normalizeOptionCase`. `from` is the
 * first argument index that may hold an option, or, for commands with a numkeys
 * argument, the index of numkeys (options then start after the keys).
 */
interface OptionGrammar {
  from: number | { numkeysAt: number };
  flags?: readonly string[];
  /** Keywords followed by values, and how many ('numkeys': one per key, e.g. WEIGHTS). */
  withValues?: Readonly<Record<string, number | 'numkeys'>>;
  /** Options precede the data (ZADD scores, GEOADD coordinates): stop at the first non-keyword. */
  leading?: boolean;
}

const EXPIRY_OPTIONS = { EX: 1, PX: 1, EXAT: 1, PXAT: 1 } as const;
const EXPIRE_GRAMMAR: OptionGrammar = { from: 2, flags: ['NX', 'XX', 'GT', 'LT'] };
const SCAN_GRAMMAR: OptionGrammar = { from: 2, withValues: { MATCH: 1, COUNT: 1 } };
const RANGE_BY_SCORE_GRAMMAR: OptionGrammar = { from: 3, flags: ['WITHSCORES'], withValues: { LIMIT: 2 } };
const SET_OPERATION_GRAMMAR: OptionGrammar = { from: { numkeysAt: 0 }, flags: ['WITHSCORES'], withValues: { WEIGHTS: 'numkeys', AGGREGATE: 1 } };
const SET_OPERATION_STORE_GRAMMAR: OptionGrammar = { from: { numkeysAt: 1 }, withValues: { WEIGHTS: 'numkeys', AGGREGATE: 1 } };

/**
 * Commands whose options `@upstash/redis` sends in lower case ("ex", "nx",
 * "withscores", "match"...). Redis accepts any case; ioredis-mock compares against
 * upper case only, so without this `SET k v ex 10` would silently not expire.
 */
const MOCK_OPTION_GRAMMAR: Readonly<Record<string, OptionGrammar>> = {
  SET: { from: 2, flags: ['NX', 'XX', 'GET', 'KEEPTTL'], withValues: EXPIRY_OPTIONS },
  GETEX: { from: 1, flags: ['PERSIST'], withValues: EXPIRY_OPTIONS },
  EXPIRE: EXPIRE_GRAMMAR,
  PEXPIRE: EXPIRE_GRAMMAR,
  EXPIREAT: EXPIRE_GRAMMAR,
  PEXPIREAT: EXPIRE_GRAMMAR,
  ZADD: { from: 1, flags: ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'], leading: true },
  GEOADD: { from: 1, flags: ['NX', 'XX', 'CH'], leading: true },
  ZRANGE: { from: 3, flags: ['BYSCORE', 'BYLEX', 'REV', 'WITHSCORES'], withValues: { LIMIT: 2 } },
  ZRANGEBYSCORE: RANGE_BY_SCORE_GRAMMAR,
  ZREVRANGEBYSCORE: RANGE_BY_SCORE_GRAMMAR,
  ZREVRANGE: { from: 3, flags: ['WITHSCORES'] },
  ZUNION: SET_OPERATION_GRAMMAR,
  ZINTER: SET_OPERATION_GRAMMAR,
  ZUNIONSTORE: SET_OPERATION_STORE_GRAMMAR,
  ZINTERSTORE: SET_OPERATION_STORE_GRAMMAR,
  SCAN: { from: 1, withValues: { MATCH: 1, COUNT: 1, TYPE: 1 } },
  HSCAN: SCAN_GRAMMAR,
  SSCAN: SCAN_GRAMMAR,
  ZSCAN: SCAN_GRAMMAR,
  LPOS: { from: 2, withValues: { RANK: 1, COUNT: 1, MAXLEN: 1 } },
  FLUSHALL: { from: 0, flags: ['ASYNC', 'SYNC'] },
  FLUSHDB: { from: 0, flags: ['ASYNC', 'SYNC'] },
};

/** Upper-cases option keywords only where the grammar puts them, so a value that happens to read "nx" is left alone. */
function normalizeOptionCase(cmd: RedisCommand): RedisCommand {
  const grammar = MOCK_OPTION_GRAMMAR[cmd.name];
  if (!grammar) return cmd;
  const args = [...cmd.args];
  let numkeys = 0;
  let start: number;
  if (typeof grammar.from === 'number') {
    start = grammar.from;
  } else {
    numkeys = Number.parseInt(argText(args[grammar.from.numkeysAt] ?? '0'), 10) || 0;
    start = grammar.from.numkeysAt + 1 + numkeys;
  }
  for (let i = start; i < args.length; i++) {
    const word = argText(args[i] ?? '').toUpperCase();
    if (grammar.flags?.includes(word)) {
      args[i] = word;
      continue;
    }
    const values = grammar.withValues?.[word];
    if (values !== undefined) {
      args[i] = word;
      // AGGREGATE's value is itself a keyword (SUM | MIN | MAX).
      const next = args[i + 1];
      if (word === 'AGGREGATE' && next !== undefined) args[i + 1] = argText(next).toUpperCase();
      i += values === 'numkeys' ? numkeys : values;
      continue;
    }
    if (grammar.leading) break;
  }
  return { name: cmd.name, args };
}

class MemoryBackend implements Backend {
  readonly kind = 'memory' as const;
  private readonly mock: InstanceType<typeof RedisMock>;
  /** ioredis-mock has no SCRIPT command, so SCRIPT LOAD/EXISTS/FLUSH and EVALSHA are ours. */
  private readonly scripts = new Map<string, string>();
  /**
   * Every operation runs under this lock. Mock commands resolve asynchronously, so
   * without it a MULTI block could interleave with other requests; serialising is
   * also closer to Redis' single-threaded execution.
   */
  private tail: Promise<unknown> = Promise.resolve();

  constructor() {
    // ioredis-mock shares data between instances with the same host:port, process-wide;
    // a unique fake host keeps each emulator (e.g. one per test file) isolated.
    this.mock = new RedisMock({ host: `upstash-rest-memory-${randomUUID()}`, port: 6379 });
  }

  run(cmd: RedisCommand): Promise<Outcome> {
    return this.exclusive(() => this.execute(cmd));
  }

  runTransaction(cmds: RedisCommand[]): Promise<Outcome[]> {
    return this.exclusive(async () => {
      // Mirror Redis' queue-time check: an unknown command aborts the whole block.
      const unknown = cmds.find((cmd) => !this.supports(cmd));
      if (unknown) {
        throw new TransactionAbortedError(
          `EXECABORT Transaction discarded because of previous errors. (${this.unknownCommandError(unknown)})`,
        );
      }
      const outcomes: Outcome[] = [];
      for (const cmd of cmds) outcomes.push(await this.execute(cmd));
      return outcomes;
    });
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      // ioredis-mock never drops a host's data from its process-wide map; free it.
      await this.mock.flushall();
      this.mock.disconnect();
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private method(name: string): MockMethod | undefined {
    // Only the `<name>Buffer` variants: they exist for commands alone (never for
    // helpers such as `connect` or `duplicate`) and return Buffers for bulk strings.
    const candidate: unknown = (this.mock as unknown as Record<string, unknown>)[`${name.toLowerCase()}Buffer`];
    return typeof candidate === 'function' ? (candidate as MockMethod) : undefined;
  }

  private supports(cmd: RedisCommand): boolean {
    return ['EVAL', 'EVAL_RO', 'EVALSHA', 'EVALSHA_RO', 'SCRIPT'].includes(cmd.name) || this.method(cmd.name) !== undefined;
  }

  private unknownCommandError(cmd: RedisCommand): string {
    return `ERR unknown command '${cmd.name.toLowerCase()}' (not supported by the in-memory backend; use a real Redis)`;
  }

  private async execute(cmd: RedisCommand): Promise<Outcome> {
    try {
      switch (cmd.name) {
        case 'EVAL':
        case 'EVAL_RO': {
          const [script, ...rest] = cmd.args;
          if (script === undefined) return { error: `ERR wrong number of arguments for '${cmd.name.toLowerCase()}' command` };
          const text = argText(script);
          this.scripts.set(sha1Hex(text), text);
          return await this.evalScript(text, rest);
        }
        case 'EVALSHA':
        case 'EVALSHA_RO': {
          const [sha, ...rest] = cmd.args;
          const text = sha === undefined ? undefined : this.scripts.get(argText(sha).toLowerCase());
          if (text === undefined) return { error: 'NOSCRIPT No matching script. Please use EVAL.' };
          return await this.evalScript(text, rest);
        }
        case 'SCRIPT':
          return this.scriptCommand(cmd.args);
        default: {
          const method = this.method(cmd.name);
          if (!method) return { error: this.unknownCommandError(cmd) };
          const rejected = await this.checkIntegerUpdate(cmd);
          if (rejected) return { error: rejected };
          const value: unknown = await method.apply(this.mock, normalizeOptionCase(cmd).args);
          // The mock does `Number(value) + n` where Redis would reject a non-integer.
          if (typeof value === 'number' && Number.isNaN(value)) return { error: 'ERR value is not an integer or out of range' };
          return { result: fromMock(value, false) };
        }
      }
    } catch (error) {
      // The mock has stub methods for commands it does not implement.
      if (error instanceof Error && error.message.startsWith('Unsupported command')) return { error: this.unknownCommandError(cmd) };
      return { error: errorText(error) };
    }
  }

  /**
   * ioredis-mock's INCR family stores "NaN" over a non-integer value before failing,
   * and happily increments hashes; Redis rejects both and leaves the key untouched.
   * Checked up front so a failed INCR does not corrupt data in dev.
   */
  private async checkIntegerUpdate(cmd: RedisCommand): Promise<string | undefined> {
    const notInteger = 'ERR value is not an integer or out of range';
    const wrongType = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    const isInteger = (value: Arg | null | undefined) => value === null || value === undefined || /^-?\d+$/.test(argText(value));
    const [key, second, third] = cmd.args;
    if (key === undefined) return undefined;
    switch (cmd.name) {
      case 'INCR':
      case 'DECR':
      case 'INCRBY':
      case 'DECRBY': {
        if (cmd.name.endsWith('BY') && !isInteger(second)) return notInteger;
        const type = await this.mock.type(key);
        if (type !== 'none' && type !== 'string') return wrongType;
        return isInteger(await this.mock.get(key)) ? undefined : notInteger;
      }
      case 'HINCRBY': {
        if (second === undefined || !isInteger(third)) return notInteger;
        const type = await this.mock.type(key);
        if (type !== 'none' && type !== 'hash') return wrongType;
        return isInteger(await this.mock.hget(key, second)) ? undefined : 'ERR hash value is not an integer';
      }
      default:
        return undefined;
    }
  }

  private async evalScript(script: string, rest: Arg[]): Promise<Outcome> {
    const evalBuffer = this.method('eval');
    if (!evalBuffer) return { error: 'ERR this ioredis-mock version cannot run Lua scripts' };
    const value: unknown = await evalBuffer.call(this.mock, script, ...rest);
    return { result: fromMock(value, true) };
  }

  private scriptCommand(args: Arg[]): Outcome {
    const sub = argText(args[0] ?? '').toUpperCase();
    switch (sub) {
      case 'LOAD': {
        if (args[1] === undefined) return { error: "ERR wrong number of arguments for 'script|load' command" };
        const text = argText(args[1]);
        const sha = sha1Hex(text);
        this.scripts.set(sha, text);
        return { result: sha };
      }
      case 'EXISTS':
        return { result: args.slice(1).map((sha) => (this.scripts.has(argText(sha).toLowerCase()) ? 1 : 0)) };
      case 'FLUSH':
        this.scripts.clear();
        return { result: 'OK' };
      default:
        return { error: `ERR unknown subcommand '${sub.toLowerCase()}'. Try SCRIPT HELP.` };
    }
  }
}

// ---------------------------------------------------------------------------
// Request parsing and response encoding
// ---------------------------------------------------------------------------

class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function parseCommand(value: unknown): RedisCommand {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR a command must be a non-empty JSON array like ["SET","key","value"]');
  }
  const args = value.map((part: unknown): string => {
    // The client serialises numbers and booleans as JSON scalars; Redis wants them as text.
    if (typeof part === 'string') return part;
    if (typeof part === 'number' || typeof part === 'boolean') return String(part);
    throw new HttpError(400, `ERR command arguments must be strings or numbers, got ${JSON.stringify(part)}`);
  });
  const [name = '', ...rest] = args;
  if (name === '') throw new HttpError(400, 'ERR command name must be a non-empty string');
  return { name: name.toUpperCase(), args: rest };
}

function parseCommandList(value: unknown): RedisCommand[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR body must be a non-empty JSON array of commands like [["SET","k","v"],["GET","k"]]');
  }
  return value.map(parseCommand);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, `ERR failed to parse JSON body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function encodeReply(reply: Reply, base64: boolean, topLevel: boolean): JsonValue {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => encodeReply(item, base64, false));
  const bytes = reply instanceof Error ? Buffer.from(errorText(reply)) : Buffer.isBuffer(reply) ? reply : Buffer.from(reply, 'utf8');
  // Upstash leaves a top-level "OK" readable even in base64 mode, and the client
  // returns a top-level "OK" verbatim. Nested strings are always decoded by the
  // client, so there "OK" must be encoded like everything else.
  if (topLevel && bytes.length === 2 && bytes.toString('latin1') === 'OK') return 'OK';
  return base64 ? bytes.toString('base64') : bytes.toString('utf8');
}

function encodeOutcome(outcome: Outcome, base64: boolean): { result: JsonValue } | { error: string } {
  return 'error' in outcome ? { error: outcome.error } : { result: encodeReply(outcome.result, base64, true) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `ERR request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim(), 'utf8');
  // timingSafeEqual needs equal lengths; the length itself is not a secret worth hiding here.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Command names in the path form; anything else is an unknown path (404), not an unknown command. */
const PATH_COMMAND = /^[A-Za-z][A-Za-z0-9_.|-]*$/;

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

export async function startUpstashRest(opts: UpstashRestOptions): Promise<UpstashRestServer> {
  if (!opts.token) throw new Error('upstash-rest: a non-empty token is required');
  const host = opts.host ?? '127.0.0.1';
  const expectedToken = Buffer.from(opts.token, 'utf8');
  const backend: Backend = opts.redisUrl ? await RedisBackend.connect(opts.redisUrl) : new MemoryBackend();
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAuthorized(req.headers.authorization, expectedToken)) {
      sendJson(res, 401, { error: 'Unauthorized' });
      return;
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    // Split by hand: `new URL('//x', base)` would treat "x" as a host name.
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
    const method = req.method ?? 'GET';

    if (pathname === '/' || pathname === '/pipeline' || pathname === '/multi-exec') {
      if (method !== 'POST') throw new HttpError(405, `ERR ${method} is not allowed on ${pathname}; use POST`);
      const body = parseJson(await readBody(req));
      if (pathname === '/') {
        const outcome = encodeOutcome(await runCommand(parseCommand(body)), base64);
        sendJson(res, 'error' in outcome ? 400 : 200, outcome);
      } else if (pathname === '/pipeline') {
        // Not a transaction: each command succeeds or fails on its own, and the HTTP
        // status stays 200 so the client can report per-command errors.
        const outcomes = await Promise.all(parseCommandList(body).map(runCommand));
        sendJson(res, 200, outcomes.map((o) => encodeOutcome(o, base64)));
      } else {
        const outcomes = await runTransaction(parseCommandList(body));
        sendJson(res, 200, outcomes.map((o) => encodeOutcome(o, base64)));
      }
      return;
    }

    // Path form for curl users: /set/key/value, segments URL-decoded.
    let segments: string[];
    try {
      segments = pathname.slice(1).split('/').map((s) => decodeURIComponent(s));
    } catch {
      throw new HttpError(400, 'ERR malformed percent-encoding in path');
    }
    const [name = '', ...pathArgs] = segments;
    if (!PATH_COMMAND.test(name) || name === 'pipeline' || name === 'multi-exec') {
      throw new HttpError(404, `ERR unknown path ${pathname}`);
    }
    if (method !== 'GET' && method !== 'POST') throw new HttpError(405, `ERR ${method} is not allowed; use GET or POST`);
    const args: Arg[] = pathArgs;
    if (method === 'POST') {
      // Like Upstash: a POST body is the (possibly binary or JSON) value, appended as
      // the last argument; options after the value come as query parameters (?EX=100).
      const body = await readBody(req);
      if (body.length > 0) {
        args.push(body);
        for (const [key, value] of query) args.push(...(value === '' ? [key] : [key, value]));
      }
    }
    const outcome = encodeOutcome(await runCommand({ name: name.toUpperCase(), args }), base64);
    sendJson(res, 'error' in outcome ? 400 : 200, outcome);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else if (error instanceof TransactionAbortedError) sendJson(res, 400, { error: error.message });
      else sendJson(res, 500, { error: `ERR internal error: ${errorText(error)}` });
    });
  });
  // Malformed HTTP must not take the process down; answer 400 and drop the socket.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await backend.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    token: opts.token,
    backend: backend.kind,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // close() alone waits for keep-alive sockets (the client keeps them open).
          server.closeAllConnections();
        });
        await backend.close();
      })();
      return closing;
    },
  };
}
