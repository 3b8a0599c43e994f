import type { Redis } from '@upstash/redis';
import { createMiddleware } from 'hono/factory';
import { type Config, type Bindings, loadConfig } from './env';
import { createDatabase, type DatabaseHandle } from './db/client';
import { createLogger, type Logger } from './logger';
import { createRedis } from './redis';

/**
 * A request's dependencies. Built once per request by `dependencies()`, each
 * created only when first used: a route that never touches Postgres never
 * opens a socket to it.
 */
export class Deps {
  #db?: DatabaseHandle;
  #redis?: Redis;
  #deferred: Promise<unknown>[] = [];

  constructor(
    readonly config: Config,
    readonly env: Bindings,
    readonly logger: Logger,
  ) {}

  get database(): DatabaseHandle {
    this.#db ??= createDatabase(this.config);
    return this.#db;
  }

  get db() {
    return this.database.db;
  }

  get redis(): Redis {
    this.#redis ??= createRedis(this.config);
    return this.#redis;
  }

  /** Round trips to Postgres made so far in this request. */
  get dbRoundTrips(): number {
    return this.#db?.roundTrips ?? 0;
  }

  /**
   * Work that must not delay the response (publishing events, cache writes).
   * It runs now, may still use this request's connections, and is awaited
   * before they close.
   */
  defer(task: () => Promise<unknown>): void {
    this.#deferred.push(
      task().catch((err: unknown) => this.logger.error('deferred task failed', { error: String(err) })),
    );
  }

  /** Closes what was opened once deferred work is done; called through `waitUntil`. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#deferred);
    await this.#db?.close().catch(() => {});
  }
}

/** The authenticated caller, from a verified access token. */
export interface Principal {
  userId: string;
  role: 'customer' | 'seller' | 'admin';
  jti: string;
  sessionId: string;
  exp: number;
}

export interface Variables {
  requestId: string;
  logger: Logger;
  deps: Deps;
  /** Set by the auth middleware on authenticated routes. */
  auth?: Principal;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}

/** Validates the environment and builds the request's dependencies. */
export const dependencies = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const config = loadConfig(c.env);
    const logger = createLogger(config.LOG_LEVEL, { requestId: c.get('requestId') });
    c.set('logger', logger);
    const deps = new Deps(config, c.env, logger);
    c.set('deps', deps);
    try {
      await next();
    } finally {
      if (config.EXPOSE_DB_METRICS && deps.dbRoundTrips >= 0) {
        c.header('X-Db-Round-Trips', String(deps.dbRoundTrips));
      }
      c.executionCtx.waitUntil(deps.dispose());
    }
  });
