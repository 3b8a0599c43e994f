import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { type ProductBody, updateProduct } from '../../support/catalog';
import { api, createUser, withDb } from '../../support/users';
import { addAddress } from '../../support/addresses';
import { addToCart, level, openShop, placeOrder, type Placed } from '../../support/checkout';

const ordersOf = (userId: string) => withDb((db) => db.select({ id: orders.id }).from(orders).where(eq(orders.userId, userId)));
const cartLines = async (token: string) => (await (await api('GET', '/cart', { token })).json<{ lines: Array<{ sku: string }> }>()).lines;

describe('orders that cannot be placed', () => {
  it('an empty cart: 400 VALIDATION_FAILED, no order', async () => {
    const buyer = await createUser();
    const problem = await expectProblem(await placeOrder(buyer), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toEqual(['cart']);
    expect(await ordersOf(buyer.id)).toHaveLength(0);
  });

  it("another user's saved address: 404, nothing reserved, the cart kept; my own saved address works", async () => {
    const shop = await openShop([1200], 3);
    const sku = shop.skus[0] ?? '';
    const [buyer, other] = [await createUser(), await createUser()];
    const theirs = await addAddress(other.accessToken);
    await addToCart(buyer, sku, 2);

    await expectProblem(await placeOrder(buyer, crypto.randomUUID(), { shippingAddressId: theirs.id }), 404, 'NOT_FOUND');
    await expectProblem(await placeOrder(buyer, crypto.randomUUID(), { shippingAddressId: crypto.randomUUID() }), 404, 'NOT_FOUND');
    expect(await ordersOf(buyer.id)).toHaveLength(0);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect((await cartLines(buyer.accessToken)).map((l) => l.sku)).toEqual([sku]);

    const mine = await addAddress(buyer.accessToken, { city: 'Buxoro' });
    const res = await placeOrder(buyer, crypto.randomUUID(), { shippingAddressId: mine.id });
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed & { order: { shippingAddress: Record<string, unknown> } }>();
    expect(placed.order.shippingAddress).toMatchObject({ city: 'Buxoro', recipientName: mine.recipientName });
    expect(placed.order.shippingAddress).not.toHaveProperty('userId');
    expect(placed.order.shippingAddress).not.toHaveProperty('id');
  });

  it('an unpublished product in the cart: 409 naming it, nothing reserved of any line, the cart kept', async () => {
    const shop = await openShop([1200, 900], 3);
    const [gone, fine] = [shop.skus[0] ?? '', shop.skus[1] ?? ''];
    const buyer = await createUser();
    await addToCart(buyer, gone, 1);
    await addToCart(buyer, fine, 1);
    // The seller takes the product off sale (a full PUT with status draft).
    const product = await (await api('GET', `/products/${shop.productIds[0]}`, { token: shop.seller.accessToken })).json<ProductBody>();
    const variants = product.variants.map((v) => ({ sku: v.sku, price: v.price, currency: v.currency }));
    await updateProduct(shop.seller, product.id, { name: product.name, categoryId: product.categoryId, status: 'draft', variants });

    const problem = await expectProblem(await placeOrder(buyer), 409, 'CONFLICT');
    expect(problem.problems).toEqual([expect.objectContaining({ sku: gone, code: 'unavailable' })]);
    expect(await ordersOf(buyer.id)).toHaveLength(0);
    expect(await level(gone)).toMatchObject({ reserved: 0 });
    expect(await level(fine)).toMatchObject({ reserved: 0 });
    expect((await cartLines(buyer.accessToken)).map((l) => l.sku).sort()).toEqual([gone, fine].sort());
  });

  it('more than in stock: 409 OUT_OF_STOCK naming the SKU and what is available, other lines released', async () => {
    const shop = await openShop([1200, 900], 3);
    const [scarce, plenty] = [shop.skus[0] ?? '', shop.skus[1] ?? ''];
    const buyer = await createUser();
    await addToCart(buyer, scarce, 4);
    await addToCart(buyer, plenty, 2);
    const problem = await expectProblem(await placeOrder(buyer), 409, 'OUT_OF_STOCK');
    expect(problem.items).toEqual([{ sku: scarce, requested: 4, available: 3 }]);
    expect(await level(scarce)).toMatchObject({ reserved: 0 });
    expect(await level(plenty)).toMatchObject({ reserved: 0 });
    expect(await ordersOf(buyer.id)).toHaveLength(0);
  });

  it('a body with neither or both address forms, or unknown fields: 400', async () => {
    const shop = await openShop([1200], 3);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    await expectProblem(await placeOrder(buyer, crypto.randomUUID(), {}), 400, 'VALIDATION_FAILED');
    await expectProblem(await placeOrder(buyer, crypto.randomUUID(), { shippingAddressId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
    await expectProblem(await placeOrder(buyer, crypto.randomUUID(), { shippingAddressId: crypto.randomUUID(), total: 1 }), 400, 'VALIDATION_FAILED');
    expect(await level(shop.skus[0] ?? '')).toMatchObject({ reserved: 0 });
  });
});
