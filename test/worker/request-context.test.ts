import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isUuidV7 } from '../../shared/ids';
import type { Router } from '../../shared/openapi';
import { call, expectProblem } from '../support/app';

describe('X-Request-Id', () => {
  it('generates a UUIDv7 when the client sends none', async () => {
    const res = await SELF.fetch('http://api.test/health');
    expect(isUuidV7(res.headers.get('x-request-id') ?? '')).toBe(true);
  });

  it('honours a sane client id, also in problems', async () => {
    const res = await SELF.fetch('http://api.test/api/v1/nowhere', { headers: { 'X-Request-Id': 'client-req-0001' } });
    expect(res.headers.get('x-request-id')).toBe('client-req-0001');
    expect((await expectProblem(res, 404, 'NOT_FOUND')).requestId).toBe('client-req-0001');
  });

  it.each(['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(200)])('replaces an unsafe id %#', async (sent) => {
    const res = await SELF.fetch('http://api.test/health', { headers: { 'X-Request-Id': sent } });
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).not.toBe(sent);
    expect(isUuidV7(id)).toBe(true);
  });
});

describe('environment validation', () => {
  it('answers 500 MISCONFIGURED naming a missing secret, never its value', async () => {
    const res = await call('/health/ready', { env: { JWT_SECRET: undefined } });
    const problem = await expectProblem(res, 500, 'MISCONFIGURED');
    expect(problem.settings).toEqual(['JWT_SECRET']);
    expect(problem.detail).toContain('JWT_SECRET');
  });

  it('names an invalid setting without echoing it', async () => {
    const secretish = 'mysql://root:hunter2@db.internal/shop';
    const res = await call('/api/v1/anything', { env: { DATABASE_URL: secretish, RATE_LIMIT_REQUESTS: 'lots' } });
    const text = await res.clone().text();
    const problem = await expectProblem(res, 500, 'MISCONFIGURED');
    expect(problem.settings).toEqual(expect.arrayContaining(['DATABASE_URL', 'RATE_LIMIT_REQUESTS']));
    expect(text).not.toContain('hunter2');
  });

  it('keeps liveness up even when misconfigured', async () => {
    const res = await call('/health', { env: { DATABASE_URL: undefined } });
    expect(res.status).toBe(200);
  });
});

describe('observability', () => {
  afterEach(() => vi.restoreAllMocks());

  function mountItem(api: Router) {
    api.get('/probe/items/:id', (c) => c.json({ id: c.req.param('id') }));
  }

  it('writes one Analytics Engine data point per request with the route template', async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const recorder = { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void (p && points.push(p)) };
    const res = await call('/api/v1/probe/items/42', { mount: mountItem, env: { ANALYTICS: recorder } });
    expect(res.status).toBe(200);
    expect(points).toHaveLength(1);
    expect(points[0]?.indexes).toEqual(['/api/v1/probe/items/:id']);
    expect(points[0]?.blobs?.slice(0, 3)).toEqual(['GET', '/api/v1/probe/items/:id', '200']);
    expect(points[0]?.blobs?.[3]).toBe(res.headers.get('x-request-id'));
    expect(points[0]?.doubles?.[1]).toBe(200);
  });

  it('a failing analytics binding does not fail the request', async () => {
    const broken = { writeDataPoint: () => { throw new Error('dataset gone'); } };
    const res = await call('/api/v1/probe/items/1', { mount: mountItem, env: { ANALYTICS: broken } });
    expect(res.status).toBe(200);
  });

  it('logs one structured JSON line per request', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const res = await call(new Request('http://api.test/api/v1/probe/items/7', { headers: { 'X-Request-Id': 'log-test-0001' } }), {
      mount: mountItem,
      env: { LOG_LEVEL: 'info' },
    });
    expect(res.status).toBe(200);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'info',
      requestId: 'log-test-0001',
      method: 'GET',
      route: '/api/v1/probe/items/:id',
      path: '/api/v1/probe/items/7',
      status: 200,
    });
    expect(typeof entries[0]?.latencyMs).toBe('number');
  });
});
