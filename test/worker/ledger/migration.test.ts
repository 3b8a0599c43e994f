import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import backfill from '../../../migrations/0012_ledger_data.sql?raw';
import { payments, sellerOrders } from '../../../shared/db/schema';
import { postLedger } from '../../../workers/ledger/public';
import { withDb } from '../../support/users';
import { insertOrder, insertUser, markPaid, markRefunded } from './facts';
import { entriesOf, withDeps } from './helpers';

const runBackfill = () =>
  withDb(async (db) => {
    for (const statement of backfill.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));
  });

describe('migration 0012: the ledger of orders paid before it', () => {
  it('books sales and earlier refunds once; later refunds continue from them', async () => {
    const buyerId = await insertUser('customer');
    const seller = await insertUser('seller');
    const order = await insertOrder(buyerId, [{ sellerId: seller, total: 9_000, bps: 0 }]);
    const so = order.sellerOrders[0];
    if (!so) throw new Error('no seller order');
    await markPaid(order);
    // Refunded before refunds were allocated: only the seller order and the payment know.
    await withDb(async (db) => {
      await db.update(sellerOrders).set({ refundedAmount: 1_000 }).where(eq(sellerOrders.id, so.id));
      await db.update(payments).set({ amountRefunded: 1_000 }).where(eq(payments.id, order.paymentId));
    });

    await runBackfill();
    await runBackfill();
    const entries = await entriesOf(order.orderId);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ['commission', 0],
      ['refund', -1_000],
      ['sale', 9_000],
    ]);

    await markRefunded(order, so.id, 8_000, `cancel:${so.id}`);
    await withDeps((deps) => postLedger(deps, order.orderId));
    expect((await entriesOf(order.orderId)).reduce((a, e) => a + e.amount, 0)).toBe(0);
  });
});
