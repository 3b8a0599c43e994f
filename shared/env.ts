import { z } from 'zod';
import { Misconfigured } from './errors';

/**
 * Secrets are not in wrangler.toml, so `wrangler types` cannot know them; they
 * are declared here (and listed in .dev.vars.example).
 */
export interface Secrets {
  DATABASE_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  JWT_SECRET?: string;
  /** Local development only: host:port of the WebSocket-to-TCP proxy for Postgres. */
  NEON_WS_PROXY?: string;
  /** Benchmarks only: report database round trips in a response header. */
  EXPOSE_DB_METRICS?: string;
}

/** Everything the Worker receives: generated bindings plus secrets. */
export type Bindings = Env & Secrets;

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const positiveInt = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'staging', 'production']),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CORS_ORIGINS: csv.default([]),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  RATE_LIMIT_REQUESTS: positiveInt.default(300),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  REDIS_KEY_PREFIX: z.string().default('um:'),
  AUTH_RATE_LIMIT_REQUESTS: positiveInt.default(100),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(900),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  NEON_WS_PROXY: z.string().optional(),
  EXPOSE_DB_METRICS: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export type Config = z.infer<typeof ConfigSchema>;

/**
 * The parsed config per bindings object. Workers hand the same `env` object to
 * every request of an isolate, so this parses once per isolate; a WeakMap keeps
 * it per object, so tests that pass their own env get their own config.
 */
const parsed = new WeakMap<object, Config>();

/** Validates the bindings; a missing or bad setting throws `Misconfigured` naming it (never its value). */
export function loadConfig(env: Bindings): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const settings = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '(root)')))];
    throw new Misconfigured(settings);
  }
  parsed.set(env, result.data);
  return result.data;
}
