import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { sellerOrders, shipments, type SellerOrderStatus, type ShippingChoiceSnapshot, type ShipmentStatus } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import { sellerOrderPayload, sellerOrderRef } from './seller-orders';

/**
 * The seller-order statuses in which a parcel of it can wait at a pickup
 * point: some or all of it has left (a cash order's too, still unpaid), and it
 * was not refunded meanwhile. The parcel itself must not be delivered yet.
 */
export const READY_FOR_PICKUP_FROM: SellerOrderStatus[] = ['partially_shipped', 'shipped'];

/**
 * `POST /shipments/{id}/ready-for-pickup`: the parcel arrived at the pickup
 * point the buyer chose, and waits there. Its seller or an admin (anyone else
 * 404). In one transaction, the seller order's row locked first (the order
 * every writer takes locks in), then the parcel's: the time is recorded once
 * and `seller_order.ready_for_pickup` goes to the outbox with it. Marked
 * again: nothing changes and nothing is told twice. Not to a pickup point, a
 * parcel delivered, or a seller order refunded: 409.
 */
export async function markReadyForPickup(deps: Deps, auth: Principal, shipmentId: string) {
  const found = await deps.db.execute<{ seller_order_id: string }>(sql`select seller_order_id from ${shipments} where id = ${shipmentId}::uuid`);
  const sellerOrderId = found.rows[0]?.seller_order_id;
  const so = sellerOrderId ? await sellerOrderRef(deps.db, sellerOrderId) : undefined;
  if (!so || (auth.role !== 'admin' && so.sellerId !== auth.userId)) throw new NotFound('shipment', shipmentId);
  const event = await deps.db.transaction(async (tx) => {
    const locked = await tx.execute<{ status: SellerOrderStatus; choice: ShippingChoiceSnapshot | null }>(
      sql`select status, shipping_choice as choice from ${sellerOrders} where id = ${so.id}::uuid for update`,
    );
    const { status, choice } = locked.rows[0] ?? { status: so.status, choice: null };
    const point = choice?.kind === 'pickup' ? choice.pickupPoint : null;
    if (!point) throw new Conflict('The parcel does not go to a pickup point.', { shipmentId });
    const parcel = await tx.execute<{ status: ShipmentStatus; ready: boolean; tracking: string | null }>(
      sql`select status, ready_for_pickup_at is not null as ready, tracking_number as tracking from ${shipments} where id = ${shipmentId}::uuid for update`,
    );
    const sh = parcel.rows[0];
    if (!sh || sh.status === 'delivered') throw new Conflict('The parcel was delivered already.', { shipmentId, status: sh?.status ?? 'delivered' });
    if (sh.ready) return undefined;
    if (!READY_FOR_PICKUP_FROM.includes(status)) throw new Conflict(`A parcel of a ${status} seller order cannot be ready for pickup.`, { shipmentId, from: status });
    const ready = domainEvent({
      type: 'seller_order.ready_for_pickup',
      payload: {
        ...sellerOrderPayload(so),
        shipmentId,
        pickupPoint: { id: point.id, name: point.name, address: point.address, hours: point.hours },
        pickupCode: sh.tracking ?? so.number,
      },
    });
    await tx.execute(sql`
      with changed as (
        update ${shipments} set ready_for_pickup_at = now() where id = ${shipmentId}::uuid and ready_for_pickup_at is null returning id
      )
      ${outboxInsert([ready], sql`changed`)}`);
    return ready;
  });
  if (event) publishAfterResponse(deps, [event]);
  return so;
}
