import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { providerTransactions } from '../../../shared/db/schema';
import { level, orderOf, paymentOf } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { clickAttempt, complete, openUzShop, placeClickOrder, prepare, sum } from './click';

/**
 * Races that only show on a real PostgreSQL (PGlite runs one transaction at a
 * time): Complete locks the order's payments row FOR UPDATE, as the buyer's
 * cancel does, so each race ends in one consistent state.
 */

const ROUNDS = 4;

async function preparedOrder() {
  const shop = await openUzShop([990_000], 5);
  const sku = shop.skus[0]!;
  const buyer = await createUser();
  const placed = await placeClickOrder(buyer, [[sku, 2]]);
  const orderId = placed.order.id;
  const amount = sum(placed.order.total);
  const attempt = clickAttempt();
  const prepared = await prepare({ orderId, amount, ...attempt });
  expect(prepared.error).toBe(0);
  return { sku, buyer, orderId, total: placed.order.total, call: { orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! } };
}

const states = (orderId: string) =>
  withDb((db) =>
    db
      .select({ state: providerTransactions.state })
      .from(providerTransactions)
      .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.orderId, orderId))),
  );

describe('Click Prepare races', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('the same Prepare twice at once: one transaction, the same answer (round %i)', async () => {
    const shop = await openUzShop([990_000], 5);
    const placed = await placeClickOrder(await createUser(), [[shop.skus[0]!, 1]]);
    const call = { orderId: placed.order.id, amount: sum(placed.order.total), ...clickAttempt() };
    const [a, b] = await Promise.all([prepare(call), prepare(call)]);
    expect(a).toMatchObject({ error: 0 });
    expect(b).toEqual(a);
    expect((await states(placed.order.id)).map((s) => s.state)).toEqual([1]);
  });
});

describe('Click Complete races', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('two Completes of one transaction: one 0, one -4, paid once (round %i)', async () => {
    const { sku, buyer, orderId, total, call } = await preparedOrder();
    const answers = await Promise.all([complete(call), complete(call)]);
    expect(answers.map((a) => a.error).sort()).toEqual([-4, 0]);
    expect((await orderOf(buyer, orderId)).status).toBe('paid');
    expect(await paymentOf(buyer, orderId)).toMatchObject({ amountReceived: total, amountRefunded: 0 });
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect((await states(orderId)).map((s) => s.state)).toEqual([2]);
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('Complete racing the buyer’s cancel ends consistently (round %i)', async () => {
    const { sku, buyer, orderId, total, call } = await preparedOrder();
    const cancel = () => api('DELETE', `/orders/${orderId}`, { token: buyer.accessToken });
    const [answer, cancelled] = await Promise.all([complete(call), cancel()]);
    const [transaction] = await states(orderId);
    if (answer.error === 0) {
      // Complete won: the payment was taken. A cancel that ran into it is 409 ("paid meanwhile") and leaves the
      // order paid; cancelling again refunds it, as a cancel that came after the payment did at once.
      expect([200, 409], await cancelled.clone().text()).toContain(cancelled.status);
      if (cancelled.status === 409) {
        expect((await orderOf(buyer, orderId)).status).toBe('paid');
        expect((await cancel()).status).toBe(200);
      }
      expect(await orderOf(buyer, orderId)).toMatchObject({ status: 'cancelled', refundedAmount: total });
      expect(transaction?.state).toBe(2);
    } else {
      const order = await orderOf(buyer, orderId);
      // The cancel won: Complete takes no money.
      expect(answer.error).toBe(-9);
      expect(order).toMatchObject({ status: 'cancelled', refundedAmount: 0 });
      expect(transaction?.state).toBe(-1);
    }
    // Either way every unit is back on the shelf and nothing is held.
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });
});
