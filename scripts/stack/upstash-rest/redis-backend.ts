/**
 * The real-Redis backend (ioredis), used when `REDIS_URL` is set.
 */
import IORedis from 'ioredis';
import { type Backend, errorText, type Outcome, type RedisCommand, type Reply, TransactionAbortedError } from './commands';

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

export class RedisBackend implements Backend {
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
