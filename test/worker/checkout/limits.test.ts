import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { orders, users } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { client } from '../cart/helpers';
import { ADDRESS, addToCart, buy, level, openShop, type Placed, placeOrder, setStock, type Shop } from '../../support/checkout';

/** POST /orders through the real app with these settings (same databases and Durable Objects). */
function placeWith(env: Record<string, string>, user: TestUser, body: unknown = { shippingAddress: ADDRESS }) {
  return client(env)('POST', '/orders', { token: user.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } });
}

const unpaidOrdersOf = (userId: string) =>
  withDb((db) => db.select({ id: orders.id }).from(orders).where(and(eq(orders.userId, userId), eq(orders.status, 'pending_payment'))));

const cartOfUser = async (user: TestUser) => {
  const res = await api('GET', '/cart', { token: user.accessToken });
  expect(res.status).toBe(200);
  return res.json<{ total: number; currency: string; lines: Array<{ id: string; sku: string; quantity: number }> }>();
};

describe('anti-hoarding limits at add-to-cart and checkout', () => {
  let shop: Shop;
  let sku: string;

  beforeAll(async () => {
    shop = await openShop([1000], 500);
    sku = shop.skus[0] ?? '';
  });

  it('a fourth unpaid order is 409 TOO_MANY_UNPAID_ORDERS (MAX_UNPAID_ORDERS 3) and reserves nothing; cancelling one frees a place', async () => {
    const buyer = await createUser();
    const before = (await level(sku)).reserved;
    const placed: Placed[] = [];
    for (let i = 0; i < 3; i++) placed.push(await buy(buyer, [[sku, 1]]));
    await addToCart(buyer, sku, 1);
    const refused = await expectProblem(await placeOrder(buyer), 409, 'TOO_MANY_UNPAID_ORDERS');
    expect(refused.limit).toBe(3);
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(3);
    expect((await level(sku)).reserved).toBe(before + 3);
    expect((await cartOfUser(buyer)).lines).toEqual([expect.objectContaining({ sku, quantity: 1 })]);

    const cancelled = await api('DELETE', `/orders/${placed[0]?.order.id}`, { token: buyer.accessToken });
    expect(cancelled.status, await cancelled.text()).toBe(200);
    expect((await placeOrder(buyer)).status).toBe(201);
  });

  it('units of one SKU in the cart plus unpaid orders are capped (MAX_UNITS_PER_SKU 20): 409 UNIT_LIMIT_EXCEEDED at add-to-cart and at checkout', async () => {
    const buyer = await createUser();
    await buy(buyer, [[sku, 15]]);
    const refused = await expectProblem(await api('POST', '/cart/items', { token: buyer.accessToken, body: { sku, quantity: 6 } }), 409, 'UNIT_LIMIT_EXCEEDED');
    expect(refused).toMatchObject({ sku, limit: 20, held: 21 });
    expect((await cartOfUser(buyer)).lines).toEqual([]);
    await addToCart(buyer, sku, 5);
    // Growing the line through PATCH is checked the same way.
    const lineId = (await cartOfUser(buyer)).lines[0]?.id;
    await expectProblem(await api('PATCH', `/cart/items/${lineId}`, { token: buyer.accessToken, body: { quantity: 6 } }), 409, 'UNIT_LIMIT_EXCEEDED');

    // A lower cap at checkout time refuses the order and reserves nothing.
    const reserved = (await level(sku)).reserved;
    await expectProblem(await placeWith({ MAX_UNITS_PER_SKU: '19' }, buyer), 409, 'UNIT_LIMIT_EXCEEDED');
    expect((await level(sku)).reserved).toBe(reserved);
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(1);
    expect((await placeOrder(buyer)).status).toBe(201);
  });

  it('a product’s purchaseLimit (2 per customer) counts the cart, the product’s other variants and every order not cancelled', async () => {
    const seller = shop.seller;
    const category = await createCategory(shop.admin);
    const [v1, v2] = [`LIM-${crypto.randomUUID().slice(0, 8)}`, `LIM-${crypto.randomUUID().slice(0, 8)}`];
    const input = productInput(category.id, {
      purchaseLimit: 2,
      variants: [
        { sku: v1, price: 700, currency: 'USD' },
        { sku: v2, price: 800, currency: 'USD' },
      ],
    });
    const product = await createProduct(seller, input);
    expect(product).toMatchObject({ purchaseLimit: 2 });
    await setStock(seller, v1, 50);
    await setStock(seller, v2, 50);

    const buyer = await createUser();
    const over = await expectProblem(await api('POST', '/cart/items', { token: buyer.accessToken, body: { sku: v1, quantity: 3 } }), 409, 'PURCHASE_LIMIT_EXCEEDED');
    expect(over).toMatchObject({ sku: v1, productId: product.id, limit: 2, alreadyBought: 0 });
    await addToCart(buyer, v1, 1);
    await expectProblem(await api('POST', '/cart/items', { token: buyer.accessToken, body: { sku: v2, quantity: 2 } }), 409, 'PURCHASE_LIMIT_EXCEEDED');
    await addToCart(buyer, v2, 1);
    const res = await placeOrder(buyer);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();

    // Bought 2: not one more, in any variant, while that order stands.
    const again = await expectProblem(await api('POST', '/cart/items', { token: buyer.accessToken, body: { sku: v2, quantity: 1 } }), 409, 'PURCHASE_LIMIT_EXCEEDED');
    expect(again.alreadyBought).toBe(2);
    // An anonymous cart is held to the limit per line; checkout (signed in) counts the orders.
    await expectProblem(await api('POST', '/cart/items', { body: { sku: v1, quantity: 3 } }), 409, 'PURCHASE_LIMIT_EXCEEDED');

    expect((await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken })).status).toBe(200);
    await addToCart(buyer, v1, 2);
    // The seller lowers the limit after the cart was filled: checkout enforces the new one.
    const lowered = await api('PUT', `/products/${product.id}`, { token: seller.accessToken, body: { ...input, slug: product.slug, purchaseLimit: 1 } });
    expect(lowered.status, await lowered.text()).toBe(200);
    const reserved = (await level(v1)).reserved;
    await expectProblem(await placeOrder(buyer), 409, 'PURCHASE_LIMIT_EXCEEDED');
    expect((await level(v1)).reserved).toBe(reserved);
  });

  it('CHECKOUT_REQUIRES_VERIFIED_EMAIL: an unverified customer gets 403 EMAIL_NOT_VERIFIED and nothing is placed', async () => {
    const buyer = await createUser();
    await addToCart(buyer, sku, 1);
    const reserved = (await level(sku)).reserved;
    await expectProblem(await placeWith({ CHECKOUT_REQUIRES_VERIFIED_EMAIL: 'true' }, buyer), 403, 'EMAIL_NOT_VERIFIED');
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(0);
    expect((await level(sku)).reserved).toBe(reserved);

    await withDb((db) => db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, buyer.id)));
    const res = await placeWith({ CHECKOUT_REQUIRES_VERIFIED_EMAIL: 'true' }, buyer);
    expect(res.status, await res.text()).toBe(201);
  });

  it('concurrent checkouts of one customer never pass the unpaid-orders cap together', { timeout: 60_000 }, async () => {
    const buyer = await createUser();
    await buy(buyer, [[sku, 1]]);
    await addToCart(buyer, sku, 2);
    const answers = await Promise.all(Array.from({ length: 6 }, () => placeWith({ MAX_UNPAID_ORDERS: '2' }, buyer)));
    const statuses = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json<{ code?: string }>() })));
    expect(statuses.filter((s) => s.status === 201), JSON.stringify(statuses)).toHaveLength(1);
    // The others find the cart emptied by the first, or the cap reached.
    for (const s of statuses.filter((x) => x.status !== 201)) expect(['VALIDATION_FAILED', 'TOO_MANY_UNPAID_ORDERS']).toContain(s.body.code);
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(2);

    // With the cart refilled, the cap holds against a burst too.
    await addToCart(buyer, sku, 1);
    const burst = await Promise.all(Array.from({ length: 4 }, () => placeWith({ MAX_UNPAID_ORDERS: '2' }, buyer)));
    for (const res of burst) await expectProblem(res, 409, 'TOO_MANY_UNPAID_ORDERS');
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(2);
  });
});

describe('POST /orders with the total the shopper saw (expectedTotal)', () => {
  it('a price raised after the cart was shown is 409 PRICE_CHANGED with the re-priced cart, and nothing is reserved or placed', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const category = await createCategory(admin);
    const sku = `PC-${crypto.randomUUID().slice(0, 10)}`;
    const input = productInput(category.id, { variants: [{ sku, price: 2000, currency: 'USD' }] });
    const product = await createProduct(seller, input);
    await setStock(seller, sku, 10);
    const buyer = await createUser();
    await addToCart(buyer, sku, 2);
    const shown = await cartOfUser(buyer);

    const raised = await api('PUT', `/products/${product.id}`, { token: seller.accessToken, body: { ...input, slug: product.slug, variants: [{ sku, price: 2600, currency: 'USD' }] } });
    expect(raised.status, await raised.text()).toBe(200);

    const expectedTotal = { amount: shown.total, currency: shown.currency };
    const problem = await expectProblem(await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, expectedTotal }), 409, 'PRICE_CHANGED');
    const cart = problem.cart as { total: number; currency: string; lines: Array<{ sku: string; unitPrice: number }>; problems: Array<{ code: string }> };
    expect(problem.expectedTotal).toEqual(expectedTotal);
    expect(cart.lines).toEqual([expect.objectContaining({ sku, unitPrice: 2600 })]);
    expect(cart.total).toBeGreaterThan(shown.total);
    expect(cart.problems.map((p) => p.code)).toContain('price_changed');
    expect(await level(sku)).toMatchObject({ reserved: 0, available: 10 });
    expect(await unpaidOrdersOf(buyer.id)).toHaveLength(0);
    expect((await cartOfUser(buyer)).lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);

    // Agreeing to the new total (a new request, so a new key) places the order at it.
    const res = await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, expectedTotal: { amount: cart.total, currency: cart.currency } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json<Placed>()).order.total).toBe(cart.total);
  });
});
