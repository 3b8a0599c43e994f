import { beforeAll, describe, expect, it } from 'vitest';
import { isolatedClient, roundTrips, HOOK_TIMEOUT, type ProductBody } from '../../support/catalog';
import { ADDRESS, openShop, setStock, type Shop } from '../../support/checkout';
import { createUser } from '../../support/users';

/**
 * Postgres round trips (X-Db-Round-Trips) of the paths that must reach the
 * database, as bench/round-trip-budget.json budgets them: an add-to-cart whose
 * SKU's catalog entry is cached makes none; placing an order makes three. A
 * new prefix (isolatedClient) also starts without the cart's cached automatic
 * promotions (docs/promotions.md): its first cart answer reads them once more.
 */
interface CartBody {
  id: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: number | null; available: number }>;
  problems: Array<{ code: string }>;
  total: number;
}

let shop: Shop;

beforeAll(async () => {
  shop = await openShop([1500, 2500, 3500], 10);
}, HOOK_TIMEOUT);

/** An anonymous add of one unit to a new cart. */
async function addToNewCart(client: ReturnType<typeof isolatedClient>, sku: string) {
  const res = await client('POST', '/cart/items', { body: { sku, quantity: 1 } });
  const body = (await res.json()) as CartBody;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { trips: roundTrips(res), cart: body, cartId: res.headers.get('x-cart-id') ?? '' };
}

/** The deferred cache write of the previous request lands after its answer: retry briefly until a request hits. */
async function untilCached<T extends { trips: number }>(attempt: () => Promise<T>): Promise<T> {
  let result = await attempt();
  for (let i = 0; i < 20 && result.trips > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    result = await attempt();
  }
  return result;
}

describe('add-to-cart', () => {
  it('reads the SKU once; with its catalog entry cached, an add makes no Postgres round trip and prices it the same', async () => {
    const client = isolatedClient('rt-cart-add');
    const sku = shop.skus[0] ?? '';
    const cold = await addToNewCart(client, sku);
    // The SKU's entry and the automatic promotions, each read once and then cached.
    expect(cold.trips).toBe(2);
    const warm = await untilCached(() => addToNewCart(client, sku));
    expect(warm.trips).toBe(0);
    expect(warm.cart.lines).toEqual([expect.objectContaining({ sku, quantity: 1, unitPrice: 1500, available: 10 })]);
    expect(warm.cart.total).toBe(cold.cart.total);
  });

  it('a price change outdates the cached entry at once: the next add prices at the new price', async () => {
    const client = isolatedClient('rt-cart-price');
    const sku = shop.skus[1] ?? '';
    await untilCached(() => addToNewCart(client, sku));
    const product = (await (await client('GET', `/products/${shop.productIds[1]}`)).json()) as ProductBody;
    const update = await client('PUT', `/products/${product.id}`, {
      token: shop.seller.accessToken,
      body: {
        name: product.name,
        categoryId: product.categoryId,
        status: product.status,
        description: 'A fine thing.',
        attributes: product.attributes,
        variants: product.variants.map((v) => ({ sku: v.sku, price: 2700, currency: v.currency })),
      },
    });
    expect(update.status, await update.clone().text()).toBe(200);
    const after = await addToNewCart(client, sku);
    expect(after.trips).toBe(1);
    expect(after.cart.lines[0]?.unitPrice).toBe(2700);
  });

  it('stock is live from the SKU\'s InventoryDO, not from the cached entry', async () => {
    const client = isolatedClient('rt-cart-stock');
    const sku = shop.skus[2] ?? '';
    await untilCached(() => addToNewCart(client, sku));
    await setStock(shop.seller, sku, 0);
    const res = await client('POST', '/cart/items', { body: { sku, quantity: 1 } });
    const cart = (await res.json()) as CartBody;
    expect(roundTrips(res)).toBe(0);
    expect(cart.lines[0]?.available).toBe(0);
    expect(cart.problems.map((p) => p.code)).toEqual(['insufficient_stock']);
    await setStock(shop.seller, sku, 10);
  });

  it('a cold cart of several SKUs is read in one statement; cached, viewing it makes none', async () => {
    const client = isolatedClient('rt-cart-view');
    let cartId = '';
    for (const sku of shop.skus) {
      const res = await client('POST', '/cart/items', { body: { sku, quantity: 1 }, headers: cartId ? { 'x-cart-id': cartId } : {} });
      expect(res.status).toBe(201);
      cartId = res.headers.get('x-cart-id') ?? cartId;
    }
    // A new prefix: nothing cached yet.
    const cold = isolatedClient('rt-cart-view-cold');
    const first = await cold('GET', '/cart', { headers: { 'x-cart-id': cartId } });
    expect(first.status).toBe(200);
    // One statement for the three SKUs, one for the automatic promotions (cached for every cart).
    expect(roundTrips(first)).toBe(2);
    const warm = await untilCached(async () => {
      const res = await cold('GET', '/cart', { headers: { 'x-cart-id': cartId } });
      return { trips: roundTrips(res), body: (await res.json()) as CartBody };
    });
    expect(warm.trips).toBe(0);
    expect(warm.body.lines).toHaveLength(3);
  });
});

describe('POST /orders', () => {
  it('makes at most three round trips and answers the order exactly as GET /orders/:id reads it back', async () => {
    const client = isolatedClient('rt-order');
    const buyer = await createUser();
    for (const sku of shop.skus.slice(0, 2)) {
      const add = await client('POST', '/cart/items', { token: buyer.accessToken, body: { sku, quantity: 2 } });
      expect(add.status).toBe(201);
    }
    const res = await client('POST', '/orders', {
      token: buyer.accessToken,
      body: { shippingAddress: ADDRESS },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    const placed = (await res.json()) as { order: { id: string; number: string; status: string; items: unknown[]; history: unknown[] } };
    expect(res.status, JSON.stringify(placed)).toBe(201);
    expect(roundTrips(res)).toBeLessThanOrEqual(3);
    expect(placed.order).toMatchObject({ status: 'pending_payment' });
    expect(placed.order.number).toBeTruthy();
    expect(placed.order.items).toHaveLength(2);
    expect(placed.order.history).toHaveLength(1);
    const read = await client('GET', `/orders/${placed.order.id}`, { token: buyer.accessToken });
    expect(await read.json()).toEqual(placed.order);
  });
});
