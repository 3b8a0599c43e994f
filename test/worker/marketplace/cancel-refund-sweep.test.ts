import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { refundUnfinishedCancellations } from '../../../workers/orders/public';
import { expectProblem } from '../../support/app';
import { buy, intentAtStripe, openShop, payAndSettle } from '../../support/checkout';
import { failNextStripeCalls } from '../../support/stripe';
import { createUser, withDb } from '../../support/users';
import { withDeps } from '../ledger/helpers';
import { allocationsOf, cancelPart, sellerOrderOf } from './helpers';

/** The Stripe SDK's attempts per call (one try and its retries): failing them all fails the call. */
const ATTEMPTS = 3;

describe('a cancellation whose refund failed at the provider', { timeout: 90_000 }, () => {
  it('is cancelled and unrefunded at first; the cron sweep refunds exactly its part, once', async () => {
    const [shopA, shopB] = [await openShop([1500], 10), await openShop([2500], 10)];
    const buyer = await createUser('customer', 'sweep-buyer');
    const placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 2],
    ]);
    await payAndSettle(buyer, placed);
    const soB = await sellerOrderOf(shopB.seller, placed.order.id);

    // Every attempt of the refund call fails (it names the seller order in its metadata).
    await failNextStripeCalls(ATTEMPTS, '500', soB.id);
    await expectProblem(await cancelPart(buyer, placed.order.id, soB.id), 503, 'DEPENDENCY_UNAVAILABLE');
    expect((await sellerOrderOf(shopB.seller, placed.order.id)).status).toBe('cancelled');
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);

    // Within the minute a sweep leaves it (the cancel call may still be finishing it) ...
    expect(await withDeps((deps) => refundUnfinishedCancellations(deps))).toBe(0);
    // ... after it, the sweep refunds that part under the cancel's key; a second run finds nothing.
    await withDb((db) => db.execute(sql`update seller_orders set cancelled_at = now() - interval '2 minutes' where id = ${soB.id}::uuid`));
    expect(await withDeps((deps) => refundUnfinishedCancellations(deps))).toBeGreaterThanOrEqual(1);
    expect(await withDeps((deps) => refundUnfinishedCancellations(deps))).toBe(0);
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(soB.total);
    expect((await allocationsOf(placed.order.id)).map((a) => [a.source, a.amount])).toEqual([[`cancel:${soB.id}`, soB.total]]);
  });
});
