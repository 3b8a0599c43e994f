import { describe, expect, it } from 'vitest';
import { call } from '../../support/app';
import { shardedSku } from './helpers';

const env = { BENCH_ROUTES: 'true' };
const post = (path: string) => call(new Request(`http://api.test${path}`, { method: 'POST' }), { env });
const get = (path: string) => call(new Request(`http://api.test${path}`), { env });

describe('GET /bench/inventory-hold/:sku (inventory-hot-sku)', () => {
  it('reports the calls that held the SKU’s objects and their average hold, over all shards, and resets', async () => {
    const inv = await shardedSku(100, 4);
    await get(`/bench/inventory-hold/${inv.sku}`);
    for (let i = 0; i < 6; i++) expect((await post(`/bench/reserve-release/${inv.sku}`)).status).toBe(200);
    const hold = await (await get(`/bench/inventory-hold/${inv.sku}`)).json<{ shards: number; calls: number; avgHoldMs: number }>();
    expect(hold).toMatchObject({ shards: 4, calls: 12 });
    expect(hold.avgHoldMs).toBeGreaterThanOrEqual(0);
    expect(await (await get(`/bench/inventory-hold/${inv.sku}`)).json()).toEqual({ shards: 4, calls: 0, avgHoldMs: 0 });
    expect(await inv.level()).toMatchObject({ onHand: 100, reserved: 0 });
  });
});
