import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { buy, openShop, orderOf, payAndSettle, type Placed, type Shop } from '../../support/checkout';
import { api, createUser, type TestUser } from '../../support/users';
import { delivered, eventsOf, json, sellerOrderOf, ship, type SellerOrderBody } from '../marketplace/helpers';
import { deliver, traceOf } from '../notifications/helpers';
import { eskizEnv, givePhone, standinSms, uzPhone } from '../notifications/sms-helpers';
import { paidPickupOrder, type PointBody } from '../shipping/support';

type Parcels = SellerOrderBody & { shipments: Array<{ id: string; readyForPickupAt: string | null }> };

const ready = (user: TestUser, shipmentId: string) => api('POST', `/shipments/${shipmentId}/ready-for-pickup`, { token: user.accessToken });
const readyEvents = async (orderId: string) => (await eventsOf(orderId)).filter((e) => e.type === 'seller_order.ready_for_pickup');

/** Ships the seller order's one line in one parcel with this tracking; answers the parcel's id. */
async function shipAll(seller: TestUser, orderId: string, tracking: string): Promise<{ so: SellerOrderBody; shipmentId: string }> {
  const so = await sellerOrderOf(seller, orderId);
  const shipped = await json<Parcels>(await ship(seller, so.id, [{ orderItemId: so.items[0]?.id ?? '', quantity: 1 }], tracking), 201);
  return { so, shipmentId: shipped.shipments[0]?.id ?? '' };
}

describe('POST /shipments/{id}/ready-for-pickup', () => {
  let shop: Shop;
  let buyer: TestUser;
  let phone: string;
  let placed: Placed;
  let point: PointBody;
  let parcel: { so: SellerOrderBody; shipmentId: string };

  beforeAll(async () => {
    shop = await openShop([2599], 10);
    buyer = await createUser('customer', 'pickup-buyer');
    phone = uzPhone();
    await givePhone(buyer.id, phone);
    ({ placed, point } = await paidPickupOrder(shop, buyer));
    parcel = await shipAll(shop.seller, placed.order.id, 'UZ-PICK-1');
  }, 60_000);

  it('records the time once and tells the buyer once, with the point and the tracking as the pickup code; marking again changes nothing', async () => {
    const first = await json<Parcels>(await ready(shop.seller, parcel.shipmentId), 200);
    const at = first.shipments[0]?.readyForPickupAt;
    expect(at).toEqual(expect.any(String));
    expect(first.status).toBe('shipped');
    // Again, by the seller or an admin: the same answer, no second event.
    for (const who of [shop.seller, shop.admin]) {
      const again = await json<Parcels>(await ready(who, parcel.shipmentId), 200);
      expect(again.shipments[0]?.readyForPickupAt).toBe(at);
    }
    const events = await readyEvents(placed.order.id);
    expect(events.map((e) => e.payload)).toEqual([
      {
        orderId: placed.order.id,
        number: placed.order.number,
        sellerOrderId: parcel.so.id,
        sellerId: shop.seller.id,
        userId: buyer.id,
        total: parcel.so.total,
        currency: 'USD',
        shipmentId: parcel.shipmentId,
        pickupPoint: { id: point.id, name: 'Chilonzor', address: 'Toshkent, Chilonzor 9-kvartal, 12', hours: '09–20' },
        pickupCode: 'UZ-PICK-1',
      },
    ]);
    // The buyer reads it on the order too.
    const order = (await orderOf(buyer, placed.order.id)) as unknown as { shipments: Array<{ id: string; readyForPickupAt: string | null }> };
    expect(order.shipments).toEqual([expect.objectContaining({ id: parcel.shipmentId, readyForPickupAt: at })]);
  });

  it('reaches the buyer in-app, by email and by SMS through Eskiz (the stand-in), once', async () => {
    const [event] = await readyEvents(placed.order.id);
    if (!event) throw new Error('no ready_for_pickup event');
    const message = { id: event.id, type: event.type, payload: event.payload as Record<string, unknown> };
    const env = eskizEnv();
    expect((await deliver(message, { env })).acked).toBe(true);
    expect((await deliver(message, { env })).acked).toBe(true);
    const sms = await standinSms(phone);
    expect(sms).toHaveLength(1);
    for (const part of [placed.order.number, 'Chilonzor', 'UZ-PICK-1']) expect(sms[0]?.message).toContain(part);
    const { inApp, deliveries } = await traceOf(event.id);
    expect(inApp.map((n) => n.userId)).toEqual([buyer.id]);
    expect(inApp[0]?.body).toContain('UZ-PICK-1');
    expect(deliveries.map((d) => [d.channel, d.status]).sort()).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
  });

  it('another seller gets 404 and a customer 403; a parcel not to a pickup point, or delivered, is 409 and tells nobody', async () => {
    const other = await openShop([100], 1);
    await expectProblem(await ready(other.seller, parcel.shipmentId), 404, 'NOT_FOUND');
    await expectProblem(await ready(buyer, parcel.shipmentId), 403, 'FORBIDDEN');
    await expectProblem(await ready(shop.seller, crypto.randomUUID()), 404, 'NOT_FOUND');

    // Delivered to the buyer's door (the shop has no method reaching ADDRESS): not a pickup parcel.
    const courier = await buy(buyer, [[shop.skus[0] ?? '', 1]]);
    await payAndSettle(buyer, courier);
    const atDoor = await shipAll(shop.seller, courier.order.id, 'UZ-DOOR-1');
    await expectProblem(await ready(shop.seller, atDoor.shipmentId), 409, 'CONFLICT');
    expect(await readyEvents(courier.order.id)).toEqual([]);
    expect((await sellerOrderOf(shop.seller, courier.order.id)).shipments).toEqual([expect.objectContaining({ readyForPickupAt: null })]);

    // Collected at the point (delivered): marking it ready now is a 409; still one event.
    await json(await delivered(shop.seller, parcel.shipmentId), 200);
    await expectProblem(await ready(shop.admin, parcel.shipmentId), 409, 'CONFLICT');
    expect(await readyEvents(placed.order.id)).toHaveLength(1);
  });
});
