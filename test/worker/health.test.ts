import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { testEnv } from '../support/app';

describe('GET /health', () => {
  it('answers 200 without touching dependencies', async () => {
    const res = await SELF.fetch('http://api.test/health');
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; time: string }>();
    expect(body.status).toBe('ok');
    expect(Date.parse(body.time)).not.toBeNaN();
  });
});

describe('GET /health/ready', () => {
  it('reports every dependency up with its latency (to monitoring, with the readiness token)', async () => {
    const res = await SELF.fetch('http://api.test/health/ready', { headers: { 'X-Readiness-Token': testEnv.READINESS_TOKEN ?? '' } });
    const body = await res.json<{ status: string; checks: Record<string, { status: string; latencyMs: number }> }>();
    expect(body).toMatchObject({ status: 'ready' });
    expect(res.status).toBe(200);
    for (const name of ['postgres', 'redis', 'durableObjects', 'r2']) {
      expect(body.checks[name]?.status, name).toBe('up');
      expect(body.checks[name]?.latencyMs, name).toBeGreaterThanOrEqual(0);
    }
  });
});
