import { describe, expect, it } from 'vitest';
import { expectInvariants } from '../../support/invariants';
import { failNextStripeCalls, forwardStripeEvents, stripeEvents } from '../../support/stripe';
import { api, createUser, type TestUser } from '../../support/users';
import { addToCart, buy, intentAtStripe, level, openShop, orderOf, type Placed, placeOrder } from '../../support/checkout';
import { buyerWithCart, expectNothingTaken, expectUnavailable } from './helpers';

// The stand-in fails calls before they run (nothing changes at "Stripe"). Each
// fault is matched to this test's own calls (the buyer's id in the
// PaymentIntent's metadata, or the PaymentIntent id in the path), so suites
// running in parallel never take it. The SDK makes 3 attempts (maxNetworkRetries 2).
const ATTEMPTS = 3;

/** PaymentIntents the stand-in created for this buyer (their metadata names the user). */
const intentsOf = async (buyer: TestUser) =>
  (await stripeEvents('')).filter((e) => e.type === 'payment_intent.created' && e.body.includes(buyer.id)).map((e) => e.paymentIntent);

const chargesOf = async (intent: string) => (await stripeEvents(intent)).filter((e) => e.type === 'charge.succeeded').length;

describe('Stripe failing during POST /orders', { timeout: 90_000 }, () => {
  it('500 on every attempt: 503, no order, stock released; the same key then places the order', async () => {
    const { buyer, skus } = await buyerWithCart([2000, 500], 4, [1, 3]);
    const [a, b] = skus as [string, string];
    const key = crypto.randomUUID();
    await failNextStripeCalls(ATTEMPTS, '500', buyer.id);
    await expectUnavailable(await placeOrder(buyer, key));
    await expectNothingTaken(buyer, { [a]: 4, [b]: 4 });
    expect(await intentsOf(buyer)).toEqual([]);

    const retry = await placeOrder(buyer, key);
    expect(retry.status, await retry.clone().text()).toBe(201);
    expect(await intentsOf(buyer)).toHaveLength(1);
    expect(await level(b)).toMatchObject({ onHand: 4, reserved: 3 });
    await expectInvariants([a, b]);
  });

  it('one 500 or one timeout: the SDK retries under the same key; one order, one PaymentIntent', async () => {
    const shop = await openShop([700], 6);
    const sku = shop.skus[0] ?? '';
    for (const kind of ['500', 'timeout'] as const) {
      const buyer = await createUser();
      await addToCart(buyer, sku, 1);
      await failNextStripeCalls(1, kind, buyer.id);
      const res = await placeOrder(buyer);
      expect(res.status, `${kind}: ${await res.clone().text()}`).toBe(201);
      expect(await intentsOf(buyer), kind).toHaveLength(1);
    }
    expect(await level(sku)).toMatchObject({ onHand: 6, reserved: 2 });
    await expectInvariants([sku]);
  });
});

describe('Stripe failing during POST /payments/process', { timeout: 90_000 }, () => {
  const process = (buyer: TestUser, orderId: string, key: string) =>
    api('POST', '/payments/process', { token: buyer.accessToken, body: { orderId, paymentMethodId: 'pm_card_visa' }, headers: { 'idempotency-key': key } });

  it('500 on every attempt: 503, the order stays payable; a retry with the same key charges once', async () => {
    const shop = await openShop([3000], 3);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed: Placed = await buy(buyer, [[sku, 2]]);
    const intent = placed.payment.paymentIntentId;
    const key = crypto.randomUUID();

    await failNextStripeCalls(ATTEMPTS, '500', intent);
    await expectUnavailable(await process(buyer, placed.order.id, key));
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await intentAtStripe(intent)).toMatchObject({ status: 'requires_payment_method', amountReceived: 0 });
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 2 });

    const paid = await process(buyer, placed.order.id, key);
    expect(paid.status, await paid.clone().text()).toBe(200);
    // Retrying the answered request replays it; it does not confirm again.
    const again = await process(buyer, placed.order.id, key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const { statuses } = await forwardStripeEvents(intent, { twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);

    expect(await chargesOf(intent)).toBe(1);
    expect(await intentAtStripe(intent)).toMatchObject({ status: 'succeeded', amountReceived: placed.order.total });
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 1, reserved: 0 });
    await expectInvariants([sku]);
  });

  it('one timeout: the SDK retries the confirmation under its own key; charged once, order paid', async () => {
    const shop = await openShop([1100], 2);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 1]]);
    const intent = placed.payment.paymentIntentId;
    await failNextStripeCalls(1, 'timeout', `${intent}/confirm`);
    const paid = await process(buyer, placed.order.id, crypto.randomUUID());
    expect(paid.status, await paid.clone().text()).toBe(200);
    await forwardStripeEvents(intent);
    expect(await chargesOf(intent)).toBe(1);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    await expectInvariants([sku]);
  });
});
