import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { providerRefunds } from '../../../shared/db/schema';
import { call, DEAD_PORT, expectProblem } from '../../support/app';
import { orderOf, paymentOf } from '../../support/checkout';
import { createUser, type TestUser, withDb } from '../../support/users';
import { clickAttempt, clickConfig, complete, openUzShop, placeClickOrder, prepare, sum } from './click';

/**
 * Refunds of Click payments through the merchant API's reversal when Click
 * cannot or will not take the payment back: the app is called with the
 * settings the case needs (Click down, another service, a wrong secret).
 */

async function paidOrder() {
  const shop = await openUzShop([2_000_000], 5);
  const buyer = await createUser();
  const placed = await placeClickOrder(buyer, [[shop.skus[0]!, 1]]);
  const orderId = placed.order.id;
  const amount = sum(placed.order.total);
  const attempt = clickAttempt();
  const prepared = await prepare({ orderId, amount, ...attempt });
  expect((await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! })).error).toBe(0);
  await fetch(new URL('/sandbox/payments', clickConfig().apiBase), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_id: attempt.paydocId, merchant_trans_id: orderId, amount }).toString(),
  });
  const payment = await paymentOf(buyer, orderId);
  return { admin: shop.admin, buyer, orderId, total: placed.order.total, paymentRowId: payment.id, paymentId: placed.payment.paymentIntentId };
}

const refundWith = (admin: TestUser, paymentRowId: string, key: string, env: Record<string, string>) =>
  call(
    new Request(`http://api.test/api/v1/payments/${paymentRowId}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: '{}',
    }),
    { env },
  );

const bookedFor = (paymentId: string) => withDb((db) => db.select().from(providerRefunds).where(eq(providerRefunds.paymentId, paymentId)));

describe('Click reversal', () => {
  it('Click unreachable: 503 DEPENDENCY_UNAVAILABLE and nothing recorded; the same refund later is reversed', async () => {
    const { admin, buyer, orderId, total, paymentRowId, paymentId } = await paidOrder();
    const key = crypto.randomUUID();
    const down = await refundWith(admin, paymentRowId, key, { CLICK_API_BASE: `http://127.0.0.1:${DEAD_PORT}/v2/merchant` });
    await expectProblem(down, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(await bookedFor(paymentId)).toEqual([]);
    expect((await orderOf(buyer, orderId)).refundedAmount).toBe(0);

    const up = await refundWith(admin, paymentRowId, crypto.randomUUID(), {});
    expect(up.status, await up.clone().text()).toBe(200);
    expect((await bookedFor(paymentId)).map((r) => [r.method, r.amount])).toEqual([['api', total]]);
  });

  it('Click refuses the reversal (an error_code that is not 0): the refund is booked as manual', async () => {
    const { admin, buyer, orderId, total, paymentRowId, paymentId } = await paidOrder();
    // Asked under another service, the sandbox knows no such payment and answers a non-zero error_code.
    const res = await refundWith(admin, paymentRowId, crypto.randomUUID(), { CLICK_SERVICE_ID: '1' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await bookedFor(paymentId)).map((r) => [r.method, r.amount])).toEqual([['manual', total]]);
    expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'refunded', refundedAmount: total });
  });

  it('Click refuses our Auth header (a wrong secret): 500 MISCONFIGURED and nothing recorded', async () => {
    const { admin, paymentRowId, paymentId } = await paidOrder();
    const res = await refundWith(admin, paymentRowId, crypto.randomUUID(), { CLICK_SECRET_KEY: 'not-the-secret-click-issued' });
    await expectProblem(res, 500, 'MISCONFIGURED');
    expect(await bookedFor(paymentId)).toEqual([]);
  });
});
