import { describe, expect, it } from 'vitest';
import type { Router } from '../../shared/openapi';
import { rateLimit } from '../../shared/rate-limit';
import { call, DEAD_PORT, expectProblem, isolatedPrefix } from '../support/app';

const from = (ip: string, path = '/api/v1/probe/ping') =>
  new Request(`http://api.test${path}`, { headers: { 'CF-Connecting-IP': ip } });

function mountPing(api: Router) {
  api.get('/probe/ping', (c) => c.json({ pong: true }));
  api.get('/probe/strict', (c, next) => rateLimit({ name: 'strict', limit: 100, onRedisFailure: 'closed' })(c, next), (c) =>
    c.json({ ok: true }),
  );
}

describe('rate limiting', () => {
  it('allows RATE_LIMIT_REQUESTS per window, then answers 429 with Retry-After', async () => {
    const env = { RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
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
    const env = { RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl6') };
    expect((await call(from('2001:db8:1:2::1'), { env, mount: mountPing })).status).toBe(200);
    expect((await call(from('2001:DB8:1:2:ffff:ffff:ffff:ffff'), { env, mount: mountPing })).status).toBe(200);
    await expectProblem(await call(from('2001:0db8:0001:0002:0000:0000:0000:0003'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
    // The next /64 is another customer.
    expect((await call(from('2001:db8:1:3::1'), { env, mount: mountPing })).status).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const env = { RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_KEY_PREFIX: isolatedPrefix('rl4') };
    expect((await call(from('203.0.113.70'), { env, mount: mountPing })).status).toBe(200);
    expect((await call(from('::ffff:203.0.113.70'), { env, mount: mountPing })).status).toBe(200);
    await expectProblem(await call(from('::FFFF:cb00:7146'), { env, mount: mountPing }), 429, 'RATE_LIMITED');
    // IPv4 stays per address.
    expect((await call(from('203.0.113.71'), { env, mount: mountPing })).status).toBe(200);
  });

  it('counts unknown routes too, so probing is limited', async () => {
    const env = { RATE_LIMIT_REQUESTS: '1', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
    expect((await call(from('203.0.113.8', '/api/v1/nope'), { env })).status).toBe(404);
    expect((await call(from('203.0.113.8', '/api/v1/nope'), { env })).status).toBe(429);
  });

  it('runs before any body is read: malformed and oversized bodies are counted, then refused unread', async () => {
    const env = { RATE_LIMIT_REQUESTS: '2', MAX_BODY_BYTES: '1024', REDIS_KEY_PREFIX: isolatedPrefix('rl') };
    const post = (body: string) =>
      call(new Request('http://api.test/api/v1/auth/login', { method: 'POST', body, headers: { 'CF-Connecting-IP': '203.0.113.30', 'content-type': 'application/json' } }), {
        env,
      });
    await expectProblem(await post('{"email":'), 400, 'MALFORMED_JSON');
    await expectProblem(await post(JSON.stringify({ padding: 'x'.repeat(4096) })), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(await post('{"email":'), 429, 'RATE_LIMITED');
    await expectProblem(await post(JSON.stringify({ padding: 'x'.repeat(4096) })), 429, 'RATE_LIMITED');
  });

  it('fails open by default when Redis is down', async () => {
    const res = await call(from('203.0.113.9'), { env: { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` }, mount: mountPing });
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
