import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { inventory, reservationRow } from './helpers';

/** What a call did, run inside the object (a rejecting RPC leaks an unhandled rejection in the vitest integration). */
function outcome(inv: ReturnType<typeof inventory>, call: (o: InventoryDO) => Promise<unknown>) {
  return runInDurableObject(inv.stub, async (o: InventoryDO) => {
    try {
      return { value: await call(o) };
    } catch (err) {
      return { error: String(err) };
    }
  });
}

/**
 * Holds and late commits must not open a way around the two rules of §4:
 * nothing is oversold, and a committed reservation is sold exactly once.
 */
describe('InventoryDO hold/commit safety', () => {
  it('hold() on an id that was already committed does not reopen it', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.hold('cart-1', 3, 600);
    expect(await inv.commit('cart-1')).toMatchObject({ ok: true, qty: 3, level: { onHand: 7 } });

    // The cart renews its hold with the same id after checkout went through.
    const again = await inv.hold('cart-1', 3, 600);
    expect(again).not.toMatchObject({ ok: true, status: 'active' });
    expect((await reservationRow(inv.stub, 'cart-1'))?.status).toBe('committed');
    expect(await inv.level()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });

    // A replayed payment webhook must not sell the same reservation twice…
    expect(await inv.commit('cart-1')).toMatchObject({ ok: true, level: { onHand: 7 } });
    expect((await inv.movements(null, 10)).filter((m) => m.reason === 'sale')).toHaveLength(1);
    // …and a cancelled checkout must still see it as sold.
    expect(await inv.release('cart-1')).toEqual({ ok: false, status: 'committed' });
  });

  for (const bad of [-5, 1.5]) {
    it(`hold() refuses to change an existing hold to qty ${bad}`, async () => {
      const inv = inventory();
      await inv.setOnHand(10, 'admin');
      await inv.hold('cart', 5, 600);
      const result = await outcome(inv, (o) => o.hold(inv.sku, 'cart', bad, 600));
      expect('error' in result || (result.value as { ok: boolean }).ok === false, JSON.stringify(result)).toBe(true);
      expect(await inv.level()).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
      expect((await reservationRow(inv.stub, 'cart'))?.qty).toBe(5);
      // Had it been accepted, this would oversell: 6 more than are free.
      expect(await inv.reserve('other', 6, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 5 });
    });
  }

  it('a new hold with a bad qty is refused like reserve()', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    for (const bad of [0, -1, 2.5]) {
      const result = await outcome(inv, (o) => o.hold(inv.sku, `new-${bad}`, bad, 600));
      expect(result).toEqual({ error: 'RangeError: qty must be a positive integer' });
    }
    expect(await inv.level()).toMatchObject({ reserved: 0, available: 10 });
  });

  for (const bad of [-3, 0.5]) {
    it(`commit() with takeIfExpired ${bad} never adds stock`, async () => {
      const inv = inventory();
      await inv.setOnHand(4, 'admin');
      const result = await outcome(inv, (o) => o.commit(inv.sku, 'unknown-order', { takeIfExpired: bad }));
      expect('error' in result || (result.value as { ok: boolean }).ok === false, JSON.stringify(result)).toBe(true);
      expect(await inv.level()).toMatchObject({ onHand: 4, available: 4 });
      expect((await inv.movements(null, 10)).filter((m) => m.reason === 'sale')).toEqual([]);
    });
  }
});
