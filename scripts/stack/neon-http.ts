import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pg from 'pg';
import { network } from './network';
import { LOSE_ANSWER_MARKER } from './ws-proxy';

/**
 * Neon's HTTP SQL endpoint, locally: what `neon()` of @neondatabase/serverless
 * (and drizzle-orm/neon-http on top of it) sends to `https://api.<host>/sql`.
 *
 *   POST /sql   Neon-Connection-String: postgresql://user:pw@host:port/db?…
 *               Neon-Raw-Text-Output: true   Neon-Array-Mode: true
 *     {query, params}                     → {fields, command, rowCount, rows, rowAsArray}
 *     {queries: [{query, params}, …]}     → {results: [result, …]}, in one transaction
 *               (Neon-Batch-Isolation-Level, Neon-Batch-Read-Only, Neon-Batch-Deferrable)
 *
 * A Postgres error answers 400 with its fields (`message`, `code`, `detail`,
 * `constraint`, …): the driver copies them onto a NeonDbError, so SQLSTATE
 * checks (unique violations) work as over the WebSocket. A Postgres that
 * cannot be reached answers 400 with SQLSTATE 08001, so callers see a
 * connection error, not a bad query.
 *
 * Like Neon's proxy it keeps warm connections (one pg Pool per connection
 * string): a statement costs the Worker one HTTP round trip, no handshake.
 * Results stay in Postgres's text format; the driver parses them by type id.
 */

/** The Postgres error fields the driver copies onto NeonDbError (its `hi` list). */
const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

/** Neon-Batch-Isolation-Level values (the driver's IsolationLevel type) → SQL. */
const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** Every column stays text, as Neon answers with Neon-Raw-Text-Output: true. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface QueryData {
  query: string;
  params?: unknown[];
}

/** A request the endpoint refuses (no connection string, a body that is not a query): a 400 with a message. */
class BadRequest extends Error {}

export interface NeonHttpHandle {
  /** http://host:port/sql, the value of NEON_HTTP_ENDPOINT. */
  url: string;
  close(): Promise<void>;
}

function isQueryData(value: unknown): value is QueryData {
  const q = value as QueryData | null;
  return typeof q === 'object' && q !== null && typeof q.query === 'string' && (q.params === undefined || Array.isArray(q.params));
}

function parseBody(text: string): QueryData | QueryData[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('request body is not JSON');
  }
  const queries = (body as { queries?: unknown } | null)?.queries;
  if (Array.isArray(queries)) {
    if (!queries.every(isQueryData)) throw new BadRequest('every entry of "queries" must be {query, params}');
    return queries;
  }
  if (!isQueryData(body)) throw new BadRequest('body must be {query, params} or {queries: [...]}');
  return body;
}

function connectionString(req: IncomingMessage): string {
  const value = req.headers['neon-connection-string'];
  if (typeof value !== 'string' || !value) throw new BadRequest('missing Neon-Connection-String header');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequest('Neon-Connection-String is not a valid URL');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol) || !url.username || !url.hostname || url.pathname.length < 2) {
    throw new BadRequest('Neon-Connection-String must be postgresql://user@host/database');
  }
  return value;
}

const flag = (req: IncomingMessage, name: string) => req.headers[name]?.toString().toLowerCase() === 'true';

/** One result as Neon encodes it. */
function encodeResult(result: pg.QueryResult<unknown[]>, arrayMode: boolean) {
  const fields = result.fields.map((f) => ({
    name: f.name,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeID: f.dataTypeID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: f.format,
  }));
  const rows = arrayMode ? result.rows : result.rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]])));
  return { fields, command: result.command, rowCount: result.rowCount, rows, rowAsArray: arrayMode };
}

/** A Postgres error's fields, or a connection failure as SQLSTATE 08001. */
function encodeError(err: unknown): Record<string, unknown> {
  const e = err as Record<string, unknown> & { message?: unknown };
  const body: Record<string, unknown> = { message: String(e?.message ?? err) };
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    for (const field of ERROR_FIELDS) if (e[field] !== undefined) body[field] = e[field];
  } else {
    body.code = '08001';
    body.message = `could not connect to Postgres: ${body.message as string}`;
  }
  return body;
}

function beginStatement(req: IncomingMessage): string {
  const parts = ['BEGIN'];
  const level = req.headers['neon-batch-isolation-level']?.toString();
  if (level) {
    const sql = ISOLATION_LEVELS[level];
    if (!sql) throw new BadRequest(`unknown Neon-Batch-Isolation-Level ${level}`);
    parts.push(`ISOLATION LEVEL ${sql}`);
  }
  const readOnly = req.headers['neon-batch-read-only']?.toString();
  if (readOnly !== undefined) parts.push(readOnly === 'true' ? 'READ ONLY' : 'READ WRITE');
  const deferrable = req.headers['neon-batch-deferrable']?.toString();
  if (deferrable !== undefined) parts.push(deferrable === 'true' ? 'DEFERRABLE' : 'NOT DEFERRABLE');
  return parts.join(' ');
}

/** Whether a request carries the fault-injection marker (ws-proxy.ts's LOSE_ANSWER_MARKER) in a bound value. */
function carriesMarker(body: QueryData | QueryData[]): boolean {
  return (Array.isArray(body) ? body : [body]).some((q) => (q.params ?? []).some((p) => typeof p === 'string' && p.includes(LOSE_ANSWER_MARKER)));
}

/**
 * With `loseMarkedAnswers` (tests), a statement whose bound values carry
 * LOSE_ANSWER_MARKER runs and commits, then the connection is cut before the
 * answer, as when the network drops after Postgres committed.
 */
export async function startNeonHttp(options: { host?: string; port?: number; loseMarkedAnswers?: boolean } = {}): Promise<NeonHttpHandle> {
  const host = options.host ?? '127.0.0.1';
  const pools = new Map<string, pg.Pool>();

  const poolFor = (conn: string) => {
    let pool = pools.get(conn);
    if (!pool) {
      pool = new pg.Pool({ connectionString: conn, max: 8, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
      // A pooled connection the server drops emits 'error'; the next query reconnects.
      pool.on('error', () => {});
      pools.set(conn, pool);
    }
    return pool;
  };

  const run = (client: pg.PoolClient, q: QueryData) =>
    client.query<unknown[]>({ text: q.query, values: q.params ?? [], rowMode: 'array', types: RAW_TEXT });

  async function execute(req: IncomingMessage, body: QueryData | QueryData[]): Promise<unknown> {
    const arrayMode = flag(req, 'neon-array-mode');
    const begin = Array.isArray(body) ? beginStatement(req) : '';
    const client = await poolFor(connectionString(req)).connect();
    let broken: Error | undefined;
    try {
      if (!Array.isArray(body)) return encodeResult(await run(client, body), arrayMode);
      await client.query(begin);
      try {
        const results = [];
        for (const q of body) results.push(encodeResult(await run(client, q), arrayMode));
        await client.query('COMMIT');
        return { results };
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BadRequest('request body too large');
      chunks.push(chunk);
    }
    await network.cross('postgres');
    let status = 200;
    let answer: unknown;
    let lose = false;
    try {
      const body = parseBody(Buffer.concat(chunks).toString('utf8'));
      lose = Boolean(options.loseMarkedAnswers) && carriesMarker(body);
      answer = await execute(req, body);
    } catch (err) {
      status = 400;
      answer = err instanceof BadRequest ? { message: err.message } : encodeError(err);
    }
    if (lose && status === 200) {
      res.destroy();
      return;
    }
    await network.cross('postgres');
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method !== 'POST' || path !== '/sql') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'POST /sql only' }));
      return;
    }
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(err instanceof BadRequest ? 400 : 500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: err instanceof Error ? err.message : String(err) }));
    });
  });
  // The driver's fetch keeps connections alive between statements, as it would to Neon.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}/sql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
    },
  };
}
