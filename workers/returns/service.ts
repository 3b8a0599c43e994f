import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { files, orders, returnEvents, returnItems, returns, sellerOrders } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, ReturnQuantityExceeded, ReturnWindowClosed, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import { eventPayload, listReturnsPage, loadReturn, refOf } from './queries';
import type { ListReturnsQuery, RequestReturnInput, Return } from './schemas';
import { moveReturn } from './transitions';

const DAY_MS = 86_400_000;

export async function getReturn(deps: Deps, auth: Principal, id: string): Promise<Return> {
  const found = await loadReturn(deps, id, auth);
  if (!found) throw new NotFound('return', id);
  return found;
}

/** A buyer: its own. A seller: those of its seller orders (and its own, as a buyer). An admin: all. */
export async function listReturns(deps: Deps, auth: Principal, query: ListReturnsQuery) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }))?.id;
  const rows = await listReturnsPage(deps, auth, query, after);
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null };
}

/**
 * A return the caller may act on as its seller: the seller of its seller
 * order or an admin. Its buyer may read it but not move it (403); anyone
 * else does not learn it exists (404).
 */
export async function returnToHandle(deps: Deps, auth: Principal, id: string): Promise<Return> {
  const found = await getReturn(deps, auth, id);
  if (auth.role !== 'admin' && found.sellerId !== auth.userId) throw new Forbidden('Only the seller of this seller order or an admin handles its returns.');
  return found;
}

/** The photos must be live files the buyer uploaded; otherwise a 400 naming each. */
async function assertOwnPhotos(deps: Deps, auth: Principal, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const owned = await deps.db
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.ownerId, auth.userId), isNull(files.deletedAt)));
  const have = new Set(owned.map((f) => f.id));
  const missing = ids.flatMap((id, i) => (have.has(id) ? [] : [{ path: `photoFileIds.${i}`, message: 'no such file of yours' }]));
  if (missing.length) throw new ValidationFailed(missing, 'Photos must be files you uploaded.');
}

/**
 * The buyer asks to send back units of lines of one delivered seller order,
 * within RETURN_WINDOW_DAYS of its delivery. The seller order's row is locked
 * while the units already asked for are counted, so two racing requests can
 * never together return more than was delivered.
 */
export async function requestReturn(deps: Deps, auth: Principal, input: RequestReturnInput): Promise<Return> {
  await assertOwnPhotos(deps, auth, input.photoFileIds);
  const id = newId();
  const events = await deps.db.transaction(async (tx) => {
    const [so] = await tx
      .select({
        id: sellerOrders.id,
        sellerId: sellerOrders.sellerId,
        status: sellerOrders.status,
        deliveredAt: sellerOrders.deliveredAt,
        currency: sellerOrders.currency,
        number: orders.number,
      })
      .from(sellerOrders)
      .innerJoin(orders, eq(orders.id, sellerOrders.orderId))
      .where(and(eq(sellerOrders.id, input.sellerOrderId), eq(sellerOrders.orderId, input.orderId), eq(orders.userId, auth.userId)))
      .for('update', { of: sellerOrders });
    if (!so) throw new NotFound('seller order', input.sellerOrderId);
    if (so.status !== 'delivered' || !so.deliveredAt) {
      throw new Conflict(`Only a delivered seller order can be returned; this one is ${so.status}.`, { sellerOrderStatus: so.status });
    }
    const closesAt = so.deliveredAt.getTime() + deps.config.RETURN_WINDOW_DAYS * DAY_MS;
    if (Date.now() > closesAt) throw new ReturnWindowClosed(so.deliveredAt.toISOString(), new Date(closesAt).toISOString());

    const lines = await tx.execute<{ id: string; sku: string; quantity: number; unit_price: number; taken: number }>(sql`
      select i.id, i.sku, i.quantity, i.unit_price,
        coalesce((select sum(ri.quantity) from ${returnItems} ri join ${returns} r on r.id = ri.return_id
          where ri.order_item_id = i.id and r.status <> 'rejected'), 0)::int as taken
      from order_items i where i.seller_order_id = ${so.id}::uuid`);
    const byId = new Map(lines.rows.map((l) => [l.id, l]));
    const unknown = input.items.flatMap((item, i) => (byId.has(item.orderItemId) ? [] : [{ path: `items.${i}.orderItemId`, message: 'not a line of this seller order' }]));
    if (unknown.length) throw new ValidationFailed(unknown);
    const over = input.items.flatMap((item) => {
      const line = byId.get(item.orderItemId);
      const returnable = line ? Number(line.quantity) - Number(line.taken) : 0;
      return item.quantity > returnable ? [{ orderItemId: item.orderItemId, requested: item.quantity, returnable }] : [];
    });
    if (over.length) throw new ReturnQuantityExceeded(over);

    const ref = { id, orderId: input.orderId, orderNumber: so.number, sellerOrderId: so.id, sellerId: so.sellerId, userId: auth.userId };
    const event = domainEvent({ type: 'return.requested', payload: { ...eventPayload({ ...ref, currency: so.currency, status: 'requested' }), reason: input.reason } });
    const items = input.items.map((item) => {
      const line = byId.get(item.orderItemId);
      return { id: newId(), order_item_id: item.orderItemId, sku: line?.sku ?? '', quantity: item.quantity, unit_price: Number(line?.unit_price ?? 0) };
    });
    // The return, its lines, its first history entry and its event: one statement, one round trip.
    await tx.execute(sql`
      with r as (
        insert into ${returns} (id, order_id, seller_order_id, seller_id, user_id, reason, photo_file_ids, currency)
        values (${id}::uuid, ${input.orderId}::uuid, ${so.id}::uuid, ${so.sellerId}::uuid, ${auth.userId}::uuid, ${input.reason},
                ${`{${input.photoFileIds.join(',')}}`}::uuid[], ${so.currency})
        returning id
      ), i as (
        insert into ${returnItems} (id, return_id, order_item_id, sku, quantity, unit_price)
        select x.id, (select id from r), x.order_item_id, x.sku, x.quantity, x.unit_price
        from json_to_recordset(${JSON.stringify(items)}::json) as x(id uuid, order_item_id uuid, sku text, quantity int, unit_price bigint)
      ), h as (
        insert into ${returnEvents} (id, return_id, from_status, to_status, actor) select ${newId()}::uuid, id, null, 'requested', ${auth.userId} from r
      )
      ${outboxInsert([event], sql`r`)}`);
    return [event];
  });
  publishAfterResponse(deps, events);
  return (await loadReturn(deps, id)) as Return;
}

export async function approveReturn(deps: Deps, auth: Principal, id: string): Promise<Return> {
  const found = await returnToHandle(deps, auth, id);
  const moved = await moveReturn(deps, id, ['requested'], 'approved', auth.userId, {
    set: [sql`approved_at = now()`],
    event: { type: 'return.approved', payload: eventPayload(refOf(found)) },
  });
  if (!moved) throw new Conflict(`A ${(await currentStatus(deps, id)) ?? found.status} return cannot be approved.`);
  return (await loadReturn(deps, id)) as Return;
}

export async function rejectReturn(deps: Deps, auth: Principal, id: string, reason: string): Promise<Return> {
  const found = await returnToHandle(deps, auth, id);
  const moved = await moveReturn(deps, id, ['requested'], 'rejected', auth.userId, {
    note: reason,
    set: [sql`rejected_at = now()`, sql`reject_reason = ${reason}`],
    event: { type: 'return.rejected', payload: { ...eventPayload(refOf(found)), reason } },
  });
  if (!moved) throw new Conflict(`A ${(await currentStatus(deps, id)) ?? found.status} return cannot be rejected.`);
  return (await loadReturn(deps, id)) as Return;
}

export async function currentStatus(deps: Deps, id: string) {
  const [row] = await deps.db.select({ status: returns.status }).from(returns).where(eq(returns.id, id));
  return row?.status;
}
