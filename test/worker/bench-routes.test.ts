import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/env';
import { AppError } from '../../shared/errors';
import { call, expectProblem, testEnv } from '../support/app';

/** /bench/* (workers/bench) exists only where the validated config enables BENCH_ROUTES, and never in production. */

const noop = () => new Request('http://api.test/bench/noop');
const reserveRelease = () => new Request('http://api.test/bench/reserve-release/bench-test-sku', { method: 'POST' });

/** The settings loadConfig names as missing or invalid (none: the config is valid). */
function refusedSettings(env: Record<string, unknown>): string[] {
  try {
    loadConfig({ ...testEnv, ...env } as never);
    return [];
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'MISCONFIGURED') throw err;
    return err.extensions?.settings as string[];
  }
}

describe('/bench routes', () => {
  it('do not exist when BENCH_ROUTES is off or unset', async () => {
    for (const env of [{}, { BENCH_ROUTES: 'false' }]) {
      await expectProblem(await call(noop(), { env }), 404, 'NOT_FOUND');
      await expectProblem(await call(reserveRelease(), { env }), 404, 'NOT_FOUND');
    }
  });

  it('answer when the config enables them', async () => {
    const env = { BENCH_ROUTES: 'true' };
    const res = await call(noop(), { env });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const reserved = await call(reserveRelease(), { env });
    expect(reserved.status).toBe(200);
    expect(await reserved.json()).toEqual({ reserved: expect.any(Boolean) });
  });

  it('are refused by the production config: MISCONFIGURED naming BENCH_ROUTES', async () => {
    const problem = await expectProblem(await call(noop(), { env: { APP_ENV: 'production', BENCH_ROUTES: 'true' } }), 500, 'MISCONFIGURED');
    expect(problem.settings).toEqual(expect.arrayContaining(['BENCH_ROUTES']));
    expect(refusedSettings({ APP_ENV: 'production', BENCH_ROUTES: '1' })).toContain('BENCH_ROUTES');
    expect(refusedSettings({ APP_ENV: 'production', BENCH_ROUTES: 'false' })).not.toContain('BENCH_ROUTES');
    expect(refusedSettings({ APP_ENV: 'staging', BENCH_ROUTES: 'true' })).toEqual([]);
    expect(refusedSettings({ BENCH_ROUTES: 'sometimes' })).toEqual(['BENCH_ROUTES']);
  });
});
