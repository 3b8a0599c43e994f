import { describe, expect, it } from 'vitest';
import type { ReserveResult } from '../../../durable-objects/inventory-types';
import { inventory, sqlRows } from './helpers';

/** Calls on one object never interleave between reading and writing: nothing is oversold. */
describe('InventoryDO under concurrency', () => {
  it('500 concurrent reserve(1) against 50 units give exactly 50', async () => {
    const inv = inventory();
    await inv.setOnHand(50, 'admin');
    const results: ReserveResult[] = await Promise.all(Array.from({ length: 500 }, (_, i) => inv.reserve(`r-${i}`, 1, 600)));
    const granted = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(granted).toHaveLength(50);
    expect(refused).toHaveLength(450);
    for (const r of refused) expect(r).toEqual({ ok: false, reason: 'out_of_stock', available: 0 });
    expect(await inv.level()).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    const [count] = await sqlRows<{ n: number; total: number }>(
      inv.stub,
      `SELECT COUNT(*) AS n, SUM(qty) AS total FROM reservations WHERE status = 'active'`,
    );
    expect(count).toEqual({ n: 50, total: 50 });
    expect((await inv.reservations()).map((r) => r.id).sort()).toEqual(
      granted.map((r) => (r.ok ? r.reservationId : '')).sort(),
    );
  });

  it('concurrent mixed traffic on a brand-new SKU never oversells', async () => {
    // The first calls race the lazy initialisation as well.
    const inv = inventory();
    const ops: Array<Promise<unknown>> = [inv.adjust(20, 'restock', 'admin')];
    for (let i = 0; i < 200; i++) ops.push(inv.reserve(`m-${i}`, 1 + (i % 3), 600));
    for (let i = 0; i < 50; i++) ops.push(inv.hold(`h-${i}`, 1, 600));
    const results = await Promise.all(ops);
    const level = await inv.level();
    expect(level.onHand).toBe(20);
    expect(level.reserved).toBeLessThanOrEqual(20);
    expect(level.available).toBe(20 - level.reserved);
    const granted = results.slice(1).reduce<number>((sum, r) => sum + ((r as ReserveResult).ok ? (r as { qty: number }).qty : 0), 0);
    expect(granted).toBe(level.reserved);
  });

  it('concurrent commits and releases keep onHand and available consistent', async () => {
    const inv = inventory();
    await inv.setOnHand(30, 'admin');
    await Promise.all(Array.from({ length: 30 }, (_, i) => inv.reserve(`c-${i}`, 1, 600)));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? inv.commit(`c-${i}`) : inv.release(`c-${i}`))),
    );
    expect(await inv.level()).toMatchObject({ onHand: 15, reserved: 0, available: 15 });
    const sales = (await inv.movements(null, 100)).filter((m) => m.reason === 'sale');
    expect(sales).toHaveLength(15);
  });
});
