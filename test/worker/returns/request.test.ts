import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orderItems } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { buy, openShop, payAndSettle } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { upload } from '../../authz/platform-fixtures';
import { deliveredOrder, markDelivered, requestReturn, returnOf, sellerOrdersOf, step } from './support';

const DAY = 86_400_000;

describe('POST /returns: what a buyer may ask to send back', () => {
  it('only a delivered seller order (409 before), within RETURN_WINDOW_DAYS of delivery (409 RETURN_WINDOW_CLOSED after)', async () => {
    const shop = await openShop([1500], 50);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns');

    const paid = await buy(buyer, [[sku, 1]]);
    await payAndSettle(buyer, paid);
    const [so] = await sellerOrdersOf(paid.order.id);
    const [line] = await withDb((db) => db.select().from(orderItems).where(eq(orderItems.orderId, paid.order.id)));
    const body = { orderId: paid.order.id, sellerOrderId: so?.id, items: [{ orderItemId: line?.id, quantity: 1 }], reason: 'Does not fit' };
    const notDelivered = await expectProblem(await requestReturn(buyer, body), 409, 'CONFLICT');
    expect(notDelivered.sellerOrderStatus).toBe('paid');

    // Eleven days after delivery, with the default window of ten.
    await markDelivered(so?.id ?? '', new Date(Date.now() - 11 * DAY));
    const closed = await expectProblem(await requestReturn(buyer, body), 409, 'RETURN_WINDOW_CLOSED');
    expect(Date.parse(String(closed.closedAt))).toBeLessThan(Date.now());

    // Nine days after: still open.
    await markDelivered(so?.id ?? '', new Date(Date.now() - 9 * DAY));
    const res = await requestReturn(buyer, body);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'requested', orderId: paid.order.id, sellerOrderId: so?.id, userId: buyer.id, sellerId: shop.seller.id });
  });

  it('never more units than delivered minus those in open or refunded returns; a rejected return frees its units', async () => {
    const shop = await openShop([1500], 50);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns');
    const order = await deliveredOrder(buyer, [[sku, 3]]);
    const so = order.sellerOrders.get(shop.seller.id);
    const line = order.lines.get(sku);
    const ask = (quantity: number) =>
      requestReturn(buyer, { orderId: order.orderId, sellerOrderId: so?.id, items: [{ orderItemId: line?.id, quantity }], reason: 'Wrong colour' });

    const tooMany = await expectProblem(await ask(4), 409, 'RETURN_QUANTITY_EXCEEDED');
    expect(tooMany.lines).toEqual([{ orderItemId: line?.id, requested: 4, returnable: 3 }]);

    const first = await returnOf(buyer, order, shop.seller.id, [[sku, 2]]);
    const left = await expectProblem(await ask(2), 409, 'RETURN_QUANTITY_EXCEEDED');
    expect(left.lines).toEqual([{ orderItemId: line?.id, requested: 2, returnable: 1 }]);

    await step(shop.seller, first.id, 'reject', { reason: 'Worn, with stains' });
    expect((await ask(3)).status).toBe(201);
    await expectProblem(await ask(1), 409, 'RETURN_QUANTITY_EXCEEDED');
  });

  it("another buyer's order is 404; a line of another seller order is 400", async () => {
    const shop = await openShop([1500], 50);
    const other = await openShop([700], 50);
    const buyer = await createUser('customer', 'returns');
    const stranger = await createUser('customer', 'returns-stranger');
    const order = await deliveredOrder(buyer, [
      [shop.skus[0] as string, 1],
      [other.skus[0] as string, 1],
    ]);
    const so = order.sellerOrders.get(shop.seller.id);
    const own = { orderId: order.orderId, sellerOrderId: so?.id, items: [{ orderItemId: order.lines.get(shop.skus[0] as string)?.id, quantity: 1 }], reason: 'Broken' };

    await expectProblem(await requestReturn(stranger, own), 404, 'NOT_FOUND');
    // The seller of the line is not its buyer either.
    await expectProblem(await requestReturn(shop.seller, own), 404, 'NOT_FOUND');

    const foreignLine = { ...own, items: [{ orderItemId: order.lines.get(other.skus[0] as string)?.id, quantity: 1 }] };
    const bad = await expectProblem(await requestReturn(buyer, foreignLine), 400, 'VALIDATION_FAILED');
    expect(bad.errors?.[0]?.path).toBe('items.0.orderItemId');

    await expectProblem(await requestReturn(buyer, { ...own, items: [] }), 400, 'VALIDATION_FAILED');
    await expectProblem(await requestReturn(buyer, { ...own, reason: '' }), 400, 'VALIDATION_FAILED');
  });

  it("photos must be the buyer's own uploads (400 for another user's file); its own are kept", async () => {
    const shop = await openShop([1500], 50);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns');
    const order = await deliveredOrder(buyer, [[sku, 1]]);
    const so = order.sellerOrders.get(shop.seller.id);
    const body = (photoFileIds: string[]) => ({
      orderId: order.orderId,
      sellerOrderId: so?.id,
      items: [{ orderItemId: order.lines.get(sku)?.id, quantity: 1 }],
      reason: 'Scratched screen',
      photoFileIds,
    });
    const mine = await upload(buyer);
    const theirs = await upload(shop.seller);
    const other = await createUser('seller', 'returns-other-seller');

    const refused = await expectProblem(await requestReturn(buyer, body([mine, theirs])), 400, 'VALIDATION_FAILED');
    expect(refused.errors).toEqual([{ path: 'photoFileIds.1', message: 'no such file of yours' }]);
    await expectProblem(await requestReturn(buyer, body([crypto.randomUUID()])), 400, 'VALIDATION_FAILED');

    const res = await requestReturn(buyer, body([mine]));
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json<{ photoFileIds: string[] }>()).photoFileIds).toEqual([mine]);

    // The private photo is shown to the seller handling the return, to nobody else.
    expect((await api('GET', `/files/${mine}`, { token: shop.seller.accessToken })).status).toBe(200);
    await expectProblem(await api('GET', `/files/${mine}`, { token: other.accessToken }), 404, 'NOT_FOUND');
  });
});
