import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLatency, LATENCY_PRESETS, LatencySpecError, parseLatency } from '../../scripts/bench/latency';
import { noCalls, type NetworkCalls } from '../../scripts/bench/network-calls';
import { checkNetworkBudget, loadNetworkBudget, NETWORK_BUDGET_PATH } from '../../scripts/bench/network-budget';
import { BENCH_ENDPOINTS } from '../../scripts/bench-endpoints';
import { Network } from '../../scripts/stack/network';

describe('--latency profiles', () => {
  it('a preset sets its kinds and leaves the others at 0', () => {
    const profile = parseLatency('tashkent');
    expect(profile.name).toBe('tashkent');
    expect(profile.oneWayMs).toEqual({ postgres: 0, redis: 0, stripe: 0, payme: 0, click: 0, email: 0, ...LATENCY_PRESETS.tashkent });
    expect(profile.oneWayMs.postgres).toBeGreaterThan(0);
  });

  it('kind=ms pairs, and a preset with overrides', () => {
    expect(parseLatency('postgres=45, redis=0.5').oneWayMs).toEqual({ postgres: 45, redis: 0.5, stripe: 0, payme: 0, click: 0, email: 0 });
    const what = parseLatency('tashkent,redis=1').oneWayMs;
    expect(what.redis).toBe(1);
    expect(what.postgres).toBe(LATENCY_PRESETS.tashkent!.postgres);
  });

  it.each([
    ['', /expected a preset/],
    ['postgres=45,', /expected a preset/],
    ['sydney', /unknown preset "sydney"/],
    ['mysql=45', /unknown kind "mysql"/],
    ['postgres=-5', /postgres must be a one-way delay/],
    ['postgres=fast', /postgres must be a one-way delay/],
    ['postgres=45000', /postgres must be a one-way delay from 0 to 2000/],
    ['postgres=45,postgres=50', /postgres is given twice/],
    ['redis=1,tashkent', /a preset comes first/],
  ])('refuses %j with a clear message', (spec, message) => {
    expect(() => parseLatency(spec)).toThrow(LatencySpecError);
    expect(() => parseLatency(spec)).toThrow(message);
  });

  it('applies the delays to the network model, and clears them without a profile', () => {
    const network = new Network();
    applyLatency(network, parseLatency('postgres=45,stripe=90'));
    expect([network.delayOf('postgres'), network.delayOf('stripe'), network.delayOf('redis')]).toEqual([45, 90, 0]);
    applyLatency(network, undefined);
    expect(network.delayOf('postgres')).toBe(0);
  });
});

describe('the network-call budget', () => {
  const calls = (over: Partial<NetworkCalls>): NetworkCalls => ({ ...noCalls(), ...over });
  const entry = (name: string, c: NetworkCalls) => ({ name, method: 'GET', path: `/${name}`, calls: c });
  const budget = new Map([
    ['product', calls({ redis: 2 })],
    ['order', calls({ redis: 3, durableObjects: 2, stripe: 1 })],
  ]);

  it('passes at or under budget in every kind', () => {
    const check = checkNetworkBudget([entry('product', calls({ redis: 2 })), entry('order', calls({ redis: 1, durableObjects: 2, stripe: 1 }))], budget, ['product', 'order']);
    expect(check.ok).toBe(true);
    expect(check.rows.map((r) => r.status)).toEqual(['ok', 'under']);
  });

  it('fails when one kind is over budget, naming it, even with the others under', () => {
    const check = checkNetworkBudget([entry('order', calls({ redis: 1, durableObjects: 3, stripe: 1 }))], budget, ['product', 'order']);
    expect(check.ok).toBe(false);
    expect(check.rows[0]).toMatchObject({ status: 'over', over: ['durableObjects'] });
  });

  it('a kind the entry does not name has a budget of 0', () => {
    const check = checkNetworkBudget([entry('product', calls({ redis: 2, email: 1 }))], budget, ['product', 'order']);
    expect(check.rows[0]).toMatchObject({ status: 'over', over: ['email'] });
  });

  it('fails an endpoint without an entry, one without counts, and an entry for no endpoint', () => {
    expect(checkNetworkBudget([entry('search', calls({}))], budget, ['product', 'order', 'search']).rows[0]!.status).toBe('missing');
    const uncounted = checkNetworkBudget([{ name: 'product', method: 'GET', path: '/p' }], budget, ['product', 'order']);
    expect(uncounted.ok).toBe(false);
    expect(uncounted.rows[0]!.status).toBe('unmeasured');
    const stale = checkNetworkBudget([entry('product', calls({ redis: 2 }))], budget, ['product']);
    expect(stale).toMatchObject({ ok: false, stale: ['order'] });
  });

  it('the budget file refuses an unknown kind or a bad count', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'network-budget-'));
    const file = path.join(dir, 'budget.json');
    await writeFile(file, JSON.stringify({ budgets: { product: { memcached: 1 } } }));
    await expect(loadNetworkBudget(file)).rejects.toThrow(/unknown kind memcached/);
    await writeFile(file, JSON.stringify({ budgets: { product: { redis: -1 } } }));
    await expect(loadNetworkBudget(file)).rejects.toThrow(/product.redis must be a non-negative integer/);
  });

  it('bench/network-budget.json has an entry for every bench endpoint and none for another', async () => {
    const names = new Set((await loadNetworkBudget(NETWORK_BUDGET_PATH)).keys());
    expect([...names].sort()).toEqual(BENCH_ENDPOINTS.map((e) => e.name).sort());
  });
});
