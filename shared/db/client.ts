import { Pool, type PoolClient, neon, neonConfig } from '@neondatabase/serverless';
import type { Logger } from 'drizzle-orm/logger';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWs, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Config } from '../env';
import * as schema from './schema';

const CLOSE_TIMEOUT_MS = 2_000;

export type Database = NeonDatabase<typeof schema>;

export interface DatabaseHandle {
  /**
   * Single statements go over Neon's HTTP query path (one round trip, no
   * connection to open); `.transaction()` goes to a WebSocket Pool, opened on
   * first use. See docs/performance.md, "Neon over HTTP and over WebSockets".
   */
  db: Database;
  /** Statements sent so far by this handle, over either path: each is one round trip to Postgres. */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/**
 * Points the Neon driver at the local stand-ins (development and tests): the
 * WebSocket-to-TCP proxy and the HTTP SQL endpoint; otherwise leaves Neon's
 * defaults. `neonConfig` is module-global, which is isolate-safe here: every
 * request of an isolate carries the same bindings, so the value written is
 * always the same.
 */
function configureDriver(config: Config): void {
  if (config.NEON_WS_PROXY) {
    const proxy = config.NEON_WS_PROXY;
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  if (config.NEON_HTTP_ENDPOINT) neonConfig.fetchEndpoint = config.NEON_HTTP_ENDPOINT;
}

/**
 * Whether single statements can take the HTTP path: always against Neon; with
 * a local Postgres only when the local HTTP endpoint is configured (a plain
 * Postgres behind the WebSocket proxy alone answers no HTTP).
 */
const httpAvailable = (config: Config) => Boolean(config.NEON_HTTP_ENDPOINT) || !config.NEON_WS_PROXY;

/**
 * A WebSocket Pool for one request. Workers cannot share a socket between
 * requests, so each request opens its own and closes it (in `waitUntil`).
 */
function openPool(config: Config, logger: Logger) {
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
  const db = drizzleWs({ client: pool, schema, logger });
  return {
    db,
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

/**
 * The request's database: `db.transaction(...)` on the WebSocket Pool (an
 * interactive transaction needs one connection for its statements), every
 * other statement over HTTP. Both are drizzle over the same schema, so a
 * query builds the same SQL either way; the HTTP database is typed as the
 * Pool's, whose transaction is the one callers get.
 */
export function createDatabase(config: Config): DatabaseHandle {
  configureDriver(config);
  let roundTrips = 0;
  const logger: Logger = {
    logQuery() {
      roundTrips++;
    },
  };
  let ws: ReturnType<typeof openPool> | undefined;
  const pool = () => (ws ??= openPool(config, logger));
  let db: Database;
  if (httpAvailable(config)) {
    const http = drizzleHttp({ client: neon(config.DATABASE_URL), schema, logger });
    db = new Proxy(http, {
      get(target, property) {
        if (property === 'transaction') {
          const transactional = pool().db;
          return transactional.transaction.bind(transactional);
        }
        return Reflect.get(target, property, target) as unknown;
      },
    }) as unknown as Database;
  } else {
    db = pool().db;
  }
  return {
    db,
    get roundTrips() {
      return roundTrips;
    },
    async close() {
      await ws?.close();
    },
  };
}
