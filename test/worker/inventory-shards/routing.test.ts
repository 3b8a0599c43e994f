import { describe, expect, it } from 'vitest';
import { homeShard } from '../../../durable-objects/inventory-shards';
import { expireAll, idsOn, mirrorRow, settle, shardLevels, shardedSku, sqlRows } from './helpers';

describe('a SKU split into stock shards', () => {
  it('spreads the units over the shards and reads, and mirrors, their sum', async () => {
    const inv = await shardedSku(80, 8);
    expect(await inv.shardCount()).toBe(8);
    const shards = await shardLevels(inv, 8);
    expect(shards.map((s) => s.onHand)).toEqual([10, 10, 10, 10, 10, 10, 10, 10]);
    expect(await inv.level()).toMatchObject({ onHand: 80, reserved: 0, available: 80 });
    await inv.reserve('a', 3, 600);
    await settle(inv, 8);
    expect(await mirrorRow(inv.sku)).toMatchObject({ onHand: 80, reserved: 3, available: 77 });
  });

  it('keeps a reservation on the shard its id hashes to; commit and release find it there, and repeats change nothing', async () => {
    const inv = await shardedSku(80, 8);
    const [onThree] = idsOn(3, 8, 1, 'order');
    expect(await inv.reserve(onThree!, 2, 600)).toMatchObject({ ok: true, qty: 2, status: 'active' });
    expect(await inv.reserve(onThree!, 2, 600)).toMatchObject({ ok: true, qty: 2, status: 'active' });
    expect((await shardLevels(inv, 8))[3]).toMatchObject({ onHand: 10, reserved: 2 });
    expect(await inv.commit(onThree!)).toMatchObject({ ok: true, qty: 2 });
    expect(await inv.commit(onThree!)).toMatchObject({ ok: true, qty: 2 });
    expect(await inv.release(onThree!)).toEqual({ ok: false, status: 'committed' });
    expect((await shardLevels(inv, 8))[3]).toMatchObject({ onHand: 8, reserved: 0 });

    const [onFive] = idsOn(5, 8, 1, 'cart');
    await inv.hold(onFive!, 1, 600);
    await inv.hold(onFive!, 4, 600);
    expect((await inv.reservations()).map((r) => [r.id, r.qty])).toEqual([[onFive, 4]]);
    expect(await inv.release(onFive!)).toEqual({ ok: true, status: 'released' });
    expect(await inv.release(onFive!)).toEqual({ ok: true, status: 'released' });
    expect(await inv.level()).toMatchObject({ onHand: 78, reserved: 0, available: 78 });
  });

  it('a shard that ran dry pulls units from the others, and the total is never exceeded', async () => {
    const inv = await shardedSku(16, 4);
    const ids = idsOn(2, 4, 17, 'buyer');
    const results = await Promise.all(ids.map((id) => inv.reserve(id, 1, 600)));
    expect(results.filter((r) => r.ok)).toHaveLength(16);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'out_of_stock', available: 0 }]);
    const shards = await shardLevels(inv, 4);
    expect(shards[2]).toMatchObject({ onHand: 16, reserved: 16 });
    expect(shards.filter((_, i) => i !== 2).every((s) => s.onHand === 0)).toBe(true);
    // Every move is recorded on both sides, once, with the same number of units.
    const received = new Map<string, number>();
    const sent = new Map<string, number>();
    for (let shard = 0; shard < 4; shard++) {
      for (const m of await sqlRows<{ id: string; granted: number }>(inv.shardStub(shard), `SELECT id, granted FROM moves_in WHERE status = 'done'`)) {
        received.set(m.id, m.granted);
      }
      for (const m of await sqlRows<{ id: string; qty: number }>(inv.shardStub(shard), 'SELECT id, qty FROM moves_out')) sent.set(m.id, m.qty);
    }
    expect(received.size).toBeGreaterThan(3);
    expect(received).toEqual(sent);
    expect(await inv.level()).toMatchObject({ onHand: 16, reserved: 16, available: 0 });
  });

  it('a late payment takes stock from another shard when its own is gone', async () => {
    const inv = await shardedSku(8, 2);
    const [late] = idsOn(0, 2, 1, 'late');
    const [others] = [idsOn(0, 2, 4, 'fill')];
    for (const id of others) expect((await inv.reserve(id, 1, 600)).ok).toBe(true);
    expect(await inv.commit(late!, { takeIfExpired: 2 })).toMatchObject({ ok: true, qty: 2, late: true });
    expect(await inv.level()).toMatchObject({ onHand: 6, reserved: 4, available: 2 });
  });

  it('expiry on every shard gives the units back, and the mirror agrees', async () => {
    const inv = await shardedSku(40, 4);
    await Promise.all(Array.from({ length: 30 }, (_, i) => inv.reserve(`exp-${i}`, 1, 600)));
    expect(await inv.level()).toMatchObject({ reserved: 30, available: 10 });
    await expireAll(inv, 4);
    await settle(inv, 4);
    expect(await inv.level()).toMatchObject({ onHand: 40, reserved: 0, available: 40 });
    expect(await mirrorRow(inv.sku)).toMatchObject({ onHand: 40, reserved: 0, available: 40 });
    expect(await inv.commit('exp-0')).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('stock changes land on the primary; removing more than it has gathers from the other shards first', async () => {
    const inv = await shardedSku(40, 4);
    await inv.reserve(idsOn(1, 4, 1, 'keep')[0]!, 5, 600);
    expect(await inv.adjust(-30, 'damaged', 'admin')).toMatchObject({ ok: true, level: { onHand: 10, reserved: 5, available: 5 } });
    expect(await inv.adjust(-6, 'lost', 'admin')).toMatchObject({ ok: false, reason: 'below_reserved', level: { onHand: 10, reserved: 5 } });
    expect(await inv.setOnHand(25, 'admin')).toMatchObject({ ok: true, level: { onHand: 25, reserved: 5, available: 20 } });
    expect((await inv.adjustOnce('ret-1', 2, 'returned', 'admin')).ok).toBe(true);
    expect(await inv.adjustOnce('ret-1', 2, 'returned', 'admin')).toMatchObject({ ok: true, applied: false });
    expect(await inv.level()).toMatchObject({ onHand: 27, reserved: 5 });
    const log = await inv.movements(null, 100);
    expect(log.some((m) => m.reason === 'move-in') && log.some((m) => m.reason === 'move-out')).toBe(true);
  });

  it('reshards with stock present: 8 → 3 → 1 keeps every unit, and old shards turn away callers with the old count', async () => {
    const inv = await shardedSku(81, 8);
    const sold = idsOn(6, 8, 2, 'sold');
    for (const id of sold) {
      await inv.reserve(id, 1, 600);
      await inv.commit(id);
    }
    expect(await inv.reshard(3)).toMatchObject({ ok: true, count: 3, level: { onHand: 79, reserved: 0, available: 79 } });
    expect((await shardLevels(inv, 3)).map((s) => s.onHand)).toEqual([27, 26, 26]);
    const stale = await inv.shardStub(6).reserve({ sku: inv.sku, shard: 6, count: 8 }, 'stale', 1, 600);
    expect(stale).toEqual({ misrouted: true, count: 3, resharding: false });
    expect(await inv.reshard(1)).toMatchObject({ ok: true, count: 1, level: { onHand: 79 } });
    expect((await shardLevels(inv, 1))[0]).toMatchObject({ onHand: 79 });
    // Back to one object: the plain calling convention (a SKU, no shard) is served again.
    expect(await inv.stub.level(inv.sku)).toMatchObject({ onHand: 79 });
    await settle(inv, 1);
    expect(await mirrorRow(inv.sku)).toMatchObject({ onHand: 79, reserved: 0, available: 79 });
  });

  it('refuses to reshard while a reservation is active, and changes nothing', async () => {
    const inv = await shardedSku(20, 2);
    await inv.reserve('held', 1, 600);
    expect(await inv.reshard(4)).toEqual({ ok: false, reason: 'active_reservations', reserved: 1 });
    expect(await inv.shardCount()).toBe(2);
    expect(await inv.level()).toMatchObject({ onHand: 20, reserved: 1 });
    await inv.release('held');
    expect(await inv.reshard(4)).toMatchObject({ ok: true, count: 4 });
  });

  it('a client that cached an outdated count is told and routes again', async () => {
    const inv = await shardedSku(12, 2);
    // Resharded behind this isolate's cache (another isolate, say): the cache still says 2.
    expect(await inv.stub.reshard(inv.sku, 4)).toMatchObject({ ok: true, count: 4 });
    const id = idsOn(3, 4, 1, 'moved')[0]!;
    expect(homeShard(id, 2)).not.toBe(3);
    expect(await inv.reserve(id, 1, 600)).toMatchObject({ ok: true });
    expect((await shardLevels(inv, 4))[3]).toMatchObject({ reserved: 1 });
  });

  it('moves exactly once: a move whose answer was lost is settled by the alarm with the same id, and a repeat debits nothing', async () => {
    const inv = await shardedSku(20, 2);
    const target = { sku: inv.sku, shard: 0, count: 2 };
    // Shard 1 asked shard 0 for 4 units; shard 0 debited them, but the answer never arrived.
    await sqlRows(inv.shardStub(1), `INSERT INTO moves_in (id, donor, want, mode, granted, status, at) VALUES ('1:lost', 0, 4, 'exact', NULL, 'pending', 0)`);
    expect(await inv.shardStub(0).giveUnits(target, '1:lost', 4, 'exact')).toBe(4);
    expect(await inv.level()).toMatchObject({ onHand: 16 });
    await settle(inv, 2);
    expect(await inv.level()).toMatchObject({ onHand: 20 });
    expect(await inv.shardStub(0).giveUnits(target, '1:lost', 4, 'exact')).toBe(4);
    await settle(inv, 2);
    expect((await shardLevels(inv, 2)).map((s) => s.onHand)).toEqual([6, 14]);
    expect(await inv.level()).toMatchObject({ onHand: 20 });
  });
});
