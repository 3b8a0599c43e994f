import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orderEvents, orderItems, orders } from '../../shared/db/schema';
import type { ListOrdersQuery, Order } from './schemas';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * An order as the API's JSON, built by Postgres in one statement. `sellerId`
 * limits the items to that seller's lines (a seller sees only its own).
 */
function orderJson(options: { sellerId?: string; history?: boolean }): SQL {
  const itemFilter = options.sellerId ? sql`and i.seller_id = ${options.sellerId}` : sql``;
  const history = options.history
    ? sql`, 'history', coalesce((select json_agg(json_build_object('from', e.from_status, 'to', e.to_status,
          'actor', e.actor, 'note', e.note, 'at', ${iso(sql`e.at`)}) order by e.at, e.id)
        from ${orderEvents} e where e.order_id = o.id), '[]'::json)`
    : sql``;
  return sql`json_build_object(
    'id', o.id, 'userId', o.user_id, 'status', o.status, 'currency', o.currency,
    'subtotal', o.subtotal, 'tax', o.tax, 'shipping', o.shipping, 'total', o.total, 'refundedAmount', o.refunded_amount,
    'shippingAddress', o.shipping_address, 'paymentIntentId', o.payment_intent_id,
    'reservationExpiresAt', ${iso(sql`o.reservation_expires_at`)},
    'paidAt', ${iso(sql`o.paid_at`)}, 'cancelledAt', ${iso(sql`o.cancelled_at`)}, 'cancelReason', o.cancel_reason,
    'createdAt', ${iso(sql`o.created_at`)}, 'updatedAt', ${iso(sql`o.updated_at`)},
    'items', coalesce((select json_agg(json_build_object('id', i.id, 'productId', i.product_id, 'sellerId', i.seller_id,
        'sku', i.sku, 'name', i.name, 'quantity', i.quantity, 'unitPrice', i.unit_price, 'lineTotal', i.line_total,
        'currency', i.currency) order by i.sku)
      from ${orderItems} i where i.order_id = o.id ${itemFilter}), '[]'::json)
    ${history})`;
}

/** Who may see an order: its buyer, a seller with a line in it, an admin. */
function visibleTo(principal: Principal): SQL {
  if (principal.role === 'admin') return sql`true`;
  if (principal.role === 'seller') {
    return sql`(o.user_id = ${principal.userId} or exists (select 1 from ${orderItems} i where i.order_id = o.id and i.seller_id = ${principal.userId}))`;
  }
  return sql`o.user_id = ${principal.userId}`;
}

/** A seller sees only its own lines of someone else's order. */
const sellerView = (principal: Principal | undefined, buyerIsCaller: boolean) =>
  principal?.role === 'seller' && !buyerIsCaller ? principal.userId : undefined;

export async function loadOrder(deps: Deps, id: string, principal?: Principal): Promise<Order | undefined> {
  const filter = principal ? visibleTo(principal) : sql`true`;
  const sellerOnly = principal?.role === 'seller' ? principal.userId : undefined;
  const rows = await deps.db.execute<{ order: Order; buyer: string }>(sql`
    select ${orderJson({ history: true, sellerId: sellerOnly })} as order, o.user_id as buyer,
      ${orderJson({ history: true })} as full_order
    from ${orders} o where o.id = ${id}::uuid and ${filter}`);
  const row = rows.rows[0] as { order: Order; buyer: string; full_order: Order } | undefined;
  if (!row) return undefined;
  // A seller who is also the buyer sees the whole order.
  return sellerView(principal, row.buyer === principal?.userId) ? row.order : row.full_order;
}

export function listOrdersSql(principal: Principal, q: ListOrdersQuery, afterId: string | undefined): SQL {
  const where: SQL[] = [visibleTo(principal)];
  if (q.status) where.push(sql`o.status = ${q.status}`);
  if (q.from) where.push(sql`o.created_at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`o.created_at < ${q.to}::timestamptz`);
  if (afterId) where.push(sql`o.id < ${afterId}::uuid`);
  const sellerOnly = principal.role === 'seller' ? principal.userId : undefined;
  return sql`select case when o.user_id = ${principal.userId} then ${orderJson({})} else ${orderJson({ sellerId: sellerOnly })} end as order
    from ${orders} o where ${sql.join(where, sql` and `)} order by o.id desc limit ${q.limit + 1}`;
}
