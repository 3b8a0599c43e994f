import { eq, inArray } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { orderItems, orders } from '../../../shared/db/schema';
import { testEnv } from '../../support/app';
import { forwardStripeEvents } from '../../support/stripe';
import { type TestUser, withDb } from '../../support/users';
import { addToCart, customers, level, openShop, pay, placeOrder, type Placed, setStock } from '../../support/checkout';
import { stampede } from '../../support/stampede';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

/** Pays every order, then forwards every webhook it produced; all must be accepted. */
async function payAll(placed: Array<{ buyer: TestUser; order: Placed }>): Promise<void> {
  const paid = await Promise.all(placed.map((p) => pay(p.buyer, p.order.order.id)));
  for (const res of paid) expect(res.status, await res.clone().text()).toBe(200);
  for (const p of placed) {
    const { statuses } = await forwardStripeEvents(p.order.payment.paymentIntentId, { shuffle: true });
    expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);
  }
}

const orderStatusesFor = (sku: string) =>
  withDb((db) =>
    db
      .select({ id: orders.id, status: orders.status })
      .from(orders)
      .innerJoin(orderItems, eq(orderItems.orderId, orders.id))
      .where(eq(orderItems.sku, sku)),
  );

describe.runIf(realPostgres)('checkout under concurrency (real Postgres)', () => {
  it('200 buyers for 10 units: exactly 10 orders, 190 OUT_OF_STOCK, all 10 paid and nothing left', { timeout: 120_000 }, async () => {
    const shop = await openShop([1500], 10);
    const sku = shop.skus[0] ?? '';
    const buyers = await customers(200);
    for (let i = 0; i < buyers.length; i += 20) await Promise.all(buyers.slice(i, i + 20).map((b) => addToCart(b, sku, 1)));

    const { outcomes, unavailable } = await stampede(buyers);
    if (unavailable) console.log(`[checkout concurrency] ${unavailable} answers were 503 (connection limit) and retried`);
    const won = outcomes.filter((o) => o.status === 201);
    const lost = outcomes.filter((o) => o.status === 409);
    const other = outcomes.filter((o) => o.status !== 201 && o.status !== 409);
    expect(other.map((o) => `${o.status} ${JSON.stringify(o.body)}`)).toEqual([]);
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(190);
    for (const o of lost) {
      expect(o.body).toMatchObject({ code: 'OUT_OF_STOCK', status: 409, items: [{ sku, requested: 1, available: 0 }] });
    }
    expect(await level(sku)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    // The database agrees: ten orders, each the one a winner was told about.
    const rows = await orderStatusesFor(sku);
    expect(rows.map((r) => r.id).sort()).toEqual(won.map((o) => (o.body as unknown as Placed).order.id).sort());

    await payAll(won.map((o) => ({ buyer: o.buyer, order: o.body as unknown as Placed })));
    const after = await orderStatusesFor(sku);
    expect(after.map((r) => r.status)).toEqual(Array(10).fill('paid'));
    expect(await level(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    const sales = (await inventoryFor(testEnv, sku).movements(null, 100)).filter((m) => m.reason === 'sale');
    expect(sales).toHaveLength(10);
  });

  it('40 buyers of three SKUs (5, 5, 3 units): at most 3 orders, and no failed order keeps a unit', { timeout: 90_000 }, async () => {
    const shop = await openShop([1000, 1200, 1400], 5);
    const skus = shop.skus;
    await setStock(shop.seller, skus[2] ?? '', 3);
    const buyers = await customers(40);
    await Promise.all(buyers.map(async (buyer) => {
      for (const sku of skus) await addToCart(buyer, sku, 1);
    }));

    const { outcomes } = await stampede(buyers);
    const won = outcomes.filter((o) => o.status === 201);
    const lost = outcomes.filter((o) => o.status !== 201);
    for (const o of lost) {
      expect(o.status, JSON.stringify(o.body)).toBe(409);
      expect(o.body.code).toBe('OUT_OF_STOCK');
      const short = o.body.items as Array<{ sku: string; requested: number; available: number }>;
      expect(short.length).toBeGreaterThan(0);
      for (const s of short) expect(skus).toContain(s.sku);
    }
    expect(won.length).toBeLessThanOrEqual(3);
    const wonIds = won.map((o) => (o.body as unknown as Placed).order.id);

    // Every unit still reserved belongs to an order that exists: nothing of a failed order survives.
    for (const sku of skus) {
      const held = await inventoryFor(testEnv, sku).reservations();
      expect(held.map((r) => r.id).sort()).toEqual(wonIds.map((id) => `order:${id}:${sku}`).sort());
      expect((await level(sku)).reserved).toBe(won.length);
    }
    const rows = await withDb((db) => db.select({ id: orders.id }).from(orders).where(inArray(orders.userId, buyers.map((b) => b.id))));
    expect(rows.map((r) => r.id).sort()).toEqual([...wonIds].sort());

    await payAll(won.map((o) => ({ buyer: o.buyer, order: o.body as unknown as Placed })));
    const stock = [5, 5, 3];
    for (const [i, sku] of skus.entries()) {
      expect(await level(sku)).toMatchObject({ onHand: (stock[i] ?? 0) - won.length, reserved: 0 });
    }

    // What the stampede left is really sellable: one more buyer gets the rest of the scarce SKU.
    const late = (await customers(1))[0] as TestUser;
    await addToCart(late, skus[2] ?? '', 3 - won.length || 1);
    const res = await placeOrder(late);
    expect(res.status, await res.clone().text()).toBe(won.length === 3 ? 409 : 201);
  });
});
