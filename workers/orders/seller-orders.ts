import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { orderEvents, orders, sellerOrderEvents, sellerOrders, type OrderStatus, type SellerOrderStatus } from '../../shared/db/schema';
import { type DomainEvent, isDomainEventType, type NewDomainEvent } from '../../shared/events';
import { newId } from '../../shared/ids';
import { domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import { recordTransition } from './lifecycle';

/** A statement runner: the database or a transaction. */
export type Executor = Pick<Database, 'execute'>;

/**
 * The seller-order machine (docs/marketplace.md): for each status, the
 * statuses it may be reached from. `paid` is reached only with the order's
 * payment (payment-state.ts); `cancelled` only before anything shipped;
 * `refunded` when all of a seller order's money went back.
 */
export const SELLER_ORDER_FROM: Record<SellerOrderStatus, SellerOrderStatus[]> = {
  pending_payment: [],
  paid: ['pending_payment'],
  processing: ['paid'],
  partially_shipped: ['paid', 'processing', 'partially_shipped'],
  shipped: ['paid', 'processing', 'partially_shipped'],
  delivered: ['shipped'],
  cancelled: ['pending_payment', 'paid', 'processing'],
  refunded: ['paid', 'processing', 'partially_shipped', 'shipped', 'delivered'],
};

/**
 * Cash on delivery (docs/cash-on-delivery.md): the order is paid at the
 * door, so its seller orders are prepared and shipped while still
 * `pending_payment`; they are marked delivered when the cash is collected.
 */
export const CASH_UNPAID_STEPS: SellerOrderStatus[] = ['processing', 'partially_shipped', 'shipped'];

/** Where a seller order may be moved to `to` from: the machine above, plus `pending_payment` for a cash order's fulfilment steps. */
export function sellerOrderFrom(to: SellerOrderStatus, so: { paymentProvider?: string }): SellerOrderStatus[] {
  const from = SELLER_ORDER_FROM[to];
  return so.paymentProvider === 'cash' && CASH_UNPAID_STEPS.includes(to) ? [...from, 'pending_payment'] : from;
}

/** Seller-order statuses in which nothing has left the warehouse, so the buyer may still cancel. */
export const CANCELLABLE: SellerOrderStatus[] = ['paid', 'processing'];
/** Seller-order statuses that are over without a delivery. */
const ENDED: SellerOrderStatus[] = ['cancelled', 'refunded'];
const SENT: SellerOrderStatus[] = ['partially_shipped', 'shipped', 'delivered'];

/**
 * The order's status from its seller orders (docs/marketplace.md, "The
 * order's status"): an unpaid order keeps its own; when every seller order
 * has ended, `cancelled` if all were cancelled, else `refunded`; otherwise,
 * with money given back, `partially_refunded`; else the fulfilment of the
 * seller orders still alive: all delivered → `delivered`, all shipped or
 * further → `shipped`, some sent → `partially_shipped`, any being prepared →
 * `processing`, else `paid`.
 */
export function deriveOrderStatus(order: { status: OrderStatus; refundedAmount: number }, sellerStatuses: SellerOrderStatus[]): OrderStatus {
  if (!sellerStatuses.length || order.status === 'pending_payment') return order.status;
  if (sellerStatuses.every((s) => s === 'pending_payment')) return order.status;
  const live = sellerStatuses.filter((s) => !ENDED.includes(s));
  if (!live.length) return sellerStatuses.every((s) => s === 'cancelled') ? 'cancelled' : 'refunded';
  if (order.refundedAmount > 0) return 'partially_refunded';
  if (live.every((s) => s === 'delivered')) return 'delivered';
  if (live.every((s) => s === 'shipped' || s === 'delivered')) return 'shipped';
  if (live.some((s) => SENT.includes(s))) return 'partially_shipped';
  if (live.some((s) => s === 'processing')) return 'processing';
  return 'paid';
}

/** What a seller order's events name; fixed when the order is placed. */
// A type, not an interface: rows read with `execute<T>` must be indexable records.
export type SellerOrderRef = {
  id: string;
  orderId: string;
  number: string;
  sellerId: string;
  userId: string;
  total: number;
  currency: string;
  /** What of it went back already. */
  refundedAmount: number;
  /** Who the buyer pays (read by `sellerOrderRef`): a cash order's seller orders ship before payment. */
  paymentProvider?: string;
  /** Whether the order is paid (read by `sellerOrderRef`). */
  orderPaid?: boolean;
};

export const sellerOrderPayload = (so: SellerOrderRef) => ({
  orderId: so.orderId,
  number: so.number,
  sellerOrderId: so.id,
  sellerId: so.sellerId,
  userId: so.userId,
  total: Number(so.total),
  currency: so.currency,
});

/** A seller order with what its events name, or nothing. */
export async function sellerOrderRef(db: Executor, sellerOrderId: string): Promise<(SellerOrderRef & { status: SellerOrderStatus }) | undefined> {
  const rows = await db.execute<SellerOrderRef & { status: SellerOrderStatus }>(sql`
    select s.id, s.order_id as "orderId", o.number, s.seller_id as "sellerId", o.user_id as "userId", s.total, s.currency, s.status,
      s.refunded_amount as "refundedAmount", o.payment_provider as "paymentProvider", o.paid_at is not null as "orderPaid"
    from ${sellerOrders} s join ${orders} o on o.id = s.order_id where s.id = ${sellerOrderId}::uuid`);
  const row = rows.rows[0];
  return row ? { ...row, total: Number(row.total), refundedAmount: Number(row.refundedAmount) } : undefined;
}

export interface SellerOrderMove {
  from: SellerOrderStatus[];
  to: SellerOrderStatus;
  actor: string;
  note?: string | null;
  set?: { shipped_at?: true; delivered_at?: true; cancelled_at?: true; cancel_reason?: string };
  /** Written only when the move happens. */
  events?: DomainEvent[];
}

/**
 * Moves one seller order from one of `from` to `to` in one statement, with
 * its history row and events, only if it is still in one of `from` (the row
 * is locked and its status re-read, so of two racing moves one wins).
 * Returns the status it left, or undefined when it did not move.
 */
export async function moveSellerOrder(db: Executor, sellerOrderId: string, move: SellerOrderMove): Promise<SellerOrderStatus | undefined> {
  const set = move.set ?? {};
  const assignments: SQL[] = [
    sql`status = ${move.to}`,
    sql`updated_at = now()`,
    ...(set.shipped_at ? [sql`shipped_at = coalesce(shipped_at, now())`] : []),
    ...(set.delivered_at ? [sql`delivered_at = now()`] : []),
    ...(set.cancelled_at ? [sql`cancelled_at = now()`] : []),
    ...(set.cancel_reason ? [sql`cancel_reason = ${set.cancel_reason}`] : []),
  ];
  const events = move.events ?? [];
  const rows = await db.execute<{ id: string; from_status: SellerOrderStatus }>(sql`
    with prev as (
      select id, status from ${sellerOrders} where id = ${sellerOrderId}::uuid
        and status in (${sql.join(move.from.map((s) => sql`${s}`), sql`, `)}) for update
    ), changed as (
      update ${sellerOrders} s set ${sql.join(assignments, sql`, `)} from prev where s.id = prev.id
      returning s.id, prev.status as from_status
    ), h as (
      insert into ${sellerOrderEvents} (id, seller_order_id, from_status, to_status, actor, note)
      select ${newId()}, id, from_status, ${move.to}, ${move.actor}, ${move.note ?? null} from changed
    )${events.length ? sql`, e as (${outboxInsert(events, sql`changed`)})` : sql``}
    select * from changed`);
  return rows.rows[0]?.from_status;
}

type OrderState = {
  id: string;
  user_id: string;
  number: string;
  status: OrderStatus;
  total: number;
  currency: string;
  refunded_amount: number;
};

/** Advisory-lock namespace of "an order's derived state is being written" (any constant unique in the codebase). */
const ORDER_SETTLE_LOCK = 1_401;

/**
 * Serialises the writers of one order's derived state until the transaction
 * ends. An advisory lock, not `FOR UPDATE` on the order row: inserting a
 * shipment or a refund allocation takes a key-share lock on the order (their
 * foreign key), which `FOR UPDATE` would wait for — two sellers shipping at
 * once would deadlock. Every writer takes its seller-order rows first, then
 * this lock; the statements after it see everything committed before.
 */
export async function lockOrder(tx: Executor, orderId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ORDER_SETTLE_LOCK}, hashtext(${orderId}))`);
}

/** What `settleOrder` changed, for after the transaction commits. */
export interface Settled {
  events: DomainEvent[];
  analytics?: { to: OrderStatus; row: { total: number; currency: string; refunded_amount: number; prev_refunded: number } };
}

/**
 * Writes the order's derived status (and, from a refund, its refunded
 * amount), with an `order_events` row and an `order.<status>` event when it
 * changes. Run inside the transaction of the change: the order is locked
 * (`lockOrder`) first and its seller orders read after, so the last of
 * several racing changes derives from all of them.
 */
export async function settleOrder(tx: Executor, orderId: string, actor: string, options: { note?: string | null; refundedAmount?: number; cancelReason?: string } = {}): Promise<Settled> {
  await lockOrder(tx, orderId);
  const locked = await tx.execute<OrderState>(sql`
    select id, user_id, number, status, total, currency, refunded_amount from ${orders} where id = ${orderId}::uuid`);
  const order = locked.rows[0];
  if (!order) return { events: [] };
  const statuses = await tx.execute<{ status: SellerOrderStatus }>(sql`select status from ${sellerOrders} where order_id = ${orderId}::uuid`);
  const prevRefunded = Number(order.refunded_amount);
  const refunded = Math.max(prevRefunded, options.refundedAmount ?? 0);
  const to = deriveOrderStatus({ status: order.status, refundedAmount: refunded }, statuses.rows.map((r) => r.status));
  const moneyBack = refunded > prevRefunded && (to === 'refunded' || to === 'partially_refunded');
  if (to === order.status && refunded === prevRefunded) return { events: [] };
  const recorded = to !== order.status || moneyBack;
  const type = `order.${to}`;
  const event =
    recorded && isDomainEventType(type)
      ? domainEvent({ type, payload: { orderId, number: order.number, userId: order.user_id, status: to, total: Number(order.total), currency: order.currency } } as NewDomainEvent)
      : undefined;
  const note = options.note ?? (moneyBack ? `refunded ${refunded} of ${Number(order.total)}` : null);
  await tx.execute(sql`
    with changed as (
      update ${orders} set status = ${to}, refunded_amount = ${refunded}, updated_at = now(),
        cancelled_at = ${to === 'cancelled' ? sql`coalesce(cancelled_at, now())` : sql`cancelled_at`}
        ${to === 'cancelled' && options.cancelReason ? sql`, cancel_reason = coalesce(cancel_reason, ${options.cancelReason})` : sql``}
      where id = ${orderId}::uuid returning id
    )${recorded ? sql`, h as (
      insert into ${orderEvents} (id, order_id, from_status, to_status, actor, note)
      select ${newId()}, id, ${order.status}, ${to}, ${actor}, ${note} from changed
    )` : sql``}
    ${event ? outboxInsert([event], sql`changed`) : sql`select 1`}`);
  return {
    events: event ? [event] : [],
    analytics: recorded ? { to, row: { total: Number(order.total), currency: order.currency, refunded_amount: refunded, prev_refunded: prevRefunded } } : undefined,
  };
}

/** After the commit: the events to the queue, the money-moving transition to Analytics Engine. */
export function afterSettled(deps: Deps, orderId: string, settled: Settled, extra: DomainEvent[] = []): void {
  publishAfterResponse(deps, [...extra, ...settled.events]);
  if (settled.analytics) recordTransition(deps, orderId, settled.analytics.to, settled.analytics.row);
}

/**
 * One seller-order move and the order's derived status, in one transaction.
 * Returns the status the seller order left, or undefined when it was no
 * longer in one of `from`.
 */
export async function changeSellerOrder(deps: Deps, ref: { id: string; orderId: string }, move: SellerOrderMove): Promise<SellerOrderStatus | undefined> {
  const result = await deps.db.transaction(async (tx) => {
    const left = await moveSellerOrder(tx, ref.id, move);
    if (!left) return undefined;
    return { left, settled: await settleOrder(tx, ref.orderId, move.actor, { note: move.note ?? null, cancelReason: move.set?.cancel_reason }) };
  });
  if (!result) return undefined;
  afterSettled(deps, ref.orderId, result.settled, move.events);
  return result.left;
}

/** The seller orders of an order, with what their events name. */
export async function sellerOrdersOf(db: Executor, orderId: string): Promise<Array<SellerOrderRef & { status: SellerOrderStatus; cancelReason: string | null }>> {
  const rows = await db.execute<SellerOrderRef & { status: SellerOrderStatus; cancelReason: string | null }>(sql`
    select s.id, s.order_id as "orderId", o.number, s.seller_id as "sellerId", o.user_id as "userId", s.total, s.currency, s.status,
      s.cancel_reason as "cancelReason", s.refunded_amount as "refundedAmount"
    from ${sellerOrders} s join ${orders} o on o.id = s.order_id where s.order_id = ${orderId}::uuid order by s.id`);
  return rows.rows.map((r) => ({ ...r, total: Number(r.total), refundedAmount: Number(r.refundedAmount) }));
}
