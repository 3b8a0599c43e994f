import { describe, expect, it } from 'vitest';
import { call, DEAD_PORT, expectProblem, isolatedPrefix, testEnv } from '../support/app';
import { createUser } from '../support/users';

/** /health/ready as monitoring calls it: with the readiness token, for the per-dependency details. */
const monitored = (headers: Record<string, string> = {}) =>
  new Request('http://api.test/health/ready', { headers: { 'X-Readiness-Token': testEnv.READINESS_TOKEN ?? '', ...headers } });

type Checks = Record<string, { status: string; latencyMs: number; error?: string }>;

describe('GET /health/ready with a dependency down', () => {
  it('answers 503 when Postgres is unreachable, naming it', async () => {
    const res = await call(monitored(), { env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${DEAD_PORT}/none` } });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    const checks = problem.checks as Checks;
    expect(checks.postgres?.status).toBe('down');
    expect(checks.redis?.status).toBe('up');
    expect(problem.detail).toContain('postgres');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('answers 503 when Redis is unreachable, naming it', async () => {
    const res = await call(monitored(), { env: { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` } });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    const checks = problem.checks as Checks;
    expect(checks.redis?.status).toBe('down');
    expect(checks.postgres?.status).toBe('up');
  });

  it('does not leak the database password in the check error', async () => {
    const res = await call(monitored(), { env: { DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${DEAD_PORT}/none` } });
    expect(await res.text()).not.toContain('s3cret-pw');
  });
});

describe('GET /health/ready: who sees what', () => {
  const ready = (headers: Record<string, string> = {}, env: Record<string, unknown> = {}) =>
    call(new Request('http://api.test/health/ready', { headers }), { env });

  it('an anonymous caller gets the overall status only', async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('an anonymous caller learns that it is not ready, not which dependency or why', async () => {
    const res = await ready({}, { DATABASE_URL: `postgres://postgres@127.0.0.1:${DEAD_PORT}/none` });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(problem.checks).toBeUndefined();
    expect(problem.dependency).toBeUndefined();
    expect(JSON.stringify(problem)).not.toMatch(/postgres|ECONNREFUSED|127\.0\.0\.1/i);
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('the readiness token or an admin token reads every check; a wrong token or a customer does not', async () => {
    const [admin, customer] = await Promise.all([createUser('admin'), createUser('customer')]);
    const detailed = async (res: Response) => Object.keys(((await res.json()) as { checks?: Checks }).checks ?? {}).sort();
    const all = ['durableObjects', 'postgres', 'r2', 'redis'];
    expect(await detailed(await ready({ 'X-Readiness-Token': testEnv.READINESS_TOKEN ?? '' }))).toEqual(all);
    expect(await detailed(await ready({ Authorization: `Bearer ${admin.accessToken}` }))).toEqual(all);
    expect(await detailed(await ready({ 'X-Readiness-Token': `${testEnv.READINESS_TOKEN}x` }))).toEqual([]);
    expect(await detailed(await ready({ 'X-Readiness-Token': '' }))).toEqual([]);
    expect(await detailed(await ready({ Authorization: `Bearer ${customer.accessToken}` }))).toEqual([]);
    expect(await detailed(await ready({ Authorization: 'Bearer not-a-token' }))).toEqual([]);
    // Without a configured token, no header value unlocks the details.
    expect(await detailed(await ready({ 'X-Readiness-Token': '' }, { READINESS_TOKEN: undefined }))).toEqual([]);
  });

  it('is rate-limited per client with its own limit', async () => {
    const env = { READINESS_RATE_LIMIT_REQUESTS: '2', REDIS_KEY_PREFIX: isolatedPrefix('ready') };
    const from = (ip: string) => call(new Request('http://api.test/health/ready', { headers: { 'CF-Connecting-IP': ip } }), { env });
    expect((await from('203.0.113.20')).status).toBe(200);
    expect((await from('203.0.113.20')).status).toBe(200);
    await expectProblem(await from('203.0.113.20'), 429, 'RATE_LIMITED');
    expect((await from('203.0.113.21')).status).toBe(200);
  });
});
