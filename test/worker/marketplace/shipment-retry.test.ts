import { describe, expect, it } from 'vitest';
import { buy, openShop, payAndSettle } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { sellerOrder, sellerOrderOf } from './helpers';

describe('POST /seller-orders/{id}/shipments with an Idempotency-Key', () => {
  it('a retried request answers the first parcel and sends no second; another key is another parcel', async () => {
    const shop = await openShop([1200], 10);
    const buyer = await createUser('customer', 'shipment-retry');
    const placed = await buy(buyer, [[shop.skus[0] ?? '', 3]]);
    await payAndSettle(buyer, placed);
    const so = await sellerOrderOf(shop.seller, placed.order.id);
    const line = so.items[0]?.id ?? '';
    const send = (key: string) =>
      api('POST', `/seller-orders/${so.id}/shipments`, {
        token: shop.seller.accessToken,
        headers: { 'idempotency-key': key },
        body: { items: [{ orderItemId: line, quantity: 1 }], carrier: 'UzPost', trackingNumber: `UZ-${key.slice(0, 8)}` },
      });
    const key = crypto.randomUUID();
    const first = await send(key);
    expect(first.status, await first.clone().text()).toBe(201);
    const again = await send(key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await sellerOrder(shop.seller, so.id)).shipments).toHaveLength(1);

    expect((await send(crypto.randomUUID())).status).toBe(201);
    const after = await sellerOrder(shop.seller, so.id);
    expect(after.shipments).toHaveLength(2);
    expect(after.items[0]?.shippedQuantity).toBe(2);
  });
});
