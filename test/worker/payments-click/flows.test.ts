import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { providerRefunds, providerTransactions } from '../../../shared/db/schema';
import { level, orderOf, paymentOf } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { clickAttempt, clickConfig, complete, openUzShop, placeClickOrder, prepare, sum } from './click';

const transactionsOf = (orderId: string) =>
  withDb((db) => db.select().from(providerTransactions).where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.orderId, orderId))));

const cancel = (user: TestUser, id: string) => api('DELETE', `/orders/${id}`, { token: user.accessToken });
const refund = (user: TestUser, paymentId: string, body: Record<string, unknown> = {}) =>
  api('POST', `/payments/${paymentId}/refund`, { token: user.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } });

/** A buyer's Click order of 2 units of a 5-unit SKU. */
async function setup(price = 1_500_050) {
  const shop = await openUzShop([price], 5);
  const sku = shop.skus[0]!;
  const buyer = await createUser();
  const placed = await placeClickOrder(buyer, [[sku, 2]]);
  return { shop, sku, buyer, placed, orderId: placed.order.id, amount: sum(placed.order.total) };
}

/** Prepare then Complete (error 0) as Click does; both must succeed. */
async function payWithClick(orderId: string, amount: string) {
  const attempt = clickAttempt();
  const prepared = await prepare({ orderId, amount, ...attempt });
  expect(prepared).toMatchObject({ error: 0, merchant_trans_id: orderId, click_trans_id: Number(attempt.clickTransId) });
  const completed = await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! });
  expect(completed).toMatchObject({ error: 0, error_note: 'Success', merchant_confirm_id: prepared.merchant_prepare_id });
  // We played Click's part: tell the sandbox its card was charged, so its merchant API (reversal) knows the payment.
  const charged = await fetch(new URL('/sandbox/payments', clickConfig().apiBase), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_id: attempt.paydocId, merchant_trans_id: orderId, amount }).toString(),
  });
  expect(charged.status).toBe(200);
  return { ...attempt, prepareId: prepared.merchant_prepare_id! };
}

/** What the Click sandbox's merchant API says of a payment (payment_status 2 paid, -2 reversed). */
async function statusAtClick(paydocId: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(timestamp + clickConfig().secretKey)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const res = await fetch(`${clickConfig().apiBase}/payment/status/${clickConfig().serviceId}/${paydocId}`, {
    headers: { accept: 'application/json', auth: `${clickConfig().merchantUserId}:${digest}:${timestamp}` },
  });
  return res.json<{ error_code: number; payment_status?: number }>();
}

describe('Click: pay → refund', () => {
  it('the checkout URL is Click’s page for this order and amount', async () => {
    const { placed, orderId } = await setup();
    const url = new URL(placed.payment.checkoutUrl!);
    expect(url.toString().startsWith(clickConfig().checkoutBase)).toBe(true);
    expect(url.searchParams.get('transaction_param')).toBe(orderId);
    expect(url.searchParams.get('amount')).toBe(sum(placed.order.total));
    expect(url.searchParams.get('service_id')).toBe(clickConfig().serviceId);
    expect(url.searchParams.get('merchant_id')).toBe(clickConfig().merchantId);
  });

  it('Prepare then Complete pay the order and commit its stock', async () => {
    const { sku, buyer, orderId, amount, placed } = await setup();
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });
    await payWithClick(orderId, amount);
    expect((await orderOf(buyer, orderId)).status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await paymentOf(buyer, orderId)).toMatchObject({ amountReceived: placed.order.total, amountRefunded: 0 });
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([2]);
  });

  it('a full refund is reversed at Click and the order is refunded', async () => {
    const { shop, buyer, orderId, amount, placed } = await setup();
    const { paydocId } = await payWithClick(orderId, amount);
    expect(await statusAtClick(paydocId)).toMatchObject({ error_code: 0, payment_status: 2 });
    const payment = await paymentOf(buyer, orderId);

    const res = await refund(shop.admin, payment.id);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await statusAtClick(paydocId)).toMatchObject({ error_code: 0, payment_status: -2 });
    expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'refunded', refundedAmount: placed.order.total });
    expect(await paymentOf(buyer, orderId)).toMatchObject({ amountReceived: placed.order.total, amountRefunded: placed.order.total });
    const refunds = await withDb((db) => db.select().from(providerRefunds).where(eq(providerRefunds.paymentId, placed.payment.paymentIntentId)));
    expect(refunds.map((r) => [r.method, r.amount])).toEqual([['api', placed.order.total]]);
  });

  it('a partial refund is manual: nothing reversed at Click, the operator pays it back', async () => {
    const { shop, buyer, orderId, amount, placed } = await setup();
    const { paydocId } = await payWithClick(orderId, amount);
    const payment = await paymentOf(buyer, orderId);
    const res = await refund(shop.admin, payment.id, { amount: 100_000 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await statusAtClick(paydocId)).toMatchObject({ payment_status: 2 });
    expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'partially_refunded', refundedAmount: 100_000 });
    const refunds = await withDb((db) => db.select().from(providerRefunds).where(eq(providerRefunds.paymentId, placed.payment.paymentIntentId)));
    expect(refunds.map((r) => [r.method, r.amount])).toEqual([['manual', 100_000]]);
  });

  it('the buyer cancelling a paid order reverses the payment and restocks', async () => {
    const { sku, buyer, orderId, amount, placed } = await setup();
    const { paydocId } = await payWithClick(orderId, amount);
    const res = await cancel(buyer, orderId);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'cancelled', refundedAmount: placed.order.total });
    expect(await statusAtClick(paydocId)).toMatchObject({ payment_status: -2 });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });
});

describe('Click: repeats and failures', () => {
  it('a Complete arriving twice: the second answers -4 with the same ids, and the order is paid once', async () => {
    const { sku, buyer, orderId, amount } = await setup();
    const attempt = await payWithClick(orderId, amount);
    const again = await complete({ orderId, amount, ...attempt });
    expect(again).toMatchObject({ error: -4, error_note: 'Already paid', merchant_confirm_id: attempt.prepareId, merchant_trans_id: orderId });
    expect((await orderOf(buyer, orderId)).status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([2]);
  });

  it('a repeated Prepare (its answer lost) answers the same merchant_prepare_id and records one transaction', async () => {
    const { orderId, amount } = await setup();
    const attempt = clickAttempt();
    const first = await prepare({ orderId, amount, ...attempt });
    const second = await prepare({ orderId, amount, ...attempt });
    expect(second).toEqual(first);
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([1]);
  });

  it('a Complete with a negative error cancels (-9); the order stays payable and can be paid by a new attempt', async () => {
    const { sku, buyer, orderId, amount } = await setup();
    const attempt = clickAttempt();
    const prepared = await prepare({ orderId, amount, ...attempt });
    const failed = await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id!, error: -5017 });
    expect(failed).toMatchObject({ error: -9, error_note: 'Transaction cancelled' });
    expect((await orderOf(buyer, orderId)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 2 });
    // The same failure again, and then a success for the cancelled attempt: both -9 (Click's Postman scenarios 14, 15).
    expect(await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id!, error: -5017 })).toMatchObject({ error: -9 });
    expect(await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! })).toMatchObject({ error: -9 });
    expect((await orderOf(buyer, orderId)).status).toBe('pending_payment');

    await payWithClick(orderId, amount);
    expect((await orderOf(buyer, orderId)).status).toBe('paid');
    expect((await transactionsOf(orderId)).map((t) => t.state).sort()).toEqual([-1, 2]);
  });

  it('a negative error for a completed payment (Click’s Postman scenario 8): -9, and the money counts as given back', async () => {
    const { buyer, orderId, amount, placed } = await setup();
    const attempt = await payWithClick(orderId, amount);
    expect(await complete({ orderId, amount, ...attempt, error: -5017 })).toMatchObject({ error: -9, error_note: 'Transaction cancelled' });
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([-2]);
    // Click holds no money for it: the payment is refunded in full in our books (nothing for the operator to pay back).
    expect(await paymentOf(buyer, orderId)).toMatchObject({ amountReceived: placed.order.total, amountRefunded: placed.order.total });
    expect(await orderOf(buyer, orderId)).toMatchObject({ refundedAmount: placed.order.total });
    // Repeated, it stays as it is.
    expect(await complete({ orderId, amount, ...attempt, error: -5017 })).toMatchObject({ error: -9 });
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([-2]);
  });

  it('a Prepare for a paid order is -4; for a cancelled order -9; neither records anything', async () => {
    const paid = await setup();
    await payWithClick(paid.orderId, paid.amount);
    expect(await prepare({ orderId: paid.orderId, amount: paid.amount, ...clickAttempt() })).toMatchObject({ error: -4, error_note: 'Already paid' });
    expect(await transactionsOf(paid.orderId)).toHaveLength(1);

    const closed = await setup();
    expect((await cancel(closed.buyer, closed.orderId)).status).toBe(200);
    expect(await prepare({ orderId: closed.orderId, amount: closed.amount, ...clickAttempt() })).toMatchObject({ error: -9, error_note: 'Transaction cancelled' });
    expect(await transactionsOf(closed.orderId)).toHaveLength(0);
  });

  it('a Complete after the buyer cancelled the order is -9, takes no money and leaves the order cancelled', async () => {
    const { sku, buyer, orderId, amount } = await setup();
    const attempt = clickAttempt();
    const prepared = await prepare({ orderId, amount, ...attempt });
    expect(prepared.error).toBe(0);
    expect((await cancel(buyer, orderId)).status).toBe(200);
    const late = await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! });
    expect(late).toMatchObject({ error: -9 });
    expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'cancelled', refundedAmount: 0 });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await transactionsOf(orderId)).map((t) => t.state)).toEqual([-1]);
  });
});
