import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { refunds } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { forwardStripeEvents } from '../../support/stripe';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { buy, entriesTo, intentAtStripe, level, openShop, orderOf, pay, payAndSettle, type PaymentBody, paymentOf } from '../../support/checkout';

describe('declined and unfinished payments', () => {
  it('a declined card: 402 PAYMENT_FAILED, the order stays payable with its stock held; a good card then pays it', async () => {
    const shop = await openShop([2500], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 1]]);

    const declined = await pay(buyer, placed.order.id, 'pm_card_chargeDeclined');
    const problem = await expectProblem(declined, 402, 'PAYMENT_FAILED');
    expect(problem.declineCode).toBe('generic_decline');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 1, available: 3 });
    const failed = await paymentOf(buyer, placed.order.id);
    expect(failed).toMatchObject({ status: 'requires_payment_method', amountReceived: 0 });
    expect(failed.lastError).toEqual(expect.any(String));

    const ok = await pay(buyer, placed.order.id, 'pm_card_visa');
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'succeeded', orderId: placed.order.id });
    // The failure's webhooks arrive after the success: they must not undo it.
    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const order = await orderOf(buyer, placed.order.id);
    expect(order.status).toBe('paid');
    expect(entriesTo(order, 'paid')).toBe(1);
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ status: 'succeeded', amountReceived: placed.order.total });
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('a card that needs authentication: 402 that says requires_action (a well-formed problem), order still pending', async () => {
    const shop = await openShop([2500], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 1]]);

    const res = await pay(buyer, placed.order.id, 'pm_card_authenticationRequired');
    expect(res.status).toBe(402);
    const body = await res.clone().json<Record<string, unknown>>();
    expect(body.code).toBe('PAYMENT_FAILED');
    expect(Object.values(body), JSON.stringify(body)).toContain('requires_action');
    expect(Object.values(body).some((v) => typeof v === 'string' && v.includes('_secret_'))).toBe(true);
    expect((await paymentOf(buyer, placed.order.id)).status).toBe('requires_action');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 1 });

    // Last, the shape: the problem document's own `status` member must be the HTTP status (RFC 9457),
    // so the intent's status has to travel under another name.
    const problem = await expectProblem(res, 402, 'PAYMENT_FAILED');
    expect(Object.entries(problem).some(([name, value]) => name !== 'status' && value === 'requires_action')).toBe(true);
  });

  it('an order that is not pending cannot be paid again (409)', async () => {
    const shop = await openShop([2500], 4);
    const buyer = await createUser();
    const placed = await buy(buyer, [[shop.skus[0] ?? '', 1]]);
    await payAndSettle(buyer, placed);
    const again = await pay(buyer, placed.order.id);
    expect(again.status).toBe(409);
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ status: 'succeeded', amountReceived: placed.order.total });
    expect(entriesTo(await orderOf(buyer, placed.order.id), 'paid')).toBe(1);
    await expectProblem(again, 409, 'CONFLICT');
  });
});

const refund = (user: TestUser, paymentId: string, key: string, body: Record<string, unknown> = {}) =>
  api('POST', `/payments/${paymentId}/refund`, { token: user.accessToken, body, headers: { 'idempotency-key': key } });

describe('admin refunds', () => {
  async function paidOrder() {
    const shop = await openShop([4000], 5);
    const buyer = await createUser();
    const placed = await buy(buyer, [[shop.skus[0] ?? '', 2]]);
    await payAndSettle(buyer, placed);
    const payment = await paymentOf(shop.admin, placed.order.id);
    return { shop, admin: shop.admin, buyer, placed, payment, total: placed.order.total };
  }

  it('partial, replayed, too much, the rest, then nothing left; webhooks afterwards change nothing', async () => {
    const { admin, buyer, placed, payment, total } = await paidOrder();
    const k1 = crypto.randomUUID();

    const partial = await refund(admin, payment.id, k1, { amount: 1000 });
    expect(partial.status, await partial.clone().text()).toBe(200);
    expect(await partial.json<PaymentBody>()).toMatchObject({ id: payment.id, amountRefunded: 1000 });
    expect(await orderOf(buyer, placed.order.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 1000 });

    // The same key and body: the first answer again, and no second refund at Stripe.
    const replay = await refund(admin, payment.id, k1, { amount: 1000 });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(1000);
    await expectProblem(await refund(admin, payment.id, k1, { amount: 500 }), 409, 'IDEMPOTENCY_KEY_REUSED');

    // More than what is left, in one go.
    const over = await refund(admin, payment.id, crypto.randomUUID(), { amount: total });
    const overProblem = await expectProblem(over, 409, 'CONFLICT');
    expect(overProblem.refundable).toBe(total - 1000);
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(1000);
    expect((await paymentOf(admin, placed.order.id)).amountRefunded).toBe(1000);

    // The rest (no amount: everything left).
    const rest = await refund(admin, payment.id, crypto.randomUUID());
    expect(rest.status, await rest.clone().text()).toBe(200);
    expect(await rest.json<PaymentBody>()).toMatchObject({ amountRefunded: total });
    expect(await orderOf(buyer, placed.order.id)).toMatchObject({ status: 'refunded', refundedAmount: total });

    await expectProblem(await refund(admin, payment.id, crypto.randomUUID(), { amount: 1 }), 409, 'CONFLICT');
    await expectProblem(await refund(admin, payment.id, crypto.randomUUID()), 409, 'CONFLICT');
    expect(await intentAtStripe(placed.payment.paymentIntentId)).toMatchObject({ amountReceived: total, amountRefunded: total });
    const rows = await withDb((db) => db.select().from(refunds).where(eq(refunds.paymentId, payment.id)));
    expect(rows.map((r) => r.amount).sort((a, b) => a - b)).toEqual([1000, total - 1000].sort((a, b) => a - b));

    const before = await orderOf(buyer, placed.order.id);
    const { statuses, entries } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(entries.filter((e) => e.type === 'charge.refunded').length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = await orderOf(buyer, placed.order.id);
    expect(after).toEqual(before);
    expect(entriesTo(after, 'partially_refunded')).toBe(1);
    expect(entriesTo(after, 'refunded')).toBe(1);
    expect(await paymentOf(admin, placed.order.id)).toMatchObject({ amountReceived: total, amountRefunded: total });
  });

  it('more than captured in one go: 409 and nothing refunded', async () => {
    const { admin, buyer, placed, payment, total } = await paidOrder();
    await expectProblem(await refund(admin, payment.id, crypto.randomUUID(), { amount: total + 1 }), 409, 'CONFLICT');
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);
    expect(await orderOf(buyer, placed.order.id)).toMatchObject({ status: 'paid', refundedAmount: 0 });
  });

  it('a customer (even the buyer) or a seller cannot refund: 403', async () => {
    const { shop, buyer, placed, payment } = await paidOrder();
    await expectProblem(await refund(buyer, payment.id, crypto.randomUUID(), { amount: 100 }), 403, 'FORBIDDEN');
    await expectProblem(await refund(shop.seller, payment.id, crypto.randomUUID(), { amount: 100 }), 403, 'FORBIDDEN');
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);
  });

  it('a refund without an Idempotency-Key is 400', async () => {
    const { admin, payment } = await paidOrder();
    const res = await api('POST', `/payments/${payment.id}/refund`, { token: admin.accessToken, body: { amount: 100 } });
    await expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});
