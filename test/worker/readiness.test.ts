import { describe, expect, it } from 'vitest';
import { call, DEAD_PORT, expectProblem } from '../support/app';

type Checks = Record<string, { status: string; latencyMs: number; error?: string }>;

describe('GET /health/ready with a dependency down', () => {
  it('answers 503 when Postgres is unreachable, naming it', async () => {
    const res = await call('/health/ready', { env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${DEAD_PORT}/none` } });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    const checks = problem.checks as Checks;
    expect(checks.postgres?.status).toBe('down');
    expect(checks.redis?.status).toBe('up');
    expect(problem.detail).toContain('postgres');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('answers 503 when Redis is unreachable, naming it', async () => {
    const res = await call('/health/ready', { env: { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` } });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    const checks = problem.checks as Checks;
    expect(checks.redis?.status).toBe('down');
    expect(checks.postgres?.status).toBe('up');
  });

  it('does not leak the database password in the check error', async () => {
    const res = await call('/health/ready', { env: { DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${DEAD_PORT}/none` } });
    expect(await res.text()).not.toContain('s3cret-pw');
  });
});
