/**
 * The in-memory backend (ioredis-mock) and the fix-ups that make its replies look like Redis'.
 */
import { randomUUID } from 'node:crypto';
import RedisMock from 'ioredis-mock';
import { type Arg, argText, type Backend, errorText, type Outcome, type RedisCommand, type Reply, TransactionAbortedError } from './commands';
import { sha1Hex } from './scripts';

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

export class MemoryBackend implements Backend {
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
