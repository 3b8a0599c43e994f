import { describe, expect, it } from 'vitest';
import { level } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { orderWithPayme, payme, uzsShop } from './support';

/**
 * A Payme PerformTransaction racing the buyer's DELETE /orders/{id} (both
 * lock the payment row). Whoever wins, the end is consistent: paid (the
 * buyer told 409, or the paid order then cancelled and refunded), or
 * cancelled with Perform refused (-31008). Never paid-and-cancelled without
 * the money back, never stock lost. Real races only on PostgreSQL: this file
 * is a backend suite (test/backend-suites.ts picks up *concurrency*).
 */

const ROUNDS = 6;
const STOCK = 5;
const QUANTITY = 2;

describe('PerformTransaction racing the buyer cancelling', () => {
  it(`ends consistently, ${ROUNDS} times over`, async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const { sku } = await uzsShop(990_000, STOCK);
      const buyer = await createUser();
      const { order } = await orderWithPayme(buyer, sku, QUANTITY);
      const client = payme();
      const id = `${round.toString(16).padStart(2, '0')}${crypto.randomUUID().replaceAll('-', '').slice(0, 22)}`;
      expect((await client.create(order.id, order.total, id)).result).toMatchObject({ state: 1 });

      const [performed, cancelled] = await Promise.all([client.perform(id), api('DELETE', `/orders/${order.id}`, { token: buyer.accessToken })]);
      // Payme, told -31008, cancels the transaction, as it would.
      if (performed.error) expect((await client.cancel(id, 3)).result).toMatchObject({ state: -1 });

      const tx = (await client.check(id)).result as { state: number };
      const after = await (await api('GET', `/orders/${order.id}`, { token: buyer.accessToken })).json<{ status: string; refundedAmount: number }>();
      const stock = await level(sku);
      outcomes.add(`${performed.error ? performed.error.code : 'performed'}/${cancelled.status}/${after.status}`);

      expect(stock.reserved).toBe(0);
      if (performed.error) {
        expect(performed.error.code).toBe(-31008);
        expect(cancelled.status).toBe(200);
        expect(tx.state).toBe(-1);
        expect(after).toMatchObject({ status: 'cancelled', refundedAmount: 0 });
        expect(stock.onHand).toBe(STOCK);
      } else {
        expect(performed.result).toMatchObject({ state: 2 });
        expect(tx.state).toBe(2);
        if (cancelled.status === 409) {
          // The buyer lost the race: the order is paid and its units sold.
          expect(after.status).toBe('paid');
          expect(stock.onHand).toBe(STOCK - QUANTITY);
        } else {
          // The order was paid before the cancel read it: a paid order cancelled is refunded in full and restocked.
          expect(cancelled.status).toBe(200);
          expect(after).toMatchObject({ status: 'cancelled', refundedAmount: order.total });
          expect(stock.onHand).toBe(STOCK);
        }
      }
    }
    // Which interleavings happened depends on the scheduler; each was checked above.
    expect(outcomes.size).toBeGreaterThan(0);
  });
});
