import { describe, expect, it } from 'vitest';
import { idempotency } from '../../shared/idempotency';
import type { Router } from '../../shared/openapi';
import { call, DEAD_PORT, expectProblem, isolatedPrefix } from '../support/app';

/** A fake money-moving route: counts how often its body really ran. */
function mountCharges(state: { runs: number; fail?: boolean; gate?: Promise<void> }) {
  return (api: Router) => {
    api.post('/probe/charges', idempotency({ scope: 'probe.charge', required: true }), async (c) => {
      state.runs++;
      if (state.gate) await state.gate;
      if (state.fail) throw new Error('provider exploded');
      const body = await c.req.json<{ amount: number }>();
      return c.json({ charge: state.runs, amount: body.amount }, 201, { Location: `/charges/${state.runs}` });
    });
  };
}

const charge = (key: string | null, amount: number) =>
  new Request('http://api.test/api/v1/probe/charges', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify({ amount }),
  });

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, without running again', async () => {
    const state = { runs: 0 };
    const env = { REDIS_KEY_PREFIX: isolatedPrefix('idem') };
    const first = await call(charge('key-1', 500), { env, mount: mountCharges(state) });
    expect(first.status).toBe(201);
    const firstBody = await first.json();

    const again = await call(charge('key-1', 500), { env, mount: mountCharges(state) });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(firstBody);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe('/charges/1');
    expect(state.runs).toBe(1);
  });

  it('answers 409 when the key is reused with another body', async () => {
    const state = { runs: 0 };
    const env = { REDIS_KEY_PREFIX: isolatedPrefix('idem') };
    expect((await call(charge('key-2', 500), { env, mount: mountCharges(state) })).status).toBe(201);
    await expectProblem(await call(charge('key-2', 999), { env, mount: mountCharges(state) }), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(state.runs).toBe(1);
  });

  it('answers 409 to a retry while the first request is still running', async () => {
    let open!: () => void;
    const state = { runs: 0, gate: new Promise<void>((resolve) => (open = resolve)) };
    const env = { REDIS_KEY_PREFIX: isolatedPrefix('idem') };
    const first = call(charge('key-3', 100), { env, mount: mountCharges(state) });
    // Let the first request claim the key before the second arrives.
    await new Promise((r) => setTimeout(r, 300));
    const second = await call(charge('key-3', 100), { env, mount: mountCharges(state) });
    const problem = await expectProblem(second, 409, 'CONFLICT');
    expect(problem.detail).toContain('in progress');
    open();
    expect((await first).status).toBe(201);
    expect(state.runs).toBe(1);
  });

  it('forgets a 5xx so the client can retry', async () => {
    const state = { runs: 0, fail: true };
    const env = { REDIS_KEY_PREFIX: isolatedPrefix('idem') };
    await expectProblem(await call(charge('key-4', 100), { env, mount: mountCharges(state) }), 500, 'INTERNAL');
    state.fail = false;
    const retry = await call(charge('key-4', 100), { env, mount: mountCharges(state) });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(state.runs).toBe(2);
  });

  it('requires the header where the route says so, and checks its format', async () => {
    const state = { runs: 0 };
    const missing = await expectProblem(await call(charge(null, 1), { mount: mountCharges(state) }), 400, 'VALIDATION_FAILED');
    expect(missing.errors).toEqual([{ path: 'Idempotency-Key', message: 'This header is required' }]);
    await expectProblem(await call(charge('ключ', 1), { mount: mountCharges(state) }), 400, 'VALIDATION_FAILED');
    expect(state.runs).toBe(0);
  });

  it('refuses with 503 rather than risk a double charge when Redis is down', async () => {
    const state = { runs: 0 };
    const env = { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` };
    await expectProblem(await call(charge('key-5', 1), { env, mount: mountCharges(state) }), 503, 'DEPENDENCY_UNAVAILABLE');
    expect(state.runs).toBe(0);
  });
});
