import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { forwardStripeEvents, stripeEvents } from '../../support/stripe';
import { api, createUser, type TestUser } from '../../support/users';
import {
  buy,
  confirmAtStripe,
  entriesTo,
  intentAtStripe,
  level,
  movements,
  openShop,
  orderOf,
  type OrderBody,
  payAndSettle,
  paymentOf,
  setOrderStatus,
} from '../../support/checkout';

const cancel = (user: TestUser, id: string) => api('DELETE', `/orders/${id}`, { token: user.accessToken });

async function cancelled(user: TestUser, id: string): Promise<OrderBody> {
  const res = await cancel(user, id);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<OrderBody>();
}

/** A shop with one SKU of 5 units and a buyer whose order holds 2 of them. */
async function setup() {
  const shop = await openShop([3500], 5);
  const sku = shop.skus[0] ?? '';
  const buyer = await createUser();
  const placed = await buy(buyer, [[sku, 2]]);
  return { shop, sku, buyer, placed, pi: placed.payment.paymentIntentId };
}

describe('DELETE /orders/:id', () => {
  it('before payment: cancelled, stock released, PaymentIntent cancelled; its canceled webhook changes nothing', async () => {
    const { sku, buyer, placed, pi } = await setup();
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });

    const order = await cancelled(buyer, placed.order.id);
    expect(order).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled_by_customer', refundedAmount: 0 });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect((await intentAtStripe(pi)).status).toBe('canceled');
    expect((await stripeEvents(pi)).map((e) => e.type)).toContain('payment_intent.canceled');

    const { statuses } = await forwardStripeEvents(pi, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = await orderOf(buyer, placed.order.id);
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled_by_customer' });
    expect(entriesTo(after, 'cancelled')).toBe(1);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ status: 'canceled', amountReceived: 0, amountRefunded: 0 });
  });

  it('after payment, before shipping: cancelled, refunded in full at once, units back on the shelf', async () => {
    const { sku, buyer, placed, pi } = await setup();
    await payAndSettle(buyer, placed);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    const total = placed.order.total;

    const order = await cancelled(buyer, placed.order.id);
    expect(order).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled_by_customer', refundedAmount: total });
    expect(await intentAtStripe(pi)).toMatchObject({ amountReceived: total, amountRefunded: total });
    // The payment record says so too, without waiting for Stripe's webhook.
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ amountReceived: total, amountRefunded: total });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const returned = (await movements(sku)).filter((m) => m.reason === 'adjust:returned');
    expect(returned.map((m) => m.delta)).toEqual([2]);
  });

  it('after payment, the refund webhooks change nothing more (one refund, one restock)', async () => {
    const { sku, buyer, placed, pi } = await setup();
    await payAndSettle(buyer, placed);
    await cancelled(buyer, placed.order.id);
    const before = await orderOf(buyer, placed.order.id);

    const { statuses, entries } = await forwardStripeEvents(pi, { shuffle: true, twice: true });
    expect(entries.map((e) => e.type)).toContain('charge.refunded');
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await orderOf(buyer, placed.order.id)).toEqual(before);
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ amountRefunded: placed.order.total });
    expect((await intentAtStripe(pi)).amountRefunded).toBe(placed.order.total);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await movements(sku)).filter((m) => m.reason === 'adjust:returned')).toHaveLength(1);
  });

  it('while processing: still cancellable, refunded and restocked', async () => {
    const { shop, sku, buyer, placed } = await setup();
    await payAndSettle(buyer, placed);
    expect((await setOrderStatus(shop.seller, placed.order.id, 'processing')).status).toBe(200);
    expect(await cancelled(buyer, placed.order.id)).toMatchObject({ status: 'cancelled', refundedAmount: placed.order.total });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('after shipping: 409, nothing refunded, nothing restocked', async () => {
    const { shop, sku, buyer, placed, pi } = await setup();
    await payAndSettle(buyer, placed);
    for (const status of ['processing', 'shipped']) expect((await setOrderStatus(shop.seller, placed.order.id, status)).status).toBe(200);

    const res = await cancel(buyer, placed.order.id);
    expect(res.status).toBe(409);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('shipped');
    expect((await intentAtStripe(pi)).amountRefunded).toBe(0);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    // Last, the answer's shape: a problem document whose `status` is the HTTP status.
    await expectProblem(res, 409, 'CONFLICT');
  });

  it('twice: the second is 409 and releases or refunds nothing more', async () => {
    const { sku, buyer, placed, pi } = await setup();
    await payAndSettle(buyer, placed);
    await cancelled(buyer, placed.order.id);
    const paidAgain = await cancel(buyer, placed.order.id);
    expect(paidAgain.status).toBe(409);
    expect((await intentAtStripe(pi)).amountRefunded).toBe(placed.order.total);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await movements(sku)).filter((m) => m.reason === 'adjust:returned')).toHaveLength(1);

    const unpaid = await setup();
    await cancelled(unpaid.buyer, unpaid.placed.order.id);
    const unpaidAgain = await cancel(unpaid.buyer, unpaid.placed.order.id);
    expect(unpaidAgain.status).toBe(409);
    expect(await level(unpaid.sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(entriesTo(await orderOf(unpaid.buyer, unpaid.placed.order.id), 'cancelled')).toBe(1);

    // Last, the answers' shape: problem documents whose `status` is the HTTP status.
    await expectProblem(paidAgain, 409, 'CONFLICT');
    await expectProblem(unpaidAgain, 409, 'CONFLICT');
  });

  it('paid at Stripe while the buyer cancels: 409, the payment is applied; cancelling again refunds it', async () => {
    const { sku, buyer, placed, pi } = await setup();
    await confirmAtStripe(pi);

    const first = await cancel(buyer, placed.order.id);
    expect(first.status, await first.clone().text()).toBe(409);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });

    expect(await cancelled(buyer, placed.order.id)).toMatchObject({ status: 'cancelled', refundedAmount: placed.order.total });
    expect((await intentAtStripe(pi)).amountRefunded).toBe(placed.order.total);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("another customer's order, or a seller's attempt: 404, and the order is untouched", async () => {
    const { shop, sku, buyer, placed } = await setup();
    const stranger = await createUser();
    await expectProblem(await cancel(stranger, placed.order.id), 404, 'NOT_FOUND');
    await expectProblem(await cancel(shop.seller, placed.order.id), 404, 'NOT_FOUND');
    await expectProblem(await cancel(stranger, crypto.randomUUID()), 404, 'NOT_FOUND');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 2 });
  });
});
