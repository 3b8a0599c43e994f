import { describe, expect, inject, it } from 'vitest';
import { intentAtStripe, level, movements, openShop } from '../../support/checkout';
import { createUser } from '../../support/users';
import { act, deliveredOrder, marks, requestReturn, returnOf, sellerOrderRow, step } from './support';

// PGlite runs one transaction at a time: these races only really race on a real PostgreSQL (the backend project).
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

describe(`returns under concurrency (${realPostgres ? 'real Postgres' : 'embedded, serialised'})`, () => {
  it('racing refunds of one return (each receiving it too) refund once and restock once', { timeout: 60_000 }, async () => {
    const shop = await openShop([2000], 10);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns-race');
    const order = await deliveredOrder(buyer, [[sku, 3]]);
    const so = order.sellerOrders.get(shop.seller.id);
    const ret = await returnOf(buyer, order, shop.seller.id, [[sku, 2]]);
    await step(shop.seller, ret.id, 'approve');
    expect((await level(sku)).onHand).toBe(7);

    // Six calls at once, by the seller and an admin, each with its own Idempotency-Key.
    const callers = [shop.seller, shop.admin, shop.seller, shop.admin, shop.seller, shop.admin];
    const answers = await Promise.all(callers.map((user) => act(user, ret.id, 'refund', marks(ret, true))));
    const statuses = await Promise.all(answers.map(async (res) => ({ status: res.status, body: await res.json<{ code?: string; status?: string }>() })));
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s.status !== 200).every((s) => s.status === 409 && s.body.code === 'CONFLICT'), JSON.stringify(statuses)).toBe(true);

    // 2 × 2000 and 12% tax on them; the third unit stays with the buyer, so no shipping.
    const amount = 4480;
    expect((await intentAtStripe(order.placed.payment.paymentIntentId)).amountRefunded).toBe(amount);
    expect((await sellerOrderRow(so?.id ?? ''))?.refundedAmount).toBe(amount);
    expect((await level(sku)).onHand).toBe(9);
    expect((await movements(sku)).filter((m) => m.reason === 'adjust:returned').map((m) => m.delta)).toEqual([2]);

    // And again afterwards: nothing more.
    await Promise.all([act(shop.seller, ret.id, 'refund', {}), act(shop.admin, ret.id, 'receive', marks(ret, true))]);
    expect((await intentAtStripe(order.placed.payment.paymentIntentId)).amountRefunded).toBe(amount);
    expect((await level(sku)).onHand).toBe(9);
  });

  it('racing requests for the same line never return more units than were delivered', { timeout: 60_000 }, async () => {
    const shop = await openShop([1500], 10);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns-race');
    const order = await deliveredOrder(buyer, [[sku, 3]]);
    const so = order.sellerOrders.get(shop.seller.id);
    const body = (quantity: number) => ({
      orderId: order.orderId,
      sellerOrderId: so?.id,
      items: [{ orderItemId: order.lines.get(sku)?.id, quantity }],
      reason: 'Changed my mind',
    });

    // Two for 2 units each: one wins.
    const pair = await Promise.all([requestReturn(buyer, body(2)), requestReturn(buyer, body(2))]);
    expect(pair.map((r) => r.status).sort()).toEqual([201, 409]);
    // Then five for 1 unit each, with 1 unit left: one wins.
    const five = await Promise.all(Array.from({ length: 5 }, () => requestReturn(buyer, body(1))));
    const codes = await Promise.all(five.map(async (r) => (r.status === 201 ? 201 : (await r.json<{ code: string }>()).code)));
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 'RETURN_QUANTITY_EXCEEDED')).toHaveLength(4);
  });
});
