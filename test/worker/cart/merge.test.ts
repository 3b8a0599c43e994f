import { beforeAll, describe, expect, it } from 'vitest';
import { cartName } from '../../../durable-objects/cart-client';
import { expectProblem } from '../../support/app';
import { api, createUser, type TestUser, uniqueEmail } from '../../support/users';
import { anonCart, cartOf, cartStub, client, type Client, createShop, products, quantities, self, type Shop, type TestProduct, viewAnon, viewMine } from './helpers';

const merge = (user: TestUser, cartId: string, http: Client = self) => http('POST', '/cart/merge', { token: user.accessToken, body: { cartId } });

/** An anonymous cart's lines move into the user's cart: summed, capped, idempotent. */
describe('cart merge', () => {
  let shop: Shop;
  let a: TestProduct;
  let b: TestProduct;
  let c: TestProduct;

  beforeAll(async () => {
    shop = await createShop();
    [a, b, c] = await products(shop, [1000, 2000, 3000]);
  });

  const userWith = async (items: Array<[string, number]>, http: Client = self) => {
    const user = await createUser();
    for (const [sku, quantity] of items) {
      await cartOf(await http('POST', '/cart/items', { token: user.accessToken, body: { sku, quantity } }), 201);
    }
    return user;
  };

  it('sums quantities of the same SKU, adds new SKUs and empties the anonymous cart', async () => {
    const user = await userWith([[a.sku, 3]]);
    const { cartId } = await anonCart([[a.sku, 2], [b.sku, 1]]);

    const merged = await cartOf(await merge(user, cartId));
    expect(merged.id).toBe(user.id);
    expect(merged.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a.sku, 5],
      [b.sku, 1],
    ]);
    // 5 × 1000 + 2000 = 7000, priced like any cart.
    expect(merged).toMatchObject({ subtotal: 7000, tax: 840, shipping: 500, total: 8340, itemCount: 6 });
    expect(quantities(await viewMine(user))).toEqual({ [a.sku]: 5, [b.sku]: 1 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
  });

  it('into an empty user cart: the lines arrive as they were', async () => {
    const user = await createUser();
    const { cartId } = await anonCart([[c.sku, 4]]);
    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual({ [c.sku]: 4 });
  });

  it('caps a summed quantity at the per-line limit (99)', async () => {
    // The anti-hoarding cap (MAX_UNITS_PER_SKU) is another rule: off here, so the line limit is what is tested.
    const user = await userWith([[a.sku, 50]], client({ MAX_UNITS_PER_SKU: '0' }));
    const { cartId } = await anonCart([[a.sku, 60], [b.sku, 99]]);
    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual({ [a.sku]: 99, [b.sku]: 99 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
  });

  it('caps at a configured CART_MAX_QUANTITY', async () => {
    const five = client({ CART_MAX_QUANTITY: '5' });
    const user = await userWith([[a.sku, 4]], five);
    const { cartId } = await anonCart([[a.sku, 3]], five);
    expect(quantities(await cartOf(await merge(user, cartId, five)))).toEqual({ [a.sku]: 5 });
  });

  it('adds new SKUs only while there is room (CART_MAX_LINES 2); same-SKU lines still sum', async () => {
    const twoLines = client({ CART_MAX_LINES: '2' });
    const user = await userWith([[a.sku, 1]], twoLines);
    // The anonymous cart was filled under the default limit.
    const { cartId } = await anonCart([[a.sku, 2], [b.sku, 1], [c.sku, 1]]);
    expect(quantities(await cartOf(await merge(user, cartId, twoLines)))).toEqual({ [a.sku]: 3, [b.sku]: 1 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
  });

  it('retrying the same merge adds nothing', async () => {
    const user = await userWith([[a.sku, 1]]);
    const { cartId } = await anonCart([[a.sku, 2], [b.sku, 1]]);
    const first = quantities(await cartOf(await merge(user, cartId)));
    expect(first).toEqual({ [a.sku]: 3, [b.sku]: 1 });
    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual(first);
    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual(first);
  });

  it('a retry after a merge that was applied but did not empty the source adds nothing (per source revision)', async () => {
    const user = await userWith([[a.sku, 1]]);
    const { cartId } = await anonCart([[a.sku, 2]]);
    // The first attempt got as far as the user's cart, then failed before clearing the anonymous one.
    const source = cartStub({ kind: 'anon', cartId });
    const [lines, revision] = await Promise.all([source.lines(), source.revision()]);
    await cartStub({ kind: 'user', userId: user.id }).mergeLines(cartName({ kind: 'anon', cartId }), revision, lines, { maxLines: 100, maxQuantity: 99 });
    expect(quantities(await viewMine(user))).toEqual({ [a.sku]: 3 });

    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual({ [a.sku]: 3 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
  });

  it('what is added to the anonymous cart after a merge merges again', async () => {
    const user = await createUser();
    const { cartId } = await anonCart([[a.sku, 1]]);
    await cartOf(await merge(user, cartId));
    await cartOf(await self('POST', '/cart/items', { cartId, body: { sku: a.sku, quantity: 2 } }), 201);
    expect(quantities(await cartOf(await merge(user, cartId)))).toEqual({ [a.sku]: 3 });
  });

  it('one anonymous cart merged into two users: each gets the lines it had when merged', async () => {
    const [first, second] = [await createUser(), await createUser()];
    const { cartId } = await anonCart([[b.sku, 2]]);
    expect(quantities(await cartOf(await merge(first, cartId)))).toEqual({ [b.sku]: 2 });
    // Emptied by the first merge: nothing left for the second.
    expect((await cartOf(await merge(second, cartId))).lines).toEqual([]);
  });

  it('requires a signed-in user (401), a well-formed id (400) and a used cart (404)', async () => {
    const { cartId } = await anonCart([[a.sku, 1]]);
    await expectProblem(await self('POST', '/cart/merge', { body: { cartId } }), 401, 'UNAUTHENTICATED');
    await expectProblem(await self('POST', '/cart/merge', { cartId, body: { cartId } }), 401, 'UNAUTHENTICATED');
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 1 });

    const user = await createUser();
    for (const bad of ['short', `${cartId}x`, `${cartId.slice(0, 42)}+`]) {
      await expectProblem(await merge(user, bad), 400, 'VALIDATION_FAILED');
    }
    await expectProblem(await self('POST', '/cart/merge', { token: user.accessToken, body: {} }), 400, 'VALIDATION_FAILED');
    await expectProblem(await merge(user, 'Q'.repeat(43)), 404, 'NOT_FOUND');
    expect((await viewMine(user)).lines).toEqual([]);
  });

  it('logging in with X-Cart-Id merges the anonymous cart', async () => {
    const user = await userWith([[a.sku, 1]]);
    const { cartId } = await anonCart([[a.sku, 2], [c.sku, 1]]);
    const res = await api('POST', '/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-cart-id': cartId } });
    expect(res.status, await res.text()).toBe(200);
    expect(quantities(await viewMine(user))).toEqual({ [a.sku]: 3, [c.sku]: 1 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
    // Logging in again with the same header adds nothing.
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-cart-id': cartId } })).status).toBe(200);
    expect(quantities(await viewMine(user))).toEqual({ [a.sku]: 3, [c.sku]: 1 });
  });

  it('registering with X-Cart-Id merges the anonymous cart into the new account', async () => {
    const { cartId } = await anonCart([[b.sku, 2]]);
    const email = uniqueEmail('cart-register');
    const res = await api('POST', '/auth/register', { body: { email, password: `pw-${crypto.randomUUID()}`, name: 'Cart Buyer' }, headers: { 'x-cart-id': cartId } });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const { accessToken } = JSON.parse(text) as { accessToken: string };
    expect(quantities(await cartOf(await self('GET', '/cart', { token: accessToken })))).toEqual({ [b.sku]: 2 });
    expect((await viewAnon(cartId)).lines).toEqual([]);
  });

  it('signing in never fails because of X-Cart-Id: unknown or malformed ids are ignored', async () => {
    const user = await userWith([[a.sku, 1]]);
    for (const cartId of ['W'.repeat(43), 'not a cart id']) {
      const res = await api('POST', '/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-cart-id': cartId } });
      expect(res.status, await res.text()).toBe(200);
    }
    expect(quantities(await viewMine(user))).toEqual({ [a.sku]: 1 });
  });

  it('a failed login does not merge', async () => {
    const user = await createUser();
    const { cartId } = await anonCart([[a.sku, 1]]);
    const res = await api('POST', '/auth/login', { body: { email: user.email, password: 'wrong-password' }, headers: { 'x-cart-id': cartId } });
    expect(res.status).toBe(401);
    expect((await viewMine(user)).lines).toEqual([]);
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 1 });
  });
});
