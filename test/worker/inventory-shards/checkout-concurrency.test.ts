import { describe, expect, inject, it } from 'vitest';
import { forwardStripeEvents } from '../../support/stripe';
import { api, type TestUser } from '../../support/users';
import { addToCart, customers, level, openShop, pay, placeOrder, type Placed } from '../../support/checkout';
import { mirrorRow, settle } from './helpers';
import { inventory } from '../inventory-do/helpers';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

/** Places every buyer's order at once; a 503 (the local Postgres's connection limit) is retried with the same key, as a client must. */
async function stampede(buyers: TestUser[]) {
  const keys = buyers.map(() => crypto.randomUUID());
  const final = new Map<number, { status: number; body: Record<string, unknown> }>();
  let pending = buyers.map((_, i) => i);
  for (let wave = 0; pending.length && wave < 20; wave++) {
    if (wave) await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all(
      pending.map(async (i) => {
        const res = await placeOrder(buyers[i]!, keys[i]);
        return { i, status: res.status, body: await res.json<Record<string, unknown>>() };
      }),
    );
    pending = answers.filter((a) => a.status === 503).map((a) => a.i);
    for (const a of answers) if (a.status !== 503) final.set(a.i, a);
  }
  expect(pending).toEqual([]);
  return buyers.map((buyer, i) => ({ buyer, ...final.get(i)! }));
}

describe.runIf(realPostgres)('the checkout path on a sharded SKU (real Postgres)', () => {
  it('80 buyers for 12 units over 4 shards: exactly 12 orders, all paid, nothing left, the read table agrees', { timeout: 120_000 }, async () => {
    const shop = await openShop([1500], 12);
    const sku = shop.skus[0]!;
    const split = await api('PUT', `/inventory/${sku}/shards`, { token: shop.admin.accessToken, body: { count: 4 } });
    expect(split.status, await split.clone().text()).toBe(200);
    const buyers = await customers(80);
    for (let i = 0; i < buyers.length; i += 20) await Promise.all(buyers.slice(i, i + 20).map((b) => addToCart(b, sku, 1)));

    const outcomes = await stampede(buyers);
    const won = outcomes.filter((o) => o.status === 201);
    const lost = outcomes.filter((o) => o.status !== 201);
    expect(won).toHaveLength(12);
    for (const o of lost) expect(o.body).toMatchObject({ status: 409, code: 'OUT_OF_STOCK' });
    expect(await level(sku)).toMatchObject({ onHand: 12, reserved: 12, available: 0 });

    // Payment commits each order's reservation on the shard its id hashes to.
    for (const o of won) {
      const placed = o.body as unknown as Placed;
      expect((await pay(o.buyer, placed.order.id)).status).toBe(200);
      const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true });
      expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);
    }
    expect(await level(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    const sales = (await inventory(sku).movements(null, 1_000)).filter((m) => m.reason === 'sale');
    expect(sales).toHaveLength(12);
    await settle(inventory(sku), 4);
    expect(await mirrorRow(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
  });
});
