import { describe, expect, it } from 'vitest';
import type { Router } from '../../shared/openapi';
import { rateLimit } from '../../shared/rate-limit';
import { call, DEAD_PORT, expectProblem, isolatedPrefix, testEnv } from '../support/app';

const from = (ip: string, path = '/api/v1/probe/ping') =>
  new Request(`http://api.test${path}`, { headers: { 'CF-Connecting-IP': ip } });

function mountPing(api: Router) {
  api.get('/probe/ping', (c) => c.json({ pong: true }));
  api.get('/probe/strict', (c, next) => rateLimit({ name: 'strict', limit: 100, onRedisFailure: 'closed' })(c, next), (c) =>
    c.json({ ok: true }),
  );
}

const MALFORMED = '{"email":';
/** Over the MAX_BODY_BYTES of 1024 the body tests set. */
const OVERSIZED = JSON.stringify({ padding: 'x'.repeat(4096) });

/** POSTs a raw body to /auth/login from `ip`. */
const loginBodiesFrom = (ip: string, env: Record<string, unknown>) => (body: string) =>
  call(new Request('http://api.test/api/v1/auth/login', { method: 'POST', body, headers: { 'CF-Connecting-IP': ip, 'content-type': 'application/json' } }), {
    env,
  });

/** The small binding vitest.config.ts declares (3 a minute), in the place of the API-wide one. */
const SMALL_LIMIT = 3;
const withSmallBinding = (extra: Record<string, unknown> = {}) => ({
  API_RATE_LIMITER: (testEnv as unknown as { TEST_RATE_LIMITER: RateLimit }).TEST_RATE_LIMITER,
  RATE_LIMIT_WINDOW_SECONDS: '60',
  ...extra,
});

/**
 * The simulated binding counts in windows aligned to the clock's minutes: a test
 * that needs SMALL_LIMIT + 1 calls in one window starts early in one.
 */
async function startOfAWindow(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 50));
}

describe('the API-wide limit on the Rate Limiting binding', () => {
  it('allows the binding\'s limit per client, then answers 429 with Retry-After of the window; no RateLimit-* headers', async () => {
    await startOfAWindow();
    const env = withSmallBinding();
    for (let i = 0; i < SMALL_LIMIT; i++) {
      const res = await call(from('203.0.113.107'), { env, mount: mountPing });
      expect(res.status).toBe(200);
      // The binding answers only success: it knows no remaining count to report.
      expect(res.headers.get('ratelimit-remaining')).toBeNull();
    }
    const limited = await call(from('203.0.113.107'), { env, mount: mountPing });
    const problem = await expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(problem.detail).toContain('retry');
    // Another client has its own count.
    expect((await call(from('198.51.100.101'), { env, mount: mountPing })).status).toBe(200);
  });

  it('makes no Redis call: it limits with Upstash unreachable', async () => {
    await startOfAWindow();
    const env = withSmallBinding({ UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` });
    for (let i = 0; i < SMALL_LIMIT; i++) expect((await call(from('203.0.113.108'), { env, mount: mountPing })).status).toBe(200);
    // An Upstash limiter would fail open here.
    await expectProblem(await call(from('203.0.113.108'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
  });

  it('counts IPv6 clients per /64 and an IPv4-mapped address as the IPv4 address', async () => {
    await startOfAWindow();
    const env = withSmallBinding();
    for (const ip of ['2001:db8:9:2::1', '2001:DB8:9:2:ffff:ffff:ffff:ffff', '2001:0db8:0009:0002:0000:0000:0000:0003']) {
      expect((await call(from(ip), { env, mount: mountPing })).status).toBe(200);
    }
    await expectProblem(await call(from('2001:db8:9:2::4'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
    expect((await call(from('2001:db8:9:3::1'), { env, mount: mountPing })).status).toBe(200);

    for (const ip of ['203.0.113.170', '::ffff:203.0.113.170', '::FFFF:cb00:71aa']) {
      expect((await call(from(ip), { env, mount: mountPing })).status).toBe(200);
    }
    await expectProblem(await call(from('203.0.113.170'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
  });

  it('counts unknown routes and runs before any body is read', async () => {
    await startOfAWindow();
    const env = withSmallBinding({ MAX_BODY_BYTES: '1024' });
    expect((await call(from('203.0.113.130', '/api/v1/nope'), { env })).status).toBe(404);
    const post = loginBodiesFrom('203.0.113.130', env);
    await expectProblem(await post(MALFORMED), 400, 'MALFORMED_JSON');
    await expectProblem(await post(OVERSIZED), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(await post(MALFORMED), 429, 'RATE_LIMITED');
  });
});

// Without the binding (an environment that declares none), the API-wide limit is counted on Upstash as before.
const NO_BINDING = { API_RATE_LIMITER: undefined };

describe('rate limiting on Upstash (the strict limits; the API-wide one without a binding)', () => {
  it('allows RATE_LIMIT_REQUESTS per window, then answers 429 with Retry-After', async () => {
    const env = { ...NO_BINDING, RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(from('203.0.113.7'), { env, mount: mountPing });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await call(from('203.0.113.7'), { env, mount: mountPing });
    const problem = await expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(problem.detail).toContain('retry');

    // Another client has its own window.
    expect((await call(from('198.51.100.1'), { env, mount: mountPing })).status).toBe(200);
  });

  it('counts IPv6 clients per /64, whatever the spelling of the address', async () => {
    const env = { ...NO_BINDING, RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl6') };
    expect((await call(from('2001:db8:1:2::1'), { env, mount: mountPing })).status).toBe(200);
    expect((await call(from('2001:DB8:1:2:ffff:ffff:ffff:ffff'), { env, mount: mountPing })).status).toBe(200);
    await expectProblem(await call(from('2001:0db8:0001:0002:0000:0000:0000:0003'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
    // The next /64 is another customer.
    expect((await call(from('2001:db8:1:3::1'), { env, mount: mountPing })).status).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const env = { ...NO_BINDING, RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl4') };
    expect((await call(from('203.0.113.70'), { env, mount: mountPing })).status).toBe(200);
    expect((await call(from('::ffff:203.0.113.70'), { env, mount: mountPing })).status).toBe(200);
    await expectProblem(await call(from('::FFFF:cb00:7146'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
    // IPv4 stays per address.
    expect((await call(from('203.0.113.71'), { env, mount: mountPing })).status).toBe(200);
  });

  it('counts unknown routes too, so probing is limited', async () => {
    const env = { ...NO_BINDING, RATE_LIMIT_REQUESTS: '1', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
    expect((await call(from('203.0.113.8', '/api/v1/nope'), { env })).status).toBe(404);
    expect((await call(from('203.0.113.8', '/api/v1/nope'), { env })).status).toBe(429);
  });

  it('runs before any body is read: malformed and oversized bodies are counted, then refused unread', async () => {
    const env = { ...NO_BINDING, RATE_LIMIT_REQUESTS: '2', MAX_BODY_BYTES: '1024', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
    const post = loginBodiesFrom('203.0.113.30', env);
    await expectProblem(await post(MALFORMED), 400, 'MALFORMED_JSON');
    await expectProblem(await post(OVERSIZED), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(await post(MALFORMED), 429, 'RATE_LIMITED');
    await expectProblem(await post(OVERSIZED), 429, 'RATE_LIMITED');
  });

  it('fails open by default when Redis is down', async () => {
    const res = await call(from('203.0.113.9'), { env: { ...NO_BINDING, UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` }, mount: mountPing });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });

  it('fails closed with 503 where a route asks for it', async () => {
    const res = await call(from('203.0.113.9', '/api/v1/probe/strict'), {
      env: { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` },
      mount: mountPing,
    });
    await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
  });
});
