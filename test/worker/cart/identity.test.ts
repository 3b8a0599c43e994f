import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createUser, login } from '../../support/users';
import {
  anonCart,
  CART_ID,
  cartOf,
  cartStub,
  createShop,
  LINE_ID,
  products,
  quantities,
  self,
  type Shop,
  type TestProduct,
  viewAnon,
  viewMine,
} from './helpers';

/** Which cart a request means: anonymous by X-Cart-Id, or the signed-in user's. */
describe('cart identity', () => {
  let shop: Shop;
  let a: TestProduct;
  let b: TestProduct;

  beforeAll(async () => {
    shop = await createShop();
    [a, b] = await products(shop, [1000, 2000]);
  });

  it('a request without X-Cart-Id gets a new anonymous cart whose id comes back in X-Cart-Id', async () => {
    const res = await self('GET', '/cart');
    const cartId = res.headers.get('x-cart-id') ?? '';
    const cart = await cartOf(res);
    expect(cartId).toMatch(CART_ID);
    expect(cart).toEqual({
      id: cartId,
      lines: [],
      subtotal: 0,
      tax: 0,
      shipping: 0,
      total: 0,
      discount: 0,
      shippingDiscount: 0,
      currency: 'USD',
      itemCount: 0,
      promotions: [],
      codes: [],
      problems: [],
    });
    // Every new cart gets its own id.
    const other = (await self('GET', '/cart')).headers.get('x-cart-id');
    expect(other).toMatch(CART_ID);
    expect(other).not.toBe(cartId);
  });

  it('the same X-Cart-Id reads the same cart, and is echoed back', async () => {
    const add = await self('POST', '/cart/items', { body: { sku: a.sku, quantity: 2 } });
    const cartId = add.headers.get('x-cart-id') ?? '';
    expect(cartId).toMatch(CART_ID);
    const added = await cartOf(add, 201);
    expect(added.id).toBe(cartId);
    expect(added.lines).toEqual([expect.objectContaining({ sku: a.sku, quantity: 2, productId: a.id })]);
    expect(added.lines[0]?.id).toMatch(LINE_ID);

    const again = await self('POST', '/cart/items', { cartId, body: { sku: b.sku, quantity: 1 } });
    expect(again.headers.get('x-cart-id')).toBe(cartId);
    expect(quantities(await cartOf(again, 201))).toEqual({ [a.sku]: 2, [b.sku]: 1 });

    const read = await self('GET', '/cart', { cartId });
    expect(read.headers.get('x-cart-id')).toBe(cartId);
    const cart = await cartOf(read);
    expect(cart.id).toBe(cartId);
    expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a.sku, 2],
      [b.sku, 1],
    ]);
    // Another anonymous cart does not see these lines.
    expect((await cartOf(await self('GET', '/cart'))).lines).toEqual([]);
  });

  it.each([
    ['too short', 'abc'],
    ['one character too long', `${'A'.repeat(43)}B`],
    ['not base64url', `${'A'.repeat(42)}+`],
    ['padded', `${'A'.repeat(42)}=`],
  ])('a malformed X-Cart-Id (%s) is a 400 on every cart route', async (_label, cartId) => {
    const cases: Array<[string, string, unknown]> = [
      ['GET', '/cart', undefined],
      ['POST', '/cart/items', { sku: a.sku, quantity: 1 }],
      ['DELETE', '/cart', undefined],
    ];
    for (const [method, path, body] of cases) {
      const problem = await expectProblem(await self(method, path, { cartId, body }), 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'X-Cart-Id' })]);
    }
  });

  it('a signed-in user’s cart ignores X-Cart-Id and is keyed by the user, across sessions', async () => {
    const user = await createUser();
    const { cartId } = await anonCart([[b.sku, 3]]);

    const add = await self('POST', '/cart/items', { token: user.accessToken, cartId, body: { sku: a.sku, quantity: 1 } });
    expect(add.headers.get('x-cart-id')).toBeNull();
    const mine = await cartOf(add, 201);
    expect(mine.id).toBe(user.id);
    expect(quantities(mine)).toEqual({ [a.sku]: 1 });

    // The anonymous cart named in the header was neither read nor changed.
    expect(quantities(await viewAnon(cartId))).toEqual({ [b.sku]: 3 });
    // Even a malformed X-Cart-Id does not matter once signed in.
    expect(quantities(await cartOf(await self('GET', '/cart', { token: user.accessToken, cartId: 'garbage' })))).toEqual({ [a.sku]: 1 });

    // A second session of the same user sees the same cart: the Durable Object is named by the user.
    const session = await login(user.email, user.password);
    expect(quantities(await cartOf(await self('GET', '/cart', { token: session.accessToken })))).toEqual({ [a.sku]: 1 });
    const stored = await cartStub({ kind: 'user', userId: user.id }).lines();
    expect(stored.map((l) => [l.sku, l.quantity])).toEqual([[a.sku, 1]]);
  });

  it('two users never see or change each other’s lines', async () => {
    const alice = await createUser('customer', 'alice');
    const bob = await createUser('customer', 'bob');
    const aliceCart = await cartOf(await self('POST', '/cart/items', { token: alice.accessToken, body: { sku: a.sku, quantity: 4 } }), 201);
    const aliceLine = aliceCart.lines[0]?.id ?? '';
    await cartOf(await self('POST', '/cart/items', { token: bob.accessToken, body: { sku: b.sku, quantity: 1 } }), 201);

    expect(quantities(await viewMine(alice))).toEqual({ [a.sku]: 4 });
    expect(quantities(await viewMine(bob))).toEqual({ [b.sku]: 1 });

    // Alice's line id means nothing in Bob's cart.
    await expectProblem(await self('PATCH', `/cart/items/${aliceLine}`, { token: bob.accessToken, body: { quantity: 9 } }), 404, 'NOT_FOUND');
    await expectProblem(await self('DELETE', `/cart/items/${aliceLine}`, { token: bob.accessToken }), 404, 'NOT_FOUND');
    expect((await self('DELETE', '/cart', { token: bob.accessToken })).status).toBe(204);

    expect(quantities(await viewMine(alice))).toEqual({ [a.sku]: 4 });
    expect((await viewMine(bob)).lines).toEqual([]);
  });

  it('an anonymous cart’s line id means nothing in another anonymous cart', async () => {
    const first = await anonCart([[a.sku, 1]]);
    const second = await anonCart([[b.sku, 1]]);
    const lineId = first.cart.lines[0]?.id ?? '';
    await expectProblem(await self('DELETE', `/cart/items/${lineId}`, { cartId: second.cartId }), 404, 'NOT_FOUND');
    expect(quantities(await viewAnon(first.cartId))).toEqual({ [a.sku]: 1 });
  });

  it('an invalid bearer token is a 401, not an anonymous cart', async () => {
    await expectProblem(await self('GET', '/cart', { token: 'not-a-jwt' }), 401, 'UNAUTHENTICATED');
  });

  it('merging an anonymous id that was never used is a 404', async () => {
    const user = await createUser();
    // An id the API handed out for a cart that never got a line.
    const unused = (await self('GET', '/cart')).headers.get('x-cart-id') ?? '';
    expect(unused).toMatch(CART_ID);
    await expectProblem(await self('POST', '/cart/merge', { token: user.accessToken, body: { cartId: unused } }), 404, 'NOT_FOUND');
    // A well-formed id nobody ever issued.
    await expectProblem(await self('POST', '/cart/merge', { token: user.accessToken, body: { cartId: 'Z'.repeat(43) } }), 404, 'NOT_FOUND');
    expect((await viewMine(user)).lines).toEqual([]);
  });
});
