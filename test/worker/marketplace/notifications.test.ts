import { describe, expect, it } from 'vitest';
import { buy, openShop, payAndSettle } from '../../support/checkout';
import { createUser } from '../../support/users';
import { deliver, traceOf } from '../notifications/helpers';
import { delivered, eventsOf, json, sellerOrderOf, ship, type SellerOrderBody } from './helpers';

describe('seller-order notifications', () => {
  it('each seller hears of its new paid seller order; the buyer of each parcel with its tracking, and of delivery', { timeout: 60_000 }, async () => {
    const [shopA, shopB] = [await openShop([1200], 5), await openShop([800], 5)];
    const buyer = await createUser('customer', 'market-notify');
    const placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 1],
    ]);
    await payAndSettle(buyer, placed);
    const soA = await sellerOrderOf(shopA.seller, placed.order.id);
    const shippedA = await json<SellerOrderBody>(await ship(shopA.seller, soA.id, [{ orderItemId: soA.items[0]?.id ?? '', quantity: 1 }], 'UZ-NOTE-1'), 201);
    await json(await delivered(shopA.seller, shippedA.shipments[0]?.id ?? ''), 200);

    const events = await eventsOf(placed.order.id);
    const byType = (type: string) => events.filter((e) => e.type === type);

    // seller_order.paid: one per seller, each to its seller, naming the order number.
    const paid = byType('seller_order.paid');
    expect(paid).toHaveLength(2);
    for (const event of paid) {
      const outcome = await deliver({ id: event.id, type: event.type, payload: event.payload as Record<string, unknown> });
      expect(outcome.acked).toBe(true);
      const { inApp, deliveries } = await traceOf(event.id);
      const sellerId = (event.payload as { sellerId: string }).sellerId;
      expect(inApp.map((n) => n.userId)).toEqual([sellerId]);
      expect(inApp[0]?.body).toContain(placed.order.number);
      expect(deliveries.map((d) => d.userId)).toEqual([sellerId]);
    }
    expect(paid.map((e) => (e.payload as { sellerId: string }).sellerId).sort()).toEqual([shopA.seller.id, shopB.seller.id].sort());

    // seller_order.shipped: to the buyer, with the carrier, tracking number and link.
    const [shipped] = byType('seller_order.shipped');
    expect(shipped).toBeDefined();
    await deliver({ id: shipped?.id ?? '', type: 'seller_order.shipped', payload: shipped?.payload as Record<string, unknown> });
    const shippedTrace = await traceOf(shipped?.id ?? '');
    expect(shippedTrace.inApp.map((n) => n.userId)).toEqual([buyer.id]);
    expect(shippedTrace.inApp[0]?.body).toContain('UzPost UZ-NOTE-1 https://track.example.uz/UZ-NOTE-1');
    expect(shippedTrace.outbox[0]?.text).toContain('UZ-NOTE-1');

    // seller_order.delivered: to the buyer.
    const [arrived] = byType('seller_order.delivered');
    await deliver({ id: arrived?.id ?? '', type: 'seller_order.delivered', payload: arrived?.payload as Record<string, unknown> });
    expect((await traceOf(arrived?.id ?? '')).inApp.map((n) => n.userId)).toEqual([buyer.id]);
  });
});
