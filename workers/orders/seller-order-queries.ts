import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, orders, sellerOrderEvents, sellerOrders, shipmentItems, shipments } from '../../shared/db/schema';
import { NotFound } from '../../shared/errors';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import type { ListSellerOrdersQuery, SellerOrder } from './schemas';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A seller order's parcels with their tracking and lines (`s` is the seller order). */
export function shipmentsJson(where: SQL): SQL {
  return sql`coalesce((select json_agg(json_build_object('id', sh.id, 'sellerOrderId', sh.seller_order_id, 'status', sh.status,
      'carrier', sh.carrier, 'trackingNumber', sh.tracking_number, 'trackingUrl', sh.tracking_url,
      'shippedAt', ${iso(sql`sh.shipped_at`)}, 'deliveredAt', ${iso(sql`sh.delivered_at`)},
      'readyForPickupAt', ${iso(sql`sh.ready_for_pickup_at`)},
      'items', (select json_agg(json_build_object('orderItemId', si.order_item_id, 'quantity', si.quantity) order by si.order_item_id)
        from ${shipmentItems} si where si.shipment_id = sh.id)) order by sh.id)
    from ${shipments} sh where ${where}), '[]'::json)`;
}

/**
 * A seller order as the API's JSON, built by Postgres in one statement: its
 * lines (with what of each has shipped), totals, shipments and, with
 * `history`, its status changes. The delivery address only once paid. Never
 * another seller's lines or notes, nor the payment's ids. For anyone but an
 * admin, ids of people other than the seller and the buyer read `other`.
 */
function sellerOrderJson(viewer: Principal, options: { history: boolean }): SQL {
  const actor = viewer.role === 'admin' ? sql`e.actor` : sql`case when e.actor in (s.seller_id::text, o.user_id::text) or e.actor !~ '^[0-9a-f]{8}-' then e.actor else 'other' end`;
  const history = options.history
    ? sql`, 'history', coalesce((select json_agg(json_build_object('from', e.from_status, 'to', e.to_status, 'actor', ${actor},
          'note', e.note, 'at', ${iso(sql`e.at`)}) order by e.at, e.id)
        from ${sellerOrderEvents} e where e.seller_order_id = s.id), '[]'::json)`
    : sql``;
  return sql`json_build_object(
    'id', s.id, 'orderId', s.order_id, 'number', o.number, 'sellerId', s.seller_id, 'buyerId', o.user_id, 'status', s.status,
    'currency', s.currency, 'subtotal', s.subtotal, 'tax', s.tax, 'shipping', s.shipping, 'total', s.total, 'discount', s.discount, 'platformDiscount', s.platform_discount,
    'refundedAmount', s.refunded_amount, 'shippingChoice', s.shipping_choice,
    'shippingAddress', case when s.paid_at is not null or (o.payment_provider = 'cash' and s.status not in ('cancelled', 'refunded')) then o.shipping_address end,
    'items', coalesce((select json_agg(json_build_object('id', i.id, 'productId', i.product_id, 'sku', i.sku, 'name', i.name,
        'quantity', i.quantity, 'unitPrice', i.unit_price, 'lineTotal', i.line_total, 'discount', i.discount, 'currency', i.currency,
        'shippedQuantity', coalesce((select sum(si.quantity) from ${shipmentItems} si where si.order_item_id = i.id), 0)) order by i.sku)
      from ${orderItems} i where i.seller_order_id = s.id), '[]'::json),
    'shipments', ${shipmentsJson(sql`sh.seller_order_id = s.id`)},
    'paidAt', ${iso(sql`s.paid_at`)}, 'shippedAt', ${iso(sql`s.shipped_at`)}, 'deliveredAt', ${iso(sql`s.delivered_at`)},
    'cancelledAt', ${iso(sql`s.cancelled_at`)}, 'cancelReason', s.cancel_reason,
    'createdAt', ${iso(sql`s.created_at`)}, 'updatedAt', ${iso(sql`s.updated_at`)}
    ${history})`;
}

/** Who may read a seller order: its seller and an admin (its buyer reads it inside `GET /orders/{id}`). */
const readableBy = (viewer: Principal): SQL => (viewer.role === 'admin' ? sql`true` : sql`s.seller_id = ${viewer.userId}`);

export async function getSellerOrder(deps: Deps, viewer: Principal, id: string): Promise<SellerOrder> {
  const rows = await deps.db.execute<{ so: SellerOrder }>(sql`
    select ${sellerOrderJson(viewer, { history: true })} as so
    from ${sellerOrders} s join ${orders} o on o.id = s.order_id where s.id = ${id}::uuid and ${readableBy(viewer)}`);
  const so = rows.rows[0]?.so;
  if (!so) throw new NotFound('seller order', id);
  return so;
}

/** `GET /seller-orders`: the caller's own (an admin: all, or one seller's), newest first, cursor-paginated. */
export async function listSellerOrders(deps: Deps, viewer: Principal, q: ListSellerOrdersQuery) {
  const after = decodeCursor(q.cursor, z.object({ id: z.uuid() }))?.id;
  const where: SQL[] = [readableBy(viewer)];
  if (viewer.role === 'admin' && q.sellerId) where.push(sql`s.seller_id = ${q.sellerId}::uuid`);
  if (q.status) where.push(sql`s.status = ${q.status}`);
  if (q.orderId) where.push(sql`s.order_id = ${q.orderId}::uuid`);
  if (q.from) where.push(sql`s.created_at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`s.created_at < ${q.to}::timestamptz`);
  if (after) where.push(sql`s.id < ${after}::uuid`);
  const rows = await deps.db.execute<{ so: SellerOrder }>(sql`
    select ${sellerOrderJson(viewer, { history: false })} as so
    from ${sellerOrders} s join ${orders} o on o.id = s.order_id
    where ${sql.join(where, sql` and `)} order by s.id desc limit ${q.limit + 1}`);
  const data = rows.rows.slice(0, q.limit).map((r) => r.so);
  const last = data.at(-1);
  return { data, nextCursor: rows.rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}
