import { beforeAll, describe, expect, it } from 'vitest';
import { sellerOrderOf } from '../marketplace/helpers';
import { api, createUser, type TestUser } from '../../support/users';
import { ADDRESS, buy, openShop, orderOf, type OrderBody, payAndSettle, type Placed, type Shop } from '../../support/checkout';

interface SellerOrder extends OrderBody {
  subtotal: number;
  tax: number;
  shipping: number;
  shippingAddress: Record<string, unknown> | null;
}

const asSeller = (seller: TestUser, id: string) => orderOf(seller, id) as Promise<SellerOrder>;

async function listedFor(seller: TestUser, id: string): Promise<SellerOrder | undefined> {
  const res = await api('GET', '/orders?limit=100', { token: seller.accessToken });
  expect(res.status).toBe(200);
  return (await res.json<{ data: SellerOrder[] }>()).data.find((o) => o.id === id);
}

async function moveWithNote(user: TestUser, id: string, status: string, note: string): Promise<void> {
  const res = await api('PUT', `/orders/${id}/status`, { token: user.accessToken, body: { status, note } });
  expect(res.status, await res.text()).toBe(200);
}

describe('a seller’s view of an order with other sellers’ lines', () => {
  let shopA: Shop;
  let shopB: Shop;
  let buyer: TestUser;
  let placed: Placed;
  let whole: SellerOrder;

  beforeAll(async () => {
    [shopA, shopB] = [await openShop([1500], 10), await openShop([2500], 10)];
    buyer = await createUser();
    placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 2],
    ]);
    whole = (await orderOf(buyer, placed.order.id)) as SellerOrder;
  }, 60_000);

  it('before payment: its own lines and totals only, no address, no payment id', async () => {
    const text = JSON.stringify(await asSeller(shopA.seller, placed.order.id));
    const view = JSON.parse(text) as SellerOrder;
    expect(view.items.map((i) => i.sku)).toEqual([shopA.skus[0]]);
    // Its own seller order's figures: its share of the tax and its shipping; the two sellers' views add up to the order.
    const own = await sellerOrderOf(shopA.seller, placed.order.id);
    const tax = own.tax;
    expect(view).toMatchObject({ subtotal: 1500, tax, shipping: own.shipping, total: own.total, paymentIntentId: null, shippingAddress: null });
    const viewB = await asSeller(shopB.seller, placed.order.id);
    expect([view.tax + viewB.tax, view.shipping + viewB.shipping, view.total + viewB.total]).toEqual([whole.tax, whole.shipping, whole.total]);
    expect(text).not.toContain(placed.payment.paymentIntentId);
    expect(text).not.toContain(shopB.skus[0]);
    expect(text).not.toContain(ADDRESS.street);
    // The list shows the same view.
    expect(await listedFor(shopA.seller, placed.order.id)).toMatchObject({ subtotal: 1500, total: own.total, paymentIntentId: null, shippingAddress: null });
    // The buyer still sees the whole order.
    expect(whole).toMatchObject({ subtotal: 6500, paymentIntentId: placed.payment.paymentIntentId, shippingAddress: expect.objectContaining({ street: ADDRESS.street }) });
  });

  it('once paid: the delivery address; in the history, only its own notes', async () => {
    await payAndSettle(buyer, placed);
    await moveWithNote(shopB.seller, placed.order.id, 'processing', 'B: tracking UZB-SECRET-1');
    await moveWithNote(shopA.seller, placed.order.id, 'shipped', 'A: tracking UZA-2');

    const view = await asSeller(shopA.seller, placed.order.id);
    const text = JSON.stringify(view);
    expect(view.shippingAddress).toMatchObject({ street: ADDRESS.street, city: ADDRESS.city });
    expect(view.paymentIntentId).toBeNull();
    expect(text).not.toContain('UZB-SECRET-1');
    expect(text).not.toContain(shopB.seller.id);
    expect(view.history?.find((h) => h.to === 'processing')).toMatchObject({ actor: 'other', note: null });
    // A shipped, B still preparing: the order is partially shipped, by A's step, with A's note.
    expect(view.history?.find((h) => h.to === 'partially_shipped')).toMatchObject({ actor: shopA.seller.id, note: 'A: tracking UZA-2' });
    // The admin and the buyer see every note.
    const all = JSON.stringify(await orderOf(shopA.admin, placed.order.id));
    expect(all).toContain('UZB-SECRET-1');
  });
});
