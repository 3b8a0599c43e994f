import type { Context } from 'hono';
import { verifiedCaller } from '../../shared/auth/middleware';
import { timingSafeEqual } from '../../shared/auth/password';
import type { AppEnv } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { createRouter } from '../../shared/openapi';
import { rateLimit } from '../../shared/rate-limit';
import { health, READINESS_TOKEN_HEADER, ready } from './routes';
import { checkReadiness } from './service';

export const system = createRouter();

system.openapi(health, (c) => c.json({ status: 'ok' as const, service: 'ultramarket', time: new Date().toISOString() }, 200));

// Every call opens a database connection and touches Redis, a Durable Object and R2: its own small limit per IP.
system.use('/health/ready', (c, next) =>
  rateLimit({ name: 'ready', limit: c.get('deps').config.READINESS_RATE_LIMIT_REQUESTS, windowSeconds: 60 })(c, next),
);

const encoder = new TextEncoder();

/** Per-dependency details (latency, error text) are for monitoring: the readiness token, or an admin's bearer token. */
async function mayReadDetails(c: Context<AppEnv>): Promise<boolean> {
  const expected = c.get('deps').config.READINESS_TOKEN;
  const presented = c.req.header(READINESS_TOKEN_HEADER);
  if (expected && presented !== undefined && timingSafeEqual(encoder.encode(presented), encoder.encode(expected))) return true;
  return (await verifiedCaller(c))?.role === 'admin';
}

system.openapi(ready, async (c) => {
  const [detailed, readiness] = await Promise.all([mayReadDetails(c), checkReadiness(c.get('deps'))]);
  if (readiness.status !== 'ready') {
    const down = Object.entries(readiness.checks)
      .filter(([, check]) => check.status === 'down')
      .map(([name]) => name);
    // Anonymous callers learn that it is not ready, not which dependency failed or why.
    throw new AppError('DEPENDENCY_UNAVAILABLE', detailed ? `Not ready: ${down.join(', ')} down.` : 'Not ready.', {
      extensions: detailed ? { dependency: down.join(','), checks: readiness.checks } : {},
      headers: { 'Retry-After': '5' },
    });
  }
  return c.json(detailed ? readiness : { status: readiness.status }, 200);
});
