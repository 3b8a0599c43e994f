/**
 * What the stand-in passes around: a Redis command, its reply, and the backend
 * contract both backends (real Redis, in-memory mock) implement.
 */

/** Buffers only appear for raw POST bodies in the path form, where the value may be binary. */
export type Arg = string | Buffer;

export interface RedisCommand {
  /** Upper-cased command name (see redis-backend.ts for why upper case matters). */
  name: string;
  args: Arg[];
}

/** A decoded RESP reply. Errors only appear nested (e.g. a Lua script returning a pcall error). */
export type Reply = Buffer | string | number | null | Error | Reply[];

export type Outcome = { result: Reply } | { error: string };

export type JsonValue = string | number | null | JsonValue[];

/** Queue-time failure of a MULTI block: nothing ran, the whole request fails. */
export class TransactionAbortedError extends Error {}

export interface Backend {
  readonly kind: 'redis' | 'memory';
  run(cmd: RedisCommand): Promise<Outcome>;
  /** Runs the commands atomically; rejects with TransactionAbortedError if nothing ran. */
  runTransaction(cmds: RedisCommand[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

export function argText(arg: Arg): string {
  return typeof arg === 'string' ? arg : arg.toString('utf8');
}

/** Redis errors start with an upper-case code ("ERR", "WRONGTYPE", "NOSCRIPT"); keep that shape for mock errors too. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z][A-Z_-]*\s/.test(message) ? message : `ERR ${message}`;
}
