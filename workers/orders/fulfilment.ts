import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, payments, sellerOrders, shipmentItems, shipments, type SellerOrderStatus } from '../../shared/db/schema';
import { Conflict, NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { domainEvent } from '../../shared/outbox';
import { inventoryFor } from '../../durable-objects/inventory-client';
import { afterSettled, changeSellerOrder, moveSellerOrder, SELLER_ORDER_FROM, type SellerOrderRef, sellerOrderFrom, sellerOrderPayload, sellerOrderRef, settleOrder } from './seller-orders';

/**
 * The seller order, if `auth` may move it: its seller or an admin. Anyone
 * else, the buyer included (a seller who bought it is its buyer), gets 404.
 */
export async function movableSellerOrder(deps: Deps, auth: Principal, id: string) {
  const so = await sellerOrderRef(deps.db, id);
  if (!so || (auth.role !== 'admin' && so.sellerId !== auth.userId)) throw new NotFound('seller order', id);
  return so;
}

const impossible = (from: SellerOrderStatus, to: string) => new Conflict(`A seller order cannot go from ${from} to ${to}.`, { from, to });

export interface ShipmentInput {
  items: Array<{ orderItemId: string; quantity: number }>;
  carrier: string;
  trackingNumber: string | null;
  trackingUrl?: string | null;
}

/**
 * A parcel of a seller order leaves. In one transaction: the seller order's
 * row is locked (`FOR UPDATE`), so two shipments of it are counted one after
 * the other and a racing cancel either comes first (then 409 here) or waits;
 * no line ships more units than it has left; the seller order becomes
 * `partially_shipped` or, with its last units, `shipped`; the order's status
 * is derived again. `seller_order.shipped` carries the tracking.
 */
export async function shipSellerOrder(deps: Deps, auth: Principal, so: SellerOrderRef, input: ShipmentInput, note?: string) {
  const shipmentId = newId();
  const wanted = new Map<string, number>();
  for (const [i, item] of input.items.entries()) {
    if (wanted.has(item.orderItemId)) throw new ValidationFailed([{ path: `items.${i}.orderItemId`, message: 'is listed twice' }]);
    wanted.set(item.orderItemId, item.quantity);
  }
  const result = await deps.db.transaction(async (tx) => {
    const locked = await tx.execute<{ status: SellerOrderStatus }>(sql`select status from ${sellerOrders} where id = ${so.id}::uuid for update`);
    const status = locked.rows[0]?.status;
    if (!status || !sellerOrderFrom('shipped', so).includes(status)) throw impossible(status ?? 'pending_payment', 'shipped');
    if (so.paymentProvider === 'cash') await assertCashPaymentOpen(tx, so.orderId);
    const lines = await tx.execute<{ id: string; quantity: number; shipped: number }>(sql`
      select i.id, i.quantity, coalesce((select sum(si.quantity) from ${shipmentItems} si where si.order_item_id = i.id), 0)::int as shipped
      from ${orderItems} i where i.seller_order_id = ${so.id}::uuid`);
    const left = new Map(lines.rows.map((l) => [l.id, Number(l.quantity) - Number(l.shipped)]));
    const problems = input.items.flatMap((item, i) => (left.has(item.orderItemId) ? [] : [{ path: `items.${i}.orderItemId`, message: 'is not a line of this seller order' }]));
    if (problems.length) throw new ValidationFailed(problems);
    const over = input.items.filter((item) => item.quantity > (left.get(item.orderItemId) ?? 0));
    if (over.length) {
      throw new Conflict('More units than are left to ship.', { lines: over.map((item) => ({ orderItemId: item.orderItemId, requested: item.quantity, left: left.get(item.orderItemId) ?? 0 })) });
    }
    const complete = [...left].every(([id, n]) => n - (wanted.get(id) ?? 0) <= 0);
    const to: SellerOrderStatus = complete ? 'shipped' : 'partially_shipped';
    const event = domainEvent({
      type: 'seller_order.shipped',
      payload: { ...sellerOrderPayload(so), shipmentId, carrier: input.carrier, trackingNumber: input.trackingNumber, trackingUrl: input.trackingUrl ?? null, complete },
    });
    const values = sql.join(input.items.map((item) => sql`(${shipmentId}::uuid, ${item.orderItemId}::uuid, ${item.quantity}::int)`), sql`, `);
    await tx.execute(sql`
      with s as (
        insert into ${shipments} (id, seller_order_id, order_id, carrier, tracking_number, tracking_url, created_by)
        values (${shipmentId}, ${so.id}, ${so.orderId}, ${input.carrier}, ${input.trackingNumber}, ${input.trackingUrl ?? null}, ${auth.userId})
        returning id
      )
      insert into ${shipmentItems} (shipment_id, order_item_id, quantity) select v.* from (values ${values}) as v(shipment_id, order_item_id, quantity)
      where exists (select 1 from s)`);
    const moved = await moveSellerOrder(tx, so.id, { from: sellerOrderFrom(to, so), to, actor: auth.userId, note: note ?? null, set: { shipped_at: true }, events: [event] });
    if (!moved) throw impossible(status, to);
    return { event, settled: await settleOrder(tx, so.orderId, auth.userId, { note: note ?? null }) };
  });
  afterSettled(deps, so.orderId, result.settled, [result.event]);
  if (so.paymentProvider === 'cash') await commitCashStock(deps, so);
  return shipmentId;
}

/** Everything of the seller order not shipped yet, as one shipment's lines (the legacy `PUT /orders/{id}/status` shipped). */
export async function unshippedLines(deps: Deps, sellerOrderId: string) {
  const rows = await deps.db.execute<{ id: string; left: number }>(sql`
    select i.id, i.quantity - coalesce((select sum(si.quantity) from ${shipmentItems} si where si.order_item_id = i.id), 0) as left
    from ${orderItems} i where i.seller_order_id = ${sellerOrderId}::uuid`);
  return rows.rows.filter((r) => Number(r.left) > 0).map((r) => ({ orderItemId: r.id, quantity: Number(r.left) }));
}

/**
 * A seller order marked delivered: only when fully shipped; every shipment
 * of it is delivered with it.
 */
async function deliverSellerOrder(deps: Deps, auth: Principal, so: SellerOrderRef, note?: string) {
  const event = domainEvent({ type: 'seller_order.delivered', payload: sellerOrderPayload(so) });
  const result = await deps.db.transaction(async (tx) => {
    const left = await moveSellerOrder(tx, so.id, { from: SELLER_ORDER_FROM.delivered, to: 'delivered', actor: auth.userId, note: note ?? null, set: { delivered_at: true }, events: [event] });
    if (!left) return undefined;
    await tx.execute(sql`update ${shipments} set status = 'delivered', delivered_at = now() where seller_order_id = ${so.id}::uuid and status = 'shipped'`);
    return settleOrder(tx, so.orderId, auth.userId, { note: note ?? null });
  });
  if (!result) return false;
  afterSettled(deps, so.orderId, result, [event]);
  return true;
}

/** `POST /seller-orders/{id}/status`: `processing` (from paid) or `delivered` (once fully shipped); 409 otherwise. */
export async function setSellerOrderStatus(deps: Deps, auth: Principal, id: string, to: 'processing' | 'delivered', note?: string) {
  const so = await movableSellerOrder(deps, auth, id);
  await moveOwn(deps, auth, so, to, note);
  return so;
}

/** One step on a seller order the caller may move; 409 when it is impossible from where it is. */
export async function moveOwn(deps: Deps, auth: Principal, so: SellerOrderRef & { status: SellerOrderStatus }, to: 'processing' | 'shipped' | 'delivered', note?: string) {
  if (!sellerOrderFrom(to, so).includes(so.status) || (to === 'shipped' && so.status === 'shipped')) throw impossible(so.status, to);
  if (to === 'shipped') {
    await shipSellerOrder(deps, auth, so, { items: await unshippedLines(deps, so.id), carrier: 'unspecified', trackingNumber: null }, note);
    return;
  }
  const moved =
    to === 'delivered'
      ? await deliverSellerOrder(deps, auth, so, note)
      : Boolean(await changeSellerOrder(deps, so, { from: sellerOrderFrom('processing', so), to, actor: auth.userId, note: note ?? null }));
  if (!moved) {
    const now = await sellerOrderRef(deps.db, so.id);
    throw impossible(now?.status ?? so.status, to);
  }
}

/**
 * `POST /shipments/{id}/delivered`: the parcel arrived. When every shipment
 * of a fully shipped seller order has, the seller order is delivered. A
 * parcel already delivered answers as it is.
 */
export async function deliverShipment(deps: Deps, auth: Principal, shipmentId: string) {
  const found = await deps.db.execute<{ seller_order_id: string }>(sql`select seller_order_id from ${shipments} where id = ${shipmentId}::uuid`);
  const sellerOrderId = found.rows[0]?.seller_order_id;
  const so = sellerOrderId ? await sellerOrderRef(deps.db, sellerOrderId) : undefined;
  if (!so || (auth.role !== 'admin' && so.sellerId !== auth.userId)) throw new NotFound('shipment', shipmentId);
  const event = domainEvent({ type: 'seller_order.delivered', payload: sellerOrderPayload(so) });
  const result = await deps.db.transaction(async (tx) => {
    // The seller order first (the order every writer takes locks in), then the parcel.
    await tx.execute(sql`select id from ${sellerOrders} where id = ${so.id}::uuid for update`);
    await tx.execute(sql`update ${shipments} set status = 'delivered', delivered_at = now() where id = ${shipmentId}::uuid and status = 'shipped'`);
    const open = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${shipments} where seller_order_id = ${so.id}::uuid and status = 'shipped'`);
    if (Number(open.rows[0]?.n ?? 0) > 0) return undefined;
    const left = await moveSellerOrder(tx, so.id, { from: SELLER_ORDER_FROM.delivered, to: 'delivered', actor: auth.userId, set: { delivered_at: true }, events: [event] });
    if (!left) return undefined;
    return settleOrder(tx, so.orderId, auth.userId);
  });
  if (result) afterSettled(deps, so.orderId, result, [event]);
  return so;
}

/**
 * An unpaid cash order ships only while its payment is open: the payment row
 * is held `FOR SHARE` until the shipment commits, so the buyer's cancel
 * (which closes it `FOR UPDATE`, workers/payments/cash.ts) either came first
 * (409 here) or waits and then sees the parcel (409 there).
 */
async function assertCashPaymentOpen(tx: Pick<Deps['db'], 'execute'>, orderId: string): Promise<void> {
  const rows = await tx.execute<{ closed: boolean }>(sql`select closed_at is not null as closed from ${payments} where order_id = ${orderId}::uuid for share`);
  if (rows.rows.some((r) => r.closed)) throw new Conflict('The order was cancelled; it cannot ship.');
}

/**
 * A cash order's parcel left (docs/cash-on-delivery.md): its seller order's
 * reserved units are committed now, so a delivery that takes longer than the
 * hold never lets the reservation lapse and the units be sold twice. Each
 * commit is idempotent per reservation id; the payment commits them again
 * (a no-op). A failure is logged: the collection commits them.
 */
async function commitCashStock(deps: Deps, so: SellerOrderRef): Promise<void> {
  const items = await deps.db.execute<{ sku: string; reservation_id: string }>(
    sql`select sku, reservation_id from ${orderItems} where seller_order_id = ${so.id}::uuid`,
  );
  await Promise.all(
    items.rows.map(async (i) => {
      try {
        await inventoryFor(deps.env, i.sku).commit(i.reservation_id, { actor: `order:${so.orderId}` });
      } catch (err) {
        deps.logger.error('cash order stock not committed at shipment; the collection will', { sellerOrderId: so.id, sku: i.sku, error: String(err) });
      }
    }),
  );
}
