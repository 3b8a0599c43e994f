import { Redis } from '@upstash/redis';
import type { Config } from './env';

/**
 * An Upstash REST client. It holds no socket (every command is a fetch), so
 * building one per request costs nothing. One retry only: a Redis outage must
 * surface quickly so callers can degrade instead of hanging.
 */
export function createRedis(config: Config): Redis {
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    retry: { retries: 1, backoff: () => 50 },
    enableTelemetry: false,
  });
}

/** Every key we write carries the deployment's prefix, so environments can share one database. */
export function redisKey(config: Config, ...parts: string[]): string {
  return config.REDIS_KEY_PREFIX + parts.join(':');
}
