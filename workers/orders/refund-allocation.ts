import { sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments, refundAllocations, refunds, sellerOrders, type SellerOrderStatus } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { allocate } from '../../shared/money';
import { afterSettled, type Executor, lockOrder, moveSellerOrder, SELLER_ORDER_FROM, settleOrder } from './seller-orders';

/**
 * Provider refunds not yet booked to seller orders (an admin's
 * `POST /payments/{id}/refund`, which names no seller order) are shared over
 * the order's seller orders by what each still holds (`allocate()`), booked
 * once each as `provider:<providerRefundId>` in refund_allocations. Refunds
 * `refundPart` made (cancel:, return:) are booked by it and skipped here.
 */
async function allocateProviderRefunds(tx: Executor, orderId: string): Promise<void> {
  const pending = await tx.execute<{ provider_refund_id: string; amount: number; payment_id: string; currency: string }>(sql`
    select r.provider_refund_id, r.amount, r.payment_id, p.currency from ${refunds} r join ${payments} p on p.id = r.payment_id
    where p.order_id = ${orderId}::uuid
      and not exists (select 1 from ${refundAllocations} a where a.provider_refund_id = r.provider_refund_id)
    order by r.created_at, r.id`);
  if (!pending.rows.length) return;
  const held = await tx.execute<{ id: string; total: number; allocated: number }>(sql`
    select s.id, s.total, coalesce((select sum(a.amount) from ${refundAllocations} a where a.seller_order_id = s.id), 0) as allocated
    from ${sellerOrders} s where s.order_id = ${orderId}::uuid order by s.id`);
  const holds = held.rows.map((r) => ({ id: r.id, total: Number(r.total), left: Math.max(0, Number(r.total) - Number(r.allocated)) }));
  const rows: Array<typeof refundAllocations.$inferInsert> = [];
  for (const refund of pending.rows) {
    const weights = holds.some((h) => h.left > 0) ? holds.map((h) => h.left) : holds.map((h) => h.total);
    const shares = allocate(Number(refund.amount), weights);
    holds.forEach((h, i) => {
      const share = shares[i] ?? 0;
      h.left = Math.max(0, h.left - share);
      if (share > 0) {
        rows.push({
          id: newId(),
          source: `provider:${refund.provider_refund_id}`,
          paymentId: refund.payment_id,
          providerRefundId: refund.provider_refund_id,
          orderId,
          sellerOrderId: h.id,
          amount: share,
          currency: refund.currency,
        });
      }
    });
  }
  if (rows.length) {
    const values = sql.join(
      rows.map((r) => sql`(${r.id}::uuid, ${r.source}, ${r.paymentId}::uuid, ${r.providerRefundId}, ${orderId}::uuid, ${r.sellerOrderId}::uuid, ${r.amount}, ${r.currency})`),
      sql`, `,
    );
    await tx.execute(sql`insert into ${refundAllocations} (id, source, payment_id, provider_refund_id, order_id, seller_order_id, amount, currency)
      values ${values} on conflict do nothing`);
  }
}

/**
 * Money went back on an order's payment: book what nobody booked, bring each
 * seller order's refunded amount up to its allocations (a seller order whose
 * whole total went back is `refunded`), then the order's refunded amount and
 * derived status. One transaction holding the order's rows, so racing
 * refunds and webhooks book each refund once.
 */
export async function applyRefunds(deps: Deps, orderId: string, refundedTotal: number, actor: string): Promise<void> {
  const settled = await deps.db.transaction(async (tx) => {
    // Locks in the order every writer takes them: the seller orders (by id), then the order's (seller-orders.ts).
    await tx.execute(sql`select id from ${sellerOrders} where order_id = ${orderId}::uuid order by id for update`);
    await lockOrder(tx, orderId);
    await allocateProviderRefunds(tx, orderId);
    const synced = await tx.execute<{ id: string; status: SellerOrderStatus; total: number; refunded_amount: number }>(sql`
      update ${sellerOrders} s set refunded_amount = greatest(s.refunded_amount,
          coalesce((select sum(a.amount) from ${refundAllocations} a where a.seller_order_id = s.id), 0)), updated_at = now()
      where s.order_id = ${orderId}::uuid returning s.id, s.status, s.total, s.refunded_amount`);
    for (const so of synced.rows) {
      const whole = Number(so.refunded_amount) >= Number(so.total) && Number(so.total) > 0;
      if (whole && SELLER_ORDER_FROM.refunded.includes(so.status)) {
        await moveSellerOrder(tx, so.id, { from: SELLER_ORDER_FROM.refunded, to: 'refunded', actor, note: 'all of it was refunded' });
      }
    }
    return settleOrder(tx, orderId, actor, { refundedAmount: refundedTotal });
  });
  afterSettled(deps, orderId, settled);
}
