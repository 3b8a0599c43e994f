import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import backfill from '../../../migrations/0012_ledger_data.sql?raw';
import { payments, refundAllocations, refunds, sellerOrderEvents, sellerOrders } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { postLedger } from '../../../workers/ledger/public';
import { withDb } from '../../support/users';
import { insertOrder, insertUser, markPaid, markRefunded } from './facts';
import { entriesOf, withDeps } from './helpers';

const runBackfill = () =>
  withDb(async (db) => {
    for (const statement of backfill.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));
  });

/** A seller order as migration 0009 made it: its first history entry is the migration's. */
const asMigrated = (sellerOrderId: string) =>
  withDb((db) =>
    db.insert(sellerOrderEvents).values({ id: newId(), sellerOrderId, fromStatus: null, toStatus: 'paid', actor: 'system:migration', note: 'seller order created from the existing order' }),
  );

describe('migration 0012: the ledger of orders paid before it', () => {
  it('books sales and earlier refunds once; later refunds continue from them', async () => {
    const buyerId = await insertUser('customer');
    const seller = await insertUser('seller');
    const order = await insertOrder(buyerId, [{ sellerId: seller, total: 9_000, bps: 0 }]);
    const so = order.sellerOrders[0];
    if (!so) throw new Error('no seller order');
    await markPaid(order);
    await asMigrated(so.id);
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

  it('allocates refunds recorded before allocations and books them once: nothing is allocated or booked again later', async () => {
    const buyerId = await insertUser('customer');
    const [s1, s2] = [await insertUser('seller'), await insertUser('seller')];
    const order = await insertOrder(buyerId, [
      { sellerId: s1, total: 3_000, bps: 0 },
      { sellerId: s2, total: 7_000, bps: 0 },
    ]);
    await markPaid(order);
    const providerRefundId = `re_legacy_${order.orderId}`;
    // An admin refund of 1000 from before allocations: a refund row, the amounts 0009 shared by subtotal.
    await withDb(async (db) => {
      await db.insert(refunds).values({ id: newId(), paymentId: order.paymentId, providerRefundId, amount: 1_000, createdBy: buyerId });
      await db.update(payments).set({ amountRefunded: 1_000 }).where(eq(payments.id, order.paymentId));
      for (const so of order.sellerOrders) {
        await db.update(sellerOrders).set({ refundedAmount: so.sellerId === s1 ? 300 : 700 }).where(eq(sellerOrders.id, so.id));
      }
    });
    for (const so of order.sellerOrders) await asMigrated(so.id);

    await runBackfill();
    await runBackfill();
    const allocations = await withDb((db) => db.select().from(refundAllocations).where(eq(refundAllocations.orderId, order.orderId)));
    expect(allocations.map((a) => [a.source, a.amount]).sort()).toEqual([
      [`provider:${providerRefundId}`, 300],
      [`provider:${providerRefundId}`, 700],
    ]);
    const refundsBooked = (await entriesOf(order.orderId)).filter((e) => e.kind === 'refund');
    expect(refundsBooked.reduce((a, e) => a + e.amount, 0)).toBe(-1_000);
    expect(refundsBooked.every((e) => !e.key.startsWith('refund:migrated:'))).toBe(true);

    // Posting the order later books nothing more: the captured money minus refunds is the sellers' earnings.
    await withDeps((deps) => postLedger(deps, order.orderId));
    expect((await entriesOf(order.orderId)).reduce((a, e) => a + e.amount, 0)).toBe(10_000 - 1_000);
  });
});
