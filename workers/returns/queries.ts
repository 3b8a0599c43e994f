import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orders, returnEvents, returnItems, returns, type ReturnStatus } from '../../shared/db/schema';
import type { ListReturnsQuery, Return } from './schemas';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A return as the API's JSON, built by Postgres in one statement (`r` the return, `o` its order). */
const returnJson = sql`json_build_object(
  'id', r.id, 'orderId', r.order_id, 'orderNumber', o.number, 'sellerOrderId', r.seller_order_id, 'sellerId', r.seller_id,
  'userId', r.user_id, 'status', r.status, 'reason', r.reason, 'rejectReason', r.reject_reason,
  'photoFileIds', to_json(r.photo_file_ids), 'currency', r.currency, 'refundAmount', r.refund_amount, 'refundedAmount', r.refunded_amount,
  'items', coalesce((select json_agg(json_build_object('id', ri.id, 'orderItemId', ri.order_item_id, 'sku', ri.sku,
      'quantity', ri.quantity, 'unitPrice', ri.unit_price, 'restockable', ri.restockable, 'restockedAt', ${iso(sql`ri.restocked_at`)})
      order by ri.sku, ri.id) from ${returnItems} ri where ri.return_id = r.id), '[]'::json),
  'history', coalesce((select json_agg(json_build_object('from', e.from_status, 'to', e.to_status, 'actor', e.actor,
      'note', e.note, 'at', ${iso(sql`e.at`)}) order by e.at, e.id) from ${returnEvents} e where e.return_id = r.id), '[]'::json),
  'approvedAt', ${iso(sql`r.approved_at`)}, 'rejectedAt', ${iso(sql`r.rejected_at`)}, 'receivedAt', ${iso(sql`r.received_at`)},
  'refundedAt', ${iso(sql`r.refunded_at`)}, 'createdAt', ${iso(sql`r.created_at`)}, 'updatedAt', ${iso(sql`r.updated_at`)})`;

/** Who may read a return: its buyer, the seller of its seller order, an admin. */
function visibleTo(principal: Principal): SQL {
  if (principal.role === 'admin') return sql`true`;
  return sql`(r.user_id = ${principal.userId} or r.seller_id = ${principal.userId})`;
}

export async function loadReturn(deps: Deps, id: string, principal?: Principal): Promise<Return | undefined> {
  const filter = principal ? visibleTo(principal) : sql`true`;
  const rows = await deps.db.execute<{ ret: Return }>(sql`
    select ${returnJson} as ret from ${returns} r join ${orders} o on o.id = r.order_id
    where r.id = ${id}::uuid and ${filter}`);
  return rows.rows[0]?.ret;
}

export async function listReturnsPage(deps: Deps, principal: Principal, q: ListReturnsQuery, afterId: string | undefined): Promise<Return[]> {
  const where: SQL[] = [visibleTo(principal)];
  if (q.status) where.push(sql`r.status = ${q.status}`);
  if (q.orderId) where.push(sql`r.order_id = ${q.orderId}::uuid`);
  if (afterId) where.push(sql`r.id < ${afterId}::uuid`);
  const rows = await deps.db.execute<{ ret: Return }>(sql`
    select ${returnJson} as ret from ${returns} r join ${orders} o on o.id = r.order_id
    where ${sql.join(where, sql` and `)} order by r.id desc limit ${q.limit + 1}`);
  return rows.rows.map((r) => r.ret);
}

/** What a transition and its event need to know of a return; none of it changes after the request. */
export interface ReturnRef {
  id: string;
  orderId: string;
  orderNumber: string;
  sellerOrderId: string;
  sellerId: string;
  userId: string;
  currency: string;
  status: ReturnStatus;
}

export const refOf = (r: Return): ReturnRef => ({
  id: r.id,
  orderId: r.orderId,
  orderNumber: r.orderNumber,
  sellerOrderId: r.sellerOrderId,
  sellerId: r.sellerId,
  userId: r.userId,
  currency: r.currency,
  status: r.status,
});

/** The payload every return event carries. */
export const eventPayload = (r: ReturnRef) => ({
  orderId: r.orderId,
  number: r.orderNumber,
  returnId: r.id,
  sellerOrderId: r.sellerOrderId,
  sellerId: r.sellerId,
  userId: r.userId,
});
