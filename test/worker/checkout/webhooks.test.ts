import { SELF } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxEvents, webhookEvents } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { deliver, forwardStripeEvents, stripeEvents } from '../../support/stripe';
import { createUser, type TestUser, withDb } from '../../support/users';
import { buy, confirmAtStripe, entriesTo, level, movements, openShop, orderOf, type OrderBody, pay, signStripe } from '../../support/checkout';

const seen = (eventId: string) => withDb((db) => db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId)));

/** What an order's payment left behind: its state, its history, and the stock it took. */
async function footprint(buyer: TestUser, orderId: string, sku: string) {
  const order = await orderOf(buyer, orderId);
  const sales = (await movements(sku)).filter((m) => m.reason === 'sale' && m.reservationId?.includes(orderId));
  return {
    status: order.status,
    history: (order.history ?? []).map((h) => `${h.from}->${h.to}`),
    sales: sales.map((m) => m.delta),
    level: await level(sku),
  };
}

/** A shop with one SKU of 5 units and a buyer whose pending order holds 2 of them. */
async function pendingOrder() {
  const shop = await openShop([3000], 5);
  const sku = shop.skus[0] ?? '';
  const buyer = await createUser();
  const placed = await buy(buyer, [[sku, 2]]);
  return { shop, sku, buyer, placed, pi: placed.payment.paymentIntentId };
}

const post = (body: string, headers: Record<string, string>) =>
  SELF.fetch('http://api.test/api/v1/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('Stripe webhooks: late, twice, shuffled, replayed, forged', () => {
  const expected = { status: 'paid', history: ['null->pending_payment', 'pending_payment->paid'], sales: [-2] };

  it('in order: the order is paid once and its stock committed once (the reference)', async () => {
    const { sku, buyer, placed, pi } = await pendingOrder();
    await confirmAtStripe(pi);
    const { statuses } = await forwardStripeEvents(pi);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await footprint(buyer, placed.order.id, sku)).toMatchObject({ ...expected, level: { onHand: 3, reserved: 0, available: 3 } });
  });

  it('only by webhook, shuffled and delivered twice: the same final state', async () => {
    const { sku, buyer, placed, pi } = await pendingOrder();
    await confirmAtStripe(pi);
    const { statuses, entries } = await forwardStripeEvents(pi, { shuffle: true, twice: true });
    expect(entries.map((e) => e.type)).toContain('payment_intent.succeeded');
    expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);
    expect(await footprint(buyer, placed.order.id, sku)).toMatchObject({ ...expected, level: { onHand: 3, reserved: 0, available: 3 } });
  });

  it('late (after /payments/process already paid it), shuffled and twice: nothing is applied again', async () => {
    const { sku, buyer, placed, pi } = await pendingOrder();
    const res = await pay(buyer, placed.order.id);
    expect(res.status, await res.clone().text()).toBe(200);
    const before = await footprint(buyer, placed.order.id, sku);
    expect(before).toMatchObject({ ...expected, level: { onHand: 3, reserved: 0 } });

    const { statuses } = await forwardStripeEvents(pi, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await footprint(buyer, placed.order.id, sku)).toEqual(before);
  });

  it('the same succeeded event delivered five times at once: paid once, committed once', async () => {
    const { sku, buyer, placed, pi } = await pendingOrder();
    await confirmAtStripe(pi);
    const succeeded = (await stripeEvents(pi)).find((e) => e.type === 'payment_intent.succeeded');
    expect(succeeded).toBeDefined();
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(succeeded as NonNullable<typeof succeeded>)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const order = await orderOf(buyer, placed.order.id);
    expect(entriesTo(order, 'paid')).toBe(1);
    expect(await footprint(buyer, placed.order.id, sku)).toMatchObject({ ...expected, level: { onHand: 3, reserved: 0 } });
  });

  it('an event id already processed answers 200 { replay: true } and changes nothing', async () => {
    const { sku, buyer, placed, pi } = await pendingOrder();
    await confirmAtStripe(pi);
    const succeeded = (await stripeEvents(pi)).find((e) => e.type === 'payment_intent.succeeded');
    if (!succeeded) throw new Error('no payment_intent.succeeded event');
    const first = await deliver(succeeded);
    expect(await first.json()).toEqual({ received: true, replay: false });
    expect(await seen(succeeded.id)).toHaveLength(1);
    const before = await footprint(buyer, placed.order.id, sku);

    const again = await deliver(succeeded);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, replay: true });
    expect(await footprint(buyer, placed.order.id, sku)).toEqual(before);
  });

  it('a declined attempt, delivered twice, records exactly one payment.failed event for the buyer', async () => {
    const { buyer, placed, pi } = await pendingOrder();
    await confirmAtStripe(pi, 'pm_card_chargeDeclined').catch(() => undefined);
    const { entries, statuses } = await forwardStripeEvents(pi, { types: ['payment_intent.payment_failed'], twice: true });
    expect(entries.length).toBe(2);
    expect(statuses).toEqual([200, 200]);
    const failures = await withDb((db) =>
      db.select().from(outboxEvents).where(sql`${outboxEvents.type} = 'payment.failed' and ${outboxEvents.payload}->>'orderId' = ${placed.order.id}`),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]?.payload).toMatchObject({ orderId: placed.order.id, userId: buyer.id, paymentIntentId: pi });
    expect(String(failures[0]?.payload.reason)).not.toBe('');
    // The order stays payable.
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
  });

  describe('signatures', () => {
    async function paidAtStripeOnly() {
      const setup = await pendingOrder();
      await confirmAtStripe(setup.pi);
      const event = (await stripeEvents(setup.pi)).find((e) => e.type === 'payment_intent.succeeded');
      if (!event) throw new Error('no payment_intent.succeeded event');
      return { ...setup, event };
    }

    async function expectUntouched(buyer: TestUser, order: OrderBody['id'], sku: string, eventId: string) {
      expect((await orderOf(buyer, order)).status).toBe('pending_payment');
      expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });
      expect(await seen(eventId)).toHaveLength(0);
    }

    it('signed with another secret: 400 VALIDATION_FAILED, nothing changes; the genuine delivery then works', async () => {
      const { sku, buyer, placed, event } = await paidAtStripeOnly();
      const forged = await post(event.body, { 'stripe-signature': await signStripe(event.body, { secret: 'whsec_not_the_real_secret' }) });
      const problem = await expectProblem(forged, 400, 'VALIDATION_FAILED');
      expect(problem.errors?.[0]?.path).toBe('Stripe-Signature');
      await expectUntouched(buyer, placed.order.id, sku, event.id);

      // A body altered after Stripe signed it fails too.
      const tampered = await post(event.body.replace('"succeeded"', '"succeeded" '), { 'stripe-signature': event.signature });
      await expectProblem(tampered, 400, 'VALIDATION_FAILED');
      await expectUntouched(buyer, placed.order.id, sku, event.id);

      expect((await deliver(event)).status).toBe(200);
      expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    });

    it('correctly signed but ten minutes old: 400, nothing changes; a fresh signature of the same body is accepted', async () => {
      const { sku, buyer, placed, event } = await paidAtStripeOnly();
      const stale = await signStripe(event.body, { t: Math.floor(Date.now() / 1000) - 600 });
      await expectProblem(await post(event.body, { 'stripe-signature': stale }), 400, 'VALIDATION_FAILED');
      await expectUntouched(buyer, placed.order.id, sku, event.id);

      const fresh = await post(event.body, { 'stripe-signature': await signStripe(event.body) });
      expect(fresh.status, await fresh.clone().text()).toBe(200);
      expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    });

    it('a correctly signed event that lies about the payment changes nothing: Stripe itself is asked', async () => {
      const { sku, buyer, placed, pi } = await pendingOrder();
      const body = JSON.stringify({
        id: `evt_fake_${crypto.randomUUID().slice(0, 8)}`,
        object: 'event',
        type: 'payment_intent.succeeded',
        data: { object: { id: pi, object: 'payment_intent', status: 'succeeded', amount_received: placed.order.total, metadata: { order_id: placed.order.id } } },
      });
      const res = await post(body, { 'stripe-signature': await signStripe(body) });
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
      expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });
    });

    it('without a Stripe-Signature header, or with garbage in it: 400, nothing changes', async () => {
      const { sku, buyer, placed, event } = await paidAtStripeOnly();
      await expectProblem(await post(event.body, {}), 400, 'VALIDATION_FAILED');
      await expectProblem(await post(event.body, { 'stripe-signature': 'nonsense' }), 400, 'VALIDATION_FAILED');
      await expectUntouched(buyer, placed.order.id, sku, event.id);
    });
  });
});
