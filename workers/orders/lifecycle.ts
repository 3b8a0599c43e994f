import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps } from '../../shared/context';
import { orderEvents, orderItems, orders, sellerOrderEvents, sellerOrders, type Order as OrderRow, type OrderStatus, type SellerOrderStatus } from '../../shared/db/schema';
import type { DomainEvent, NewDomainEvent } from '../../shared/events';
import { newId } from '../../shared/ids';
import { domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import { isOrderEventKind, recordOrderEvent } from '../../shared/analytics';
import { reclaimRedemptions, releaseRedemptions } from '../promotions/public';

/** The Analytics Engine point of a committed money-moving transition (paid, refunds, cancellation). */
export function recordTransition(deps: Deps, orderId: string, to: OrderStatus, row: { total: number; currency: string; refunded_amount: number; prev_refunded: number }) {
  const kind = `order.${to}`;
  if (!isOrderEventKind(kind)) return;
  const [total, refunded] = [Number(row.total), Number(row.refunded_amount)];
  const amount = kind === 'order.paid' ? total : refunded - Number(row.prev_refunded);
  recordOrderEvent(deps, { kind, orderId, currency: row.currency, amount, orderTotal: total, refundedTotal: refunded });
}

/** What an order's status event names; none of it changes after checkout. */
export interface OrderRef {
  id: string;
  number: string;
  userId: string;
  total: number;
  currency: string;
}

/** The `order.<status>` event of a transition (its type and payload checked by the event's schema). */
const statusEvent = (order: OrderRef, to: OrderStatus) =>
  domainEvent({
    type: `order.${to}`,
    payload: { orderId: order.id, number: order.number, userId: order.userId, status: to, total: Number(order.total), currency: order.currency },
  } as NewDomainEvent);

/**
 * Moves an order from one of `from` to `to` in one statement, with its history
 * row and outbox event, only if it is still in one of `from`. Returns whether
 * this call made the change: concurrent callers (a webhook delivered twice,
 * a sweep racing a payment) cannot both act on the same transition.
 */
export async function transition(
  deps: Deps,
  order: OrderRef,
  from: OrderStatus[],
  to: OrderStatus,
  actor: string,
  options: {
    note?: string;
    set?: Partial<Record<'paid_at' | 'cancelled_at' | 'cancel_reason' | 'refunded_amount', unknown>>;
    /** The order's seller orders that move with it, in the same statement (see `cascadeSql`). */
    cascade?: SellerOrderCascade;
  } = {},
): Promise<boolean> {
  const orderId = order.id;
  const event = statusEvent(order, to);
  const cascade = options.cascade;
  const extra = options.set ?? {};
  const assignments = [
    sql`status = ${to}`,
    sql`updated_at = now()`,
    ...('paid_at' in extra ? [sql`paid_at = now()`] : []),
    ...('cancelled_at' in extra ? [extra.cancelled_at === null ? sql`cancelled_at = null` : sql`cancelled_at = now()`] : []),
    ...('cancel_reason' in extra ? [sql`cancel_reason = ${extra.cancel_reason as string}`] : []),
    ...('refunded_amount' in extra ? [sql`refunded_amount = ${extra.refunded_amount as number}`] : []),
  ];
  const rows = await deps.db.execute<{ id: string; user_id: string; total: number; currency: string; from_status: OrderStatus; refunded_amount: number; prev_refunded: number }>(sql`
    with prev as (
      select id, status, refunded_amount from ${orders} where id = ${orderId}::uuid and status in (${sql.join(from.map((s) => sql`${s}`), sql`, `)}) for update
    ), changed as (
      update ${orders} o set ${sql.join(assignments, sql`, `)} from prev where o.id = prev.id
      returning o.id, o.user_id, o.total, o.currency, prev.status as from_status, o.refunded_amount, prev.refunded_amount as prev_refunded
    ), h as (
      insert into ${orderEvents} (id, order_id, from_status, to_status, actor, note)
      select ${newId()}, id, from_status, ${to}, ${actor}, ${options.note ?? null} from changed
    ), e as (
      ${outboxInsert([event, ...(cascade?.events ?? [])], sql`changed`)}
    )${cascade ? sql`, ${cascadeSql(orderId, cascade, actor, options.note ?? null)}` : sql``}${promotionUsesSql(to)}
    select * from changed`);
  const row = rows.rows[0];
  if (!row) return false;
  recordTransition(deps, orderId, to, row);
  publishAfterResponse(deps, [event, ...(cascade?.events ?? [])]);
  return true;
}

/**
 * An order's promotion uses follow its move, in the same statement: an unpaid order cancelled (by its
 * buyer, its payment or the expiry sweep) gives them back; an expired order paid late takes them again.
 */
function promotionUsesSql(to: OrderStatus): SQL {
  if (to === 'cancelled') return sql`, ${releaseRedemptions(sql`select id from changed where from_status = 'pending_payment'`)}`;
  if (to === 'paid') return sql`, ${reclaimRedemptions(sql`select id from changed where from_status = 'cancelled'`)}`;
  return sql``;
}

/**
 * Seller orders moving with their order (paid, an unpaid order cancelled, a
 * late payment refunded): those in `from` go to `to`, each with its history
 * row; `events` (e.g. `seller_order.paid`) are written with the order's.
 */
export interface SellerOrderCascade {
  from: SellerOrderStatus[];
  to: SellerOrderStatus;
  set?: { paid_at?: true; cancelled_at?: true | null; cancel_reason?: string | null; refunded_to_total?: true };
  events?: DomainEvent[];
}

/** The CTEs of a cascade, run only when the order's own row changed (`changed`). */
function cascadeSql(orderId: string, cascade: SellerOrderCascade, actor: string, note: string | null): SQL {
  const set = cascade.set ?? {};
  const assignments = [
    sql`status = ${cascade.to}`,
    sql`updated_at = now()`,
    ...(set.paid_at ? [sql`paid_at = now()`] : []),
    ...('cancelled_at' in set ? [set.cancelled_at === null ? sql`cancelled_at = null` : sql`cancelled_at = now()`] : []),
    ...('cancel_reason' in set ? [sql`cancel_reason = ${set.cancel_reason ?? null}`] : []),
    ...(set.refunded_to_total ? [sql`refunded_amount = s.total`] : []),
  ];
  return sql`sprev as (
      select id, status from ${sellerOrders} where order_id = ${orderId}::uuid
        and status in (${sql.join(cascade.from.map((s) => sql`${s}`), sql`, `)}) and exists (select 1 from changed) for update
    ), smoved as (
      update ${sellerOrders} s set ${sql.join(assignments, sql`, `)} from sprev where s.id = sprev.id
      returning s.id, sprev.status as from_status
    ), shist as (
      insert into ${sellerOrderEvents} (id, seller_order_id, from_status, to_status, actor, note)
      select gen_random_uuid(), id, from_status, ${cascade.to}, ${actor}, ${note} from smoved
    )`;
}

export async function loadOrderRow(deps: Deps, orderId: string): Promise<{ order: OrderRow; items: Array<{ sku: string; quantity: number; reservationId: string }> } | undefined> {
  const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return undefined;
  const items = await deps.db
    .select({ sku: orderItems.sku, quantity: orderItems.quantity, reservationId: orderItems.reservationId })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId));
  return { order, items };
}

export async function releaseReservations(deps: Deps, items: Array<{ sku: string; reservationId: string }>): Promise<void> {
  await Promise.all(items.map((i) => inventoryFor(deps.env, i.sku).release(i.reservationId)));
}

/** A paid order that will not ship gives its units back to the shelf (a logged movement). */
export async function restock(deps: Deps, items: Array<{ sku: string; quantity: number }>, actor: string): Promise<void> {
  await Promise.all(items.map((i) => inventoryFor(deps.env, i.sku).adjust(i.quantity, 'returned', actor)));
}

/**
 * Secures stock for a paid order, all or nothing: its own reservations when
 * still active, otherwise fresh ones (a payment that arrived after expiry);
 * then commits them. Every step is idempotent per reservation id, so a
 * duplicate webhook repeats nothing. Returns false (and holds nothing) when a
 * SKU no longer has the units.
 */
export async function secureAndCommit(
  deps: Deps,
  orderId: string,
  items: Array<{ sku: string; quantity: number; reservationId: string }>,
): Promise<{ ok: boolean; late: boolean }> {
  const ttl = deps.config.RESERVATION_TTL_MINUTES * 60;
  const secured = await Promise.all(
    items.map(async (item) => {
      const inventory = inventoryFor(deps.env, item.sku);
      const own = await inventory.reserve(item.reservationId, item.quantity, ttl);
      if (own.ok) return { item, id: item.reservationId, ok: true, late: false };
      const lateId = `late:${orderId}:${item.sku}`;
      const late = await inventory.reserve(lateId, item.quantity, ttl);
      return { item, id: lateId, ok: late.ok, late: true };
    }),
  );
  const late = secured.some((s) => s.late);
  if (!secured.every((s) => s.ok)) {
    await Promise.all(secured.filter((s) => s.ok).map((s) => inventoryFor(deps.env, s.item.sku).release(s.id)));
    return { ok: false, late };
  }
  await Promise.all(secured.map((s) => inventoryFor(deps.env, s.item.sku).commit(s.id, { actor: `order:${orderId}` })));
  return { ok: true, late };
}

export async function ordersByIds(deps: Deps, ids: string[]) {
  if (!ids.length) return [];
  return deps.db.select().from(orders).where(and(inArray(orders.id, ids)));
}
