import { eq, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, payments, refundAllocations, sellerOrders } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { domainEvent } from '../../shared/outbox';
import { refundPart } from '../payments/public';
import { restock } from './lifecycle';
import { CANCELLABLE, changeSellerOrder, type SellerOrderRef, sellerOrderPayload, sellerOrderRef, sellerOrdersOf } from './seller-orders';

/** A claim older than this with no refund booked was left unfinished (its call failed at the provider). */
const UNFINISHED_AFTER_SECONDS = 60;

/** Whether the seller order was cancelled a while ago and its cancel refund never booked. */
async function refundLeftBehind(deps: Deps, sellerOrderId: string): Promise<boolean> {
  const rows = await deps.db.execute<{ left: boolean }>(sql`
    select s.paid_at is not null and s.cancelled_at < now() - make_interval(secs => ${UNFINISHED_AFTER_SECONDS})
      and not exists (select 1 from ${refundAllocations} a where a.seller_order_id = s.id and a.source = 'cancel:' || s.id::text) as left
    from ${sellerOrders} s where s.id = ${sellerOrderId}::uuid`);
  return rows.rows[0]?.left === true;
}

/** Who cancelled, as the seller order's and the order's `cancelReason` say it. */
function reasonOf(auth: Principal, so: SellerOrderRef): string {
  if (auth.userId === so.userId) return 'cancelled_by_customer';
  return auth.role === 'admin' ? 'cancelled_by_admin' : 'cancelled_by_seller';
}

/**
 * Cancels one paid seller order that has not shipped: claims the step by its
 * conditional move (so a racing shipment or a second cancel cannot also
 * win), puts its units back on the shelf (only the claimer does), then
 * refunds its part through the provider once (`refundPart`, source
 * `cancel:<id>`). A seller order already cancelled changes nothing, unless
 * its cancellation was left unrefunded over a minute ago (the provider
 * failed): then the refund is retried under the same key. Returns whether
 * this call made the cancellation.
 */
export async function cancelPaidSellerOrder(deps: Deps, auth: Principal, so: SellerOrderRef & { status: string }): Promise<boolean> {
  let claimed = false;
  if (so.status !== 'cancelled') {
    const amount = Math.max(0, so.total - so.refundedAmount);
    const left = await changeSellerOrder(deps, so, {
      from: CANCELLABLE,
      to: 'cancelled',
      actor: auth.userId,
      set: { cancelled_at: true, cancel_reason: reasonOf(auth, so) },
      events: [domainEvent({ type: 'seller_order.cancelled', payload: { ...sellerOrderPayload(so), refunded: amount } })],
    });
    if (!left) {
      const now = await sellerOrderRef(deps.db, so.id);
      if (now?.status !== 'cancelled') {
        throw new Conflict(`A ${now?.status ?? so.status} seller order cannot be cancelled.`, { sellerOrderStatus: now?.status ?? so.status });
      }
    } else {
      claimed = true;
      const items = await deps.db.select({ sku: orderItems.sku, quantity: orderItems.quantity }).from(orderItems).where(eq(orderItems.sellerOrderId, so.id));
      await restock(deps, items, `seller-order:${so.id}`);
    }
  }
  // Someone else's claim is refunded by that call; finishing it here is only for a claim left
  // unrefunded (the provider was down): a racing second refund could ask a different amount under the same key.
  if (!claimed && !(await refundLeftBehind(deps, so.id))) return false;
  const booked = await sellerOrderRef(deps.db, so.id);
  await refundPart(deps, so.orderId, {
    source: `cancel:${so.id}`,
    sellerOrderId: so.id,
    amount: Math.max(0, so.total - (booked?.refundedAmount ?? so.refundedAmount)),
    actor: auth.userId,
  });
  return claimed;
}

/**
 * `POST /orders/{id}/seller-orders/{sellerOrderId}/cancel`: the buyer (or the
 * seller order's seller, or an admin) cancels one seller order before it
 * ships. An unpaid order is cancelled whole (`DELETE /orders/{id}`): 409.
 */
export async function cancelSellerOrder(deps: Deps, auth: Principal, orderId: string, sellerOrderId: string): Promise<SellerOrderRef & { status: string }> {
  const so = await sellerOrderRef(deps.db, sellerOrderId);
  const mayCancel = so && (so.userId === auth.userId || so.sellerId === auth.userId || auth.role === 'admin');
  if (!so || so.orderId !== orderId || !mayCancel) throw new NotFound('seller order', sellerOrderId);
  // A cash order is unpaid until its cash is collected, even while its seller orders are prepared (docs/cash-on-delivery.md).
  if (so.status === 'pending_payment' || (so.paymentProvider === 'cash' && !so.orderPaid)) {
    throw new Conflict('The order is not paid yet: cancel the whole order with DELETE /orders/{id}.', { sellerOrderStatus: so.status });
  }
  if (so.status !== 'cancelled' && !CANCELLABLE.includes(so.status)) {
    throw new Conflict(`A ${so.status} seller order cannot be cancelled.`, { sellerOrderStatus: so.status });
  }
  await cancelPaidSellerOrder(deps, auth, so);
  return (await sellerOrderRef(deps.db, sellerOrderId)) as SellerOrderRef & { status: string };
}

/**
 * A paid order cancelled whole: every seller order not yet shipped is
 * cancelled the same way as one alone (`cancelPaidSellerOrder`). 409 when
 * none could be (all shipped, or cancelled already).
 */
export async function cancelUnshippedSellerOrders(deps: Deps, auth: Principal, orderId: string, orderStatus: string): Promise<void> {
  const open = (await sellerOrdersOf(deps.db, orderId)).filter((so) => CANCELLABLE.includes(so.status));
  if (!open.length) throw new Conflict(`A ${orderStatus} order has nothing left to cancel.`, { orderStatus });
  let claimed = 0;
  for (const so of open) {
    try {
      if (await cancelPaidSellerOrder(deps, auth, so)) claimed++;
    } catch (err) {
      // One seller order shipped meanwhile: the others are still cancelled.
      if (!(err instanceof Conflict)) throw err;
    }
  }
  if (!claimed) throw new Conflict('The order changed meanwhile; reload it.');
}

/** Who finishes a cancellation left unrefunded from cron: recorded as the actor of the refund. */
const SWEEPER = { userId: 'system:cancel-refund-sweep', role: 'admin', jti: '', sessionId: '', exp: 0 } satisfies Principal;

/**
 * Cron: paid seller orders cancelled over a minute ago whose refund was never
 * booked (the provider or the stock call failed after the cancellation was
 * claimed) are refunded now, under the same key as the cancel's own refund,
 * so a cancellation never keeps the buyer's money. Returns how many it refunded.
 */
export async function refundUnfinishedCancellations(deps: Deps, limit = 50): Promise<number> {
  const rows = await deps.db.execute<{ id: string }>(sql`
    select s.id from ${sellerOrders} s
    where s.status = 'cancelled' and s.paid_at is not null
      and s.cancelled_at < now() - make_interval(secs => ${UNFINISHED_AFTER_SECONDS})
      and not exists (select 1 from ${refundAllocations} a where a.seller_order_id = s.id and a.source = 'cancel:' || s.id::text)
      and exists (select 1 from ${payments} p where p.order_id = s.order_id and p.amount_received > p.amount_refunded)
    order by s.cancelled_at limit ${limit}`);
  let refunded = 0;
  for (const { id } of rows.rows) {
    const so = await sellerOrderRef(deps.db, id);
    if (!so) continue;
    try {
      await cancelPaidSellerOrder(deps, SWEEPER, so);
      refunded++;
    } catch (err) {
      deps.logger.error('refund of a cancelled seller order failed again; the next run retries', { sellerOrderId: id, error: String(err) });
    }
  }
  return refunded;
}
