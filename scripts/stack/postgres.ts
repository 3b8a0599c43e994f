import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { keepExchangesTogether } from './pglite-exchanges';

export interface PostgresHandle {
  /** A postgres:// URL that Node clients and (through the WebSocket proxy) the Worker can use. */
  url: string;
  kind: 'embedded' | 'external';
  close(): Promise<void>;
}

/**
 * Embedded Postgres: PGlite (real Postgres compiled to WASM) behind a
 * Postgres-protocol socket. `dataDir` keeps the data across restarts; without
 * it the database lives in memory. PGlite runs one transaction at a time, so
 * concurrency tests need a real server (TEST_DATABASE_URL).
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; host?: string; port?: number } = {}): Promise<PostgresHandle> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, { extensions: { pg_trgm } });
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 100 });
  keepExchangesTogether(server);
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(':').at(-1));
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    kind: 'embedded',
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * A fresh, uniquely named database on a real server (for a test run), dropped
 * on close so no run depends on what an earlier one left.
 */
export async function createScratchDatabase(adminUrl: string, prefix = 'ultramarket_test'): Promise<PostgresHandle> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'external',
    async close() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Wraps a database we neither created nor may drop (DATABASE_URL in development). */
export function externalPostgres(url: string): PostgresHandle {
  return { url, kind: 'external', close: async () => {} };
}
