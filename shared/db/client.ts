import { Pool, type PoolClient, neonConfig } from '@neondatabase/serverless';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Config } from '../env';
import * as schema from './schema';

const CLOSE_TIMEOUT_MS = 2_000;

export type Database = NeonDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** Statements sent so far by this handle: each is one round trip to Postgres. */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/**
 * Points the Neon driver at a local WebSocket-to-TCP proxy (development and
 * tests) or leaves Neon's defaults. `neonConfig` is module-global, which is
 * isolate-safe here: every request of an isolate carries the same bindings,
 * so the value written is always the same.
 */
function configureDriver(config: Config): void {
  if (config.NEON_WS_PROXY) {
    const proxy = config.NEON_WS_PROXY;
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

/**
 * A Pool for one request. Workers cannot share a socket between requests, so
 * each request opens its own and closes it (in `waitUntil`) when it is done.
 */
export function createDatabase(config: Config): DatabaseHandle {
  configureDriver(config);
  const pool = new Pool({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5_000, max: 4 });
  // An idle client that loses its socket emits 'error' on the pool; without a
  // listener that would be an uncaught exception.
  pool.on('error', () => {});
  // pool.end() resolves before the sockets are closed; the close handshake then
  // runs after waitUntil has finished and is dropped, leaving the server-side
  // connection open. Tracking clients lets close() wait for each to really end.
  const ended: Promise<void>[] = [];
  pool.on('connect', (client: PoolClient) => {
    ended.push(new Promise<void>((resolve) => client.once('end', () => resolve())));
  });
  let roundTrips = 0;
  const db = drizzle({
    client: pool,
    schema,
    logger: {
      logQuery() {
        roundTrips++;
      },
    },
  });
  return {
    db,
    get roundTrips() {
      return roundTrips;
    },
    async close() {
      await pool.end();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(ended),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
