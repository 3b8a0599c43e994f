import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orderEvents, orderItems, orders, sellerOrders } from '../../shared/db/schema';
import { shipmentsJson } from './seller-order-queries';
import type { ListOrdersQuery, Order } from './schemas';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Where `orderJson` reads an order's lines, history and seller orders: their
 * tables, or, for an order its own statement is inserting, that statement's
 * CTEs (a statement does not see its own inserts in the tables).
 */
export interface OrderRows {
  items: SQL;
  events: SQL;
  sellerOrders: SQL;
}

const ORDER_TABLES: OrderRows = { items: sql`${orderItems}`, events: sql`${orderEvents}`, sellerOrders: sql`${sellerOrders}` };

/**
 * An order as the API's JSON, built by Postgres in one statement: the whole
 * order, as its buyer and an admin see it.
 */
function orderJson(options: { history?: boolean }, rows: OrderRows = ORDER_TABLES): SQL {
  const history = options.history
    ? sql`, 'history', coalesce((select json_agg(json_build_object('from', e.from_status, 'to', e.to_status,
          'actor', e.actor, 'note', e.note, 'at', ${iso(sql`e.at`)}) order by e.at, e.id)
        from ${rows.events} e where e.order_id = o.id), '[]'::json),
      'sellerOrders', coalesce((select json_agg(json_build_object('id', s.id, 'sellerId', s.seller_id, 'status', s.status,
          'subtotal', s.subtotal, 'tax', s.tax, 'shipping', s.shipping, 'total', s.total, 'discount', s.discount, 'refundedAmount', s.refunded_amount,
          'currency', s.currency) order by s.id)
        from ${rows.sellerOrders} s where s.order_id = o.id), '[]'::json),
      'shipments', ${shipmentsJson(sql`sh.order_id = o.id`)}`
    : sql``;
  return sql`json_build_object(
    'id', o.id, 'number', o.number, 'userId', o.user_id, 'status', o.status, 'currency', o.currency,
    'subtotal', o.subtotal, 'tax', o.tax, 'shipping', o.shipping, 'total', o.total, 'discount', o.discount, 'refundedAmount', o.refunded_amount,
    'shippingAddress', o.shipping_address, 'paymentIntentId', o.payment_intent_id,
    ${commonFields},
    'items', ${itemsJson(sql``, rows.items)}
    ${history})`;
}

/**
 * The order as `loadOrder` answers it, from the rows its insert statement
 * returns (`o` the order, and `rows`' CTEs): checkout answers with it without
 * reading the order back.
 */
export const insertedOrderJson = (rows: OrderRows): SQL => orderJson({ history: true }, rows);

const commonFields = sql`'reservationExpiresAt', ${iso(sql`o.reservation_expires_at`)},
    'paymentProvider', o.payment_provider,
    'paidAt', ${iso(sql`o.paid_at`)}, 'cancelledAt', ${iso(sql`o.cancelled_at`)}, 'cancelReason', o.cancel_reason,
    'createdAt', ${iso(sql`o.created_at`)}, 'updatedAt', ${iso(sql`o.updated_at`)}`;

function itemsJson(filter: SQL, items: SQL = ORDER_TABLES.items): SQL {
  return sql`coalesce((select json_agg(json_build_object('id', i.id, 'productId', i.product_id, 'sellerId', i.seller_id,
        'sku', i.sku, 'name', i.name, 'quantity', i.quantity, 'unitPrice', i.unit_price, 'lineTotal', i.line_total,
        'discount', i.discount, 'currency', i.currency) order by i.sku)
      from ${items} i where i.order_id = o.id ${filter}), '[]'::json)`;
}

/** Statuses in which a seller has goods to send, so needs the delivery address. */
const ADDRESS_VISIBLE = sql`('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'partially_refunded')`;

/** A cash order awaiting delivery: its sellers ship before it is paid, so they need the address (docs/cash-on-delivery.md). */
const CASH_TO_DELIVER = sql`(o.payment_provider = 'cash' and o.status = 'pending_payment')`;

/**
 * Someone else's order as one of its sellers sees it (docs/orders-and-payments.md):
 * only its own lines; the figures of its own seller order (subtotal, its share
 * of the tax, its shipping, total, what was refunded of it, never what other
 * sellers' parts cost or got back); the delivery address only once the order is paid;
 * no payment ids; in the history, notes only the seller wrote, and other
 * people's ids replaced by `other` (the buyer's id stays: it is `userId`).
 */
function sellerOrderJson(sellerId: string, options: { history?: boolean }): SQL {
  // The seller's own seller order of this order holds its figures (docs/marketplace.md).
  const own = (column: SQL) => sql`(select ${column} from ${sellerOrders} so where so.order_id = o.id and so.seller_id = ${sellerId})`;
  const [subtotal, tax, shipping, total, refunded] = [own(sql`so.subtotal`), own(sql`so.tax`), own(sql`so.shipping`), own(sql`so.total`), own(sql`so.refunded_amount`)];
  const discount = own(sql`so.discount`);
  const history = options.history
    ? sql`, 'history', coalesce((select json_agg(json_build_object('from', e.from_status, 'to', e.to_status,
          'actor', case when e.actor in (${sellerId}, o.user_id::text) or e.actor !~ '^[0-9a-f]{8}-' then e.actor else 'other' end,
          'note', case when e.actor = ${sellerId} then e.note end, 'at', ${iso(sql`e.at`)}) order by e.at, e.id)
        from ${orderEvents} e where e.order_id = o.id), '[]'::json),
      'shipments', ${shipmentsJson(sql`sh.order_id = o.id and exists (select 1 from ${sellerOrders} so where so.id = sh.seller_order_id and so.seller_id = ${sellerId})`)}`
    : sql``;
  return sql`json_build_object(
    'id', o.id, 'number', o.number, 'userId', o.user_id, 'status', o.status, 'currency', o.currency,
    'subtotal', ${subtotal}, 'tax', ${tax}, 'shipping', ${shipping}, 'total', ${total}, 'discount', ${discount}, 'refundedAmount', ${refunded},
    'shippingAddress', case when o.status in ${ADDRESS_VISIBLE} or ${CASH_TO_DELIVER} then o.shipping_address end, 'paymentIntentId', null,
    ${commonFields},
    'items', ${itemsJson(sql`and i.seller_id = ${sellerId}`)}
    ${history})`;
}

/** The order as `principal` may see it: the seller view for a seller who is not its buyer, else the whole order. */
function orderAs(principal: Principal | undefined, options: { history?: boolean }): SQL {
  if (principal?.role !== 'seller') return orderJson(options);
  return sql`case when o.user_id = ${principal.userId} then ${orderJson(options)} else ${sellerOrderJson(principal.userId, options)} end`;
}

/** Who may see an order: its buyer, a seller with a line in it, an admin. */
function visibleTo(principal: Principal): SQL {
  if (principal.role === 'admin') return sql`true`;
  if (principal.role === 'seller') {
    return sql`(o.user_id = ${principal.userId} or exists (select 1 from ${orderItems} i where i.order_id = o.id and i.seller_id = ${principal.userId}))`;
  }
  return sql`o.user_id = ${principal.userId}`;
}

export async function loadOrder(deps: Deps, id: string, principal?: Principal): Promise<Order | undefined> {
  const filter = principal ? visibleTo(principal) : sql`true`;
  const rows = await deps.db.execute<{ order: Order }>(sql`
    select ${orderAs(principal, { history: true })} as order
    from ${orders} o where o.id = ${id}::uuid and ${filter}`);
  return rows.rows[0]?.order;
}

export function listOrdersSql(principal: Principal, q: ListOrdersQuery, afterId: string | undefined): SQL {
  const where: SQL[] = [visibleTo(principal)];
  if (q.status) where.push(sql`o.status = ${q.status}`);
  if (q.number) where.push(sql`o.number = ${q.number}`);
  if (q.from) where.push(sql`o.created_at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`o.created_at < ${q.to}::timestamptz`);
  if (afterId) where.push(sql`o.id < ${afterId}::uuid`);
  return sql`select ${orderAs(principal, {})} as order
    from ${orders} o where ${sql.join(where, sql` and `)} order by o.id desc limit ${q.limit + 1}`;
}
