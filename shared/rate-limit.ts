import { Ratelimit } from '@upstash/ratelimit';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Deps } from './context';
import { DependencyUnavailable, RateLimited } from './errors';
import { redisKey } from './redis';

export interface RateLimitOptions {
  /** Names the limiter's key space, e.g. `api` or `auth-login`. */
  name: string;
  /** Requests allowed per window; defaults to RATE_LIMIT_REQUESTS. */
  limit?: number;
  /** Window length in seconds; defaults to RATE_LIMIT_WINDOW_SECONDS. */
  windowSeconds?: number;
  /** Who is limited; defaults to the client's IP address. */
  identify?: (c: Context<AppEnv>) => string;
  /**
   * What happens when Redis cannot answer. `open` (the default) lets the request
   * through: browsing must survive a cache outage. `closed` answers 503: for
   * routes where an unlimited attacker costs more than an outage (credential
   * checks).
   */
  onRedisFailure?: 'open' | 'closed';
}

export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'unknown';
}

/** A sliding-window limiter on this deployment's Redis, under its key prefix. */
export function createLimiter(deps: Deps, name: string, limit: number, windowSeconds: number): Ratelimit {
  return new Ratelimit({
    redis: deps.redis,
    limiter: Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: redisKey(deps.config, 'rl', name),
    // A module-scoped cache would outlive config changes in tests; Redis is the authority.
    ephemeralCache: false,
    analytics: false,
    // Past this, @upstash/ratelimit lets the request through itself.
    timeout: 2_000,
  });
}

/**
 * Sliding-window rate limiting on Upstash, answering the IETF `RateLimit-*`
 * headers on every response and `Retry-After` with a 429.
 */
export const rateLimit = (options: RateLimitOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get('deps');
    const { config, logger } = deps;
    const limit = options.limit ?? config.RATE_LIMIT_REQUESTS;
    const windowSeconds = options.windowSeconds ?? config.RATE_LIMIT_WINDOW_SECONDS;
    const limiter = createLimiter(deps, options.name, limit, windowSeconds);
    const identifier = (options.identify ?? clientIp)(c);
    let result;
    try {
      result = await limiter.limit(identifier);
    } catch (err) {
      if (options.onRedisFailure === 'closed') throw new DependencyUnavailable('Rate limiter', err);
      logger.warn('rate limiter unavailable; failing open', { limiter: options.name });
      return next();
    }
    const resetSeconds = Math.max(0, Math.ceil((result.reset - Date.now()) / 1000));
    const headers = {
      'RateLimit-Limit': String(result.limit),
      'RateLimit-Remaining': String(Math.max(0, result.remaining)),
      'RateLimit-Reset': String(resetSeconds),
    };
    if (!result.success) {
      const error = new RateLimited(Math.max(1, resetSeconds));
      Object.assign(error.headers ?? {}, headers);
      throw error;
    }
    await next();
    // Nested limiters (the API-wide one around a route's own): report the tightest.
    const reported = c.res.headers.get('RateLimit-Remaining');
    if (reported !== null && Number(reported) <= Number(headers['RateLimit-Remaining'])) return;
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  });
