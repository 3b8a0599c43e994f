/** SQLSTATE of a Postgres error, looking through drizzle's wrapper. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === '23505';

/** What the Neon driver (node-postgres inside, or its HTTP path) says when the connection, not the query, failed. */
const DRIVER_CONNECTION_ERRORS = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end/,
  /^WebSocket (connection|was closed)/i,
  /^connect ECONNREFUSED/,
  // Over HTTP (neon()): the SQL endpoint could not be reached, or failed itself.
  /^Error connecting to database/,
  /^Server error \(HTTP status 5\d\d\)/,
];

/**
 * True when the database could not be reached (no socket, dropped connection,
 * timeout, server shutting down) rather than a query being wrong: such errors
 * answer 503 so clients retry, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('08') || state === '57P01' || state === '57P03' || state === '53300';
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const message = String((e as { message?: unknown }).message ?? '');
    if (DRIVER_CONNECTION_ERRORS.some((pattern) => pattern.test(message))) return true;
    if (typeof ErrorEvent !== 'undefined' && e instanceof ErrorEvent) return true;
  }
  return false;
}

/** The constraint a Postgres error names (unique, foreign key, check), looking through drizzle's wrapper. */
export function constraintName(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

export const isForeignKeyViolation = (err: unknown) => sqlState(err) === '23503';
