import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { orders, type OrderStatus } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import { cancelSellerOrder, cancelUnshippedSellerOrders } from './cancel';
import { moveOwn } from './fulfilment';
import { loadOrderRow, releaseReservations, transition } from './lifecycle';
import { applyPaymentState } from './payment-state';
import { listOrdersSql, loadOrder } from './queries';
import type { ListOrdersQuery, Order } from './schemas';
import { CASH_UNPAID_STEPS, sellerOrderFrom, sellerOrdersOf } from './seller-orders';
import { FULFILMENT_STEPS } from './transitions';

export async function getOrder(deps: Deps, auth: Principal, id: string): Promise<Order> {
  const order = await loadOrder(deps, id, auth);
  if (!order) throw new NotFound('order', id);
  return order;
}

export async function listOrders(deps: Deps, auth: Principal, query: ListOrdersQuery) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }))?.id;
  const rows = await deps.db.execute<{ order: Order }>(listOrdersSql(auth, query, after));
  const data = rows.rows.slice(0, query.limit).map((r) => r.order);
  const last = data.at(-1);
  return { data, nextCursor: rows.rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null };
}

/**
 * The whole-order `PUT /orders/{id}/status`, kept for existing clients and
 * mapped onto seller orders (docs/marketplace.md): a seller moves only its
 * own seller order of the order (`shipped` ships all it has left in one
 * parcel without tracking); an admin moves every seller order that can take
 * the step. The order's status is then derived. Illegal → 409.
 */
export async function setOrderStatus(deps: Deps, auth: Principal, id: string, to: OrderStatus, note?: string): Promise<Order> {
  if (auth.role === 'customer') throw new Forbidden('Customers cancel with DELETE /orders/:id.');
  const order = await loadOrder(deps, id, auth);
  if (!order) throw new NotFound('order', id);
  if (auth.role === 'seller' && !FULFILMENT_STEPS.includes(to)) {
    throw new Forbidden('Sellers move orders through processing, shipped and delivered.');
  }
  if (!FULFILMENT_STEPS.includes(to)) {
    throw new Conflict(`Use DELETE /orders/:id to cancel and POST /payments/:id/refund to refund.`);
  }
  const step = to as 'processing' | 'shipped' | 'delivered';
  const all = await sellerOrdersOf(deps.db, id);
  const mine = auth.role === 'admin' ? all : all.filter((so) => so.sellerId === auth.userId);
  // A seller that only bought the order is its buyer: it has no seller order here to move.
  if (!mine.length) throw new NotFound('order', id);
  const provider = { paymentProvider: order.paymentProvider };
  const movable = mine.filter((so) => sellerOrderFrom(step, provider).includes(so.status) && !(step === 'shipped' && so.status === 'shipped'));
  if (!movable.length) throw new Conflict(`An order cannot go from ${order.status} to ${to}.`, { from: order.status, to });
  for (const so of movable) await moveOwn(deps, auth, { ...so, ...provider }, step, note);
  return (await loadOrder(deps, id, auth)) as Order;
}

/**
 * The buyer cancels: an unpaid order releases its stock (and its
 * PaymentIntent is cancelled), its seller orders with it; of a paid order,
 * every seller order not yet shipped is refunded and its units go back on
 * the shelf.
 */
export async function cancelOrder(deps: Deps, auth: Principal, id: string): Promise<Order> {
  const loaded = await loadOrderRow(deps, id);
  if (!loaded || (loaded.order.userId !== auth.userId && auth.role !== 'admin')) throw new NotFound('order', id);
  const { order, items } = loaded;
  if (order.status === 'pending_payment') {
    const cash = order.paymentProvider === 'cash';
    if (cash) await assertCashNotSent(deps, id);
    if (order.paymentIntentId) {
      const gateway = deps.gatewayFor(order.paymentIntentId);
      try {
        await gateway.cancelPayment(order.paymentIntentId, 'requested_by_customer');
      } catch (err) {
        // Already paid (or being paid): apply that instead of cancelling.
        const payment = await gateway.retrievePayment(order.paymentIntentId);
        if (payment.status === 'succeeded' || payment.status === 'processing') {
          await applyPaymentState(deps, payment, auth.userId);
          throw new Conflict('The order was paid meanwhile; cancel it again to get a refund.');
        }
        if (payment.status !== 'canceled') throw err;
      }
    }
    const set = { cancelled_at: true as const, cancel_reason: 'cancelled_by_customer' };
    // A cash order's seller orders may be in preparation already (processing): they are cancelled with it.
    const from = cash ? unpaidCashStatuses : (['pending_payment'] as const);
    if (await transition(deps, order, ['pending_payment'], 'cancelled', auth.userId, { set, cascade: { from: [...from], to: 'cancelled', set } })) {
      await releaseReservations(deps, items);
    }
    return (await loadOrder(deps, id)) as Order;
  }

  // Paid: every seller order not shipped yet is cancelled, refunded and restocked, one by one (cancel.ts).
  await cancelUnshippedSellerOrders(deps, auth, id, order.status);
  return (await loadOrder(deps, id)) as Order;
}

/** A cash order's seller orders that hold nothing sent yet: cancelled with their unpaid order. */
const unpaidCashStatuses = ['pending_payment', 'processing'] as const;

/**
 * An unpaid cash order with a parcel on its way cannot be cancelled
 * (docs/cash-on-delivery.md): its units left the warehouse. The buyer
 * refuses it at the door; the seller takes it back and an admin cancels.
 */
async function assertCashNotSent(deps: Deps, orderId: string): Promise<void> {
  const sent = (await sellerOrdersOf(deps.db, orderId)).filter((so) => CASH_UNPAID_STEPS.includes(so.status) && so.status !== 'processing');
  if (sent.length) {
    throw new Conflict('A parcel of this cash order is on its way; it can no longer be cancelled.', { sellerOrders: sent.map((so) => ({ id: so.id, status: so.status })) });
  }
}

const STATS_DEFAULT_DAYS = 30;

/**
 * Admin: counts by status, revenue, average order value and a per-day series
 * over [from, to). Without a range: the last 30 days up to now; `from` alone
 * runs to now, `to` alone starts 30 days before it.
 */
export async function orderStats(deps: Deps, auth: Principal, range: { from?: string; to?: string }, currency = deps.config.DEFAULT_CURRENCY) {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin sees order statistics.');
  const to = new Date(range.to ?? Date.now()).toISOString();
  const from = new Date(range.from ?? Date.parse(to) - STATS_DEFAULT_DAYS * 86_400_000).toISOString();
  if (from >= to) throw new ValidationFailed([{ path: 'from', message: 'must be before to' }]);
  const paidStates = sql`('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'partially_refunded', 'refunded')`;
  const rows = await deps.db.execute<{ counts: Record<string, number> | null; revenue: number; paid: number; days: Array<{ day: string; orders: number; revenue: number }> | null }>(sql`
    with range as (select * from ${orders} where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz and currency = ${currency})
    select
      (select json_object_agg(status, n) from (select status, count(*)::int n from range group by status) s) as counts,
      (select coalesce(sum(total - refunded_amount), 0)::bigint from range where status in ${paidStates}) as revenue,
      (select count(*)::int from range where status in ${paidStates}) as paid,
      (select json_agg(json_build_object('day', day, 'orders', n, 'revenue', rev) order by day) from (
        select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int n,
          coalesce(sum(total - refunded_amount) filter (where status in ${paidStates}), 0)::bigint as rev
        from range group by 1) d) as days`);
  const r = rows.rows[0];
  const revenue = Number(r?.revenue ?? 0);
  const paid = Number(r?.paid ?? 0);
  return {
    from,
    to,
    currency,
    countsByStatus: r?.counts ?? {},
    revenue,
    paidOrders: paid,
    averageOrderValue: paid ? Math.round(revenue / paid) : 0,
    days: (r?.days ?? []).map((d) => ({ ...d, revenue: Number(d.revenue) })),
  };
}

/** Cron: unpaid orders past their reservation are cancelled, their PaymentIntents too, their stock released. */
export async function sweepExpiredOrders(deps: Deps, limit = 50): Promise<number> {
  const rows = await deps.db.execute<{ id: string; payment_intent_id: string | null }>(sql`
    select id, payment_intent_id from ${orders} o
    where status = 'pending_payment' and reservation_expires_at < now()
      -- A cash order with a parcel on its way waits for its collection, however long (docs/cash-on-delivery.md).
      and not (payment_provider = 'cash' and exists (
        select 1 from seller_orders s where s.order_id = o.id and s.status in ('partially_shipped', 'shipped', 'delivered')))
    order by reservation_expires_at limit ${limit}`);
  let swept = 0;
  for (const row of rows.rows) {
    try {
      if (await sweepOne(deps, row)) swept++;
    } catch (err) {
      // One order the provider cannot answer for must not keep the others' stock locked.
      deps.logger.error('expiry sweep failed for an order', { orderId: row.id, error: String(err) });
    }
  }
  return swept;
}

/** One expired order: applied if the provider says it was paid, otherwise cancelled with its stock released. */
async function sweepOne(deps: Deps, row: { id: string; payment_intent_id: string | null }): Promise<boolean> {
  if (row.payment_intent_id) {
    const gateway = deps.gatewayFor(row.payment_intent_id);
    const payment = await gateway.retrievePayment(row.payment_intent_id);
    if (payment.status === 'succeeded' || payment.status === 'processing') {
      // Paid in time after all: the webhook may be late; apply it now.
      await applyPaymentState(deps, payment, 'system:expiry');
      return false;
    }
    if (payment.status !== 'canceled') {
      const refused = await gateway.cancelPayment(row.payment_intent_id, 'abandoned').then(
        () => false,
        () => true,
      );
      // A cash order that shipped meanwhile is not cancelled: it waits for its collection.
      if (refused && gateway.provider === 'cash') return false;
    }
  }
  const loaded = await loadOrderRow(deps, row.id);
  if (!loaded) return false;
  const set = { cancelled_at: true as const, cancel_reason: 'expired' };
  const from = loaded.order.paymentProvider === 'cash' ? [...unpaidCashStatuses] : ['pending_payment' as const];
  if (await transition(deps, loaded.order, ['pending_payment'], 'cancelled', 'system:expiry', { set, cascade: { from, to: 'cancelled', set } })) {
    await releaseReservations(deps, loaded.items);
    return true;
  }
  return false;
}


/** `POST /orders/{id}/seller-orders/{sellerOrderId}/cancel` (cancel.ts), answered with the order as the caller sees it. */
export async function cancelPartOfOrder(deps: Deps, auth: Principal, orderId: string, sellerOrderId: string): Promise<Order> {
  await cancelSellerOrder(deps, auth, orderId, sellerOrderId);
  return (await loadOrder(deps, orderId, auth)) ?? ((await loadOrder(deps, orderId)) as Order);
}
