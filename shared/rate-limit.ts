import { Ratelimit } from '@upstash/ratelimit';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { clientNetwork } from './client-network';
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
  /** Who is limited; defaults to the client's address (IPv6: its /64), see `clientNetwork`. */
  identify?: (c: Context<AppEnv>) => string;
  /**
   * What happens when Redis cannot answer. `open` (the default) lets the request
   * through: browsing must survive a cache outage. `closed` answers 503: for
   * routes where an unlimited attacker costs more than an outage (credential
   * checks).
   */
  onRedisFailure?: 'open' | 'closed';
}

/** The client's address as the edge reported it (recorded on sessions); limiters key on `clientNetwork` of it. */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'unknown';
}

const byClientNetwork = (c: Context<AppEnv>) => clientNetwork(clientIp(c));

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
    const identifier = (options.identify ?? byClientNetwork)(c);
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

/**
 * The API-wide limit: RATE_LIMIT_REQUESTS per client network, counted in the
 * colo by the Workers Rate Limiting binding `API_RATE_LIMITER` (wrangler.toml
 * `[[ratelimits]]`): no network call on the request's path. The binding
 * answers only `success`, so successes carry no `RateLimit-*` headers (it
 * knows no remaining count or reset time); a 429 says `Retry-After` the
 * window's length (RATE_LIMIT_WINDOW_SECONDS, the binding's period), the
 * longest the client can have to wait.
 *
 * The binding counts per colo (and approximately): limits that must hold
 * globally (`/auth`, login failures) stay on Upstash with `rateLimit`.
 * Without the binding (an environment that declares none, or a test that
 * removes it) the same limit is counted on Upstash as before, with headers.
 * A binding that throws lets the request through: browsing must survive it.
 */
export const apiRateLimit = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const binding = (c.env as Partial<Pick<AppEnv['Bindings'], 'API_RATE_LIMITER'>>).API_RATE_LIMITER;
    if (!binding) return rateLimit({ name: 'api' })(c, next);
    const { config, logger } = c.get('deps');
    let success: boolean;
    try {
      ({ success } = await binding.limit({ key: byClientNetwork(c) }));
    } catch (err) {
      logger.warn('rate limiting binding unavailable; failing open', { error: String(err) });
      return next();
    }
    if (!success) throw new RateLimited(config.RATE_LIMIT_WINDOW_SECONDS);
    return next();
  });

export interface Budget {
  /** Full Redis key of the bucket. */
  key: string;
  /** Attempts the bucket allows per window. */
  limit: number;
}

export type BudgetResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/*
 * All or nothing, in one script so concurrent callers cannot both read "one
 * left": when any bucket is spent, nothing is taken and the answer says how
 * long until that bucket's window ends; otherwise every bucket takes one. A
 * bucket's window starts at its first attempt (fixed window). The `or 0`s keep
 * the script indifferent to how a missing key reaches Lua (nil or false).
 */
const CONSUME_SCRIPT = `
local window = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key) or 0) or 0
  if used >= tonumber(ARGV[i + 1]) then
    local ttl = tonumber(redis.call('PTTL', key)) or -1
    if ttl < 0 then
      redis.call('PEXPIRE', key, window)
      ttl = window
    end
    return {0, ttl}
  end
end
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('INCR', key)) == 1 then redis.call('PEXPIRE', key, window) end
end
return {1, 0}
`;

/* Gives back one attempt per bucket, never below zero, keeping each window's end. */
const REFUND_SCRIPT = `
for i, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key) or 0) or 0
  if used > 0 then redis.call('DECR', key) end
end
return 1
`;

/**
 * Takes one attempt from every budget before the work it guards (a password
 * check), atomically, so N concurrent attempts never do more than the budget.
 * Throws when Redis cannot answer; the caller chooses to fail open or closed.
 */
export async function consumeBudgets(deps: Deps, budgets: Budget[], windowSeconds: number): Promise<BudgetResult> {
  const [allowed, ttlMs] = await deps.redis.eval<string[], [number, number]>(
    CONSUME_SCRIPT,
    budgets.map((b) => b.key),
    [String(windowSeconds * 1000), ...budgets.map((b) => String(b.limit))],
  );
  if (Number(allowed) === 1) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(ttlMs) / 1000)) };
}

/** Returns the attempt `consumeBudgets` took (e.g. after a successful login). */
export async function refundBudgets(deps: Deps, budgets: Budget[]): Promise<void> {
  await deps.redis.eval<string[], number>(
    REFUND_SCRIPT,
    budgets.map((b) => b.key),
    [],
  );
}
