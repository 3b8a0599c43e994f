import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { api, createUser } from '../../support/users';
import { validationPaths } from '../../support/catalog';
import {
  anonCart,
  cartOf,
  client,
  createShop,
  lineOf,
  newSku,
  product,
  products,
  quantities,
  self,
  type Shop,
  stock,
  type TestProduct,
  UNKNOWN_LINE_ID,
  updateProduct,
  viewAnon,
} from './helpers';

/** Adding, changing and removing lines, and what the API refuses. */
describe('cart lines', () => {
  let shop: Shop;
  let a: TestProduct;
  let b: TestProduct;
  let c: TestProduct;

  beforeAll(async () => {
    shop = await createShop();
    [a, b, c] = await products(shop, [1250, 300, 4000]);
    for (const p of [a, b, c]) await stock(shop, p.sku, 500);
  });

  it('add answers 201 with the priced cart', async () => {
    const res = await self('POST', '/cart/items', { body: { sku: a.sku, quantity: 3 } });
    const cart = await cartOf(res, 201);
    expect(cart.lines).toEqual([
      {
        id: expect.stringMatching(/^ln_[0-9a-f]{24}$/),
        sku: a.sku,
        productId: a.id,
        name: a.body.name,
        quantity: 3,
        unitPrice: 1250,
        lineTotal: 3750,
        discount: 0,
        currency: 'USD',
        available: 500,
        inStock: true,
        holdExpiresAt: null,
      },
    ]);
    expect(cart).toMatchObject({ subtotal: 3750, tax: 450, shipping: 500, total: 4700, currency: 'USD', itemCount: 3, problems: [] });
  });

  it('adding the same SKU again adds to its line; a new SKU gets a new line', async () => {
    const { cartId, cart: first } = await anonCart([[a.sku, 2]]);
    const lineId = first.lines[0]?.id;
    const again = await cartOf(await self('POST', '/cart/items', { cartId, body: { sku: a.sku, quantity: 5 } }), 201);
    expect(again.lines).toHaveLength(1);
    expect(again.lines[0]).toMatchObject({ id: lineId, quantity: 7, lineTotal: 8750 });
    const more = await cartOf(await self('POST', '/cart/items', { cartId, body: { sku: b.sku, quantity: 1 } }), 201);
    expect(more.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a.sku, 7],
      [b.sku, 1],
    ]);
    expect(more).toMatchObject({ subtotal: 9050, itemCount: 8 });
  });

  it('PATCH sets a line’s quantity (up and down)', async () => {
    const { cartId, cart } = await anonCart([[a.sku, 2], [b.sku, 1]]);
    const line = lineOf(cart, b.sku);
    const up = await cartOf(await self('PATCH', `/cart/items/${line?.id}`, { cartId, body: { quantity: 10 } }));
    expect(quantities(up)).toEqual({ [a.sku]: 2, [b.sku]: 10 });
    expect(lineOf(up, b.sku)).toMatchObject({ id: line?.id, lineTotal: 3000 });
    const down = await cartOf(await self('PATCH', `/cart/items/${line?.id}`, { cartId, body: { quantity: 4 } }));
    expect(quantities(down)).toEqual({ [a.sku]: 2, [b.sku]: 4 });
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 2, [b.sku]: 4 });
  });

  it('DELETE of a line removes only that line; a second DELETE is a 404', async () => {
    const { cartId, cart } = await anonCart([[a.sku, 2], [b.sku, 1]]);
    const line = lineOf(cart, a.sku);
    const after = await cartOf(await self('DELETE', `/cart/items/${line?.id}`, { cartId }));
    expect(quantities(after)).toEqual({ [b.sku]: 1 });
    expect(after).toMatchObject({ subtotal: 300, itemCount: 1 });
    await expectProblem(await self('DELETE', `/cart/items/${line?.id}`, { cartId }), 404, 'NOT_FOUND');
  });

  it('DELETE /cart answers 204 and leaves an empty cart; the cart can be used again', async () => {
    const { cartId } = await anonCart([[a.sku, 2], [b.sku, 1]]);
    const res = await self('DELETE', '/cart', { cartId });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(await viewAnon(cartId)).toMatchObject({ lines: [], subtotal: 0, tax: 0, shipping: 0, total: 0, itemCount: 0 });
    expect((await self('DELETE', '/cart', { cartId })).status).toBe(204);
    const again = await cartOf(await self('POST', '/cart/items', { cartId, body: { sku: c.sku, quantity: 1 } }), 201);
    expect(quantities(again)).toEqual({ [c.sku]: 1 });
  });

  it('an unknown SKU is a 404 and adds nothing', async () => {
    const { cartId } = await anonCart([[a.sku, 1]]);
    await expectProblem(await self('POST', '/cart/items', { cartId, body: { sku: newSku('NOPE'), quantity: 1 } }), 404, 'NOT_FOUND');
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 1 });
  });

  it('a SKU of a draft or archived product is a 409', async () => {
    const draft = await product(shop, 100, { status: 'draft' });
    const archived = await product(shop, 100, { status: 'archived' });
    const { cartId } = await anonCart([[a.sku, 1]]);
    for (const p of [draft, archived]) {
      const problem = await expectProblem(await self('POST', '/cart/items', { cartId, body: { sku: p.sku, quantity: 1 } }), 409, 'CONFLICT');
      expect(problem.sku).toBe(p.sku);
    }
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 1 });
  });

  it('a SKU of a deleted product is a 409', async () => {
    const gone = await product(shop, 100);
    expect((await api('DELETE', `/products/${gone.id}`, { token: shop.seller.accessToken })).status).toBe(204);
    const problem = await expectProblem(await self('POST', '/cart/items', { body: { sku: gone.sku, quantity: 1 } }), 409, 'CONFLICT');
    expect(problem.sku).toBe(gone.sku);
  });

  it('a SKU unpublished after it was added cannot be added again (409)', async () => {
    const p = await product(shop, 100);
    const { cartId } = await anonCart([[p.sku, 1]]);
    await updateProduct(shop, p, { status: 'draft' });
    await expectProblem(await self('POST', '/cart/items', { cartId, body: { sku: p.sku, quantity: 1 } }), 409, 'CONFLICT');
    expect(quantities(await viewAnon(cartId))).toEqual({ [p.sku]: 1 });
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['non-integer', 1.5],
    ['a string', '2'],
    ['null', null],
  ])('a %s quantity is a 400, on add and on PATCH', async (_label, quantity) => {
    const { cartId, cart } = await anonCart([[a.sku, 2]]);
    expect(await validationPaths(await self('POST', '/cart/items', { cartId, body: { sku: b.sku, quantity } }))).toEqual(['quantity']);
    const lineId = cart.lines[0]?.id;
    expect(await validationPaths(await self('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity } }))).toEqual(['quantity']);
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 2 });
  });

  it('a missing quantity, a bad SKU or an extra field is a 400', async () => {
    expect(await validationPaths(await self('POST', '/cart/items', { body: { sku: a.sku } }))).toEqual(['quantity']);
    expect(await validationPaths(await self('POST', '/cart/items', { body: { sku: '-bad sku', quantity: 1 } }))).toEqual(['sku']);
    expect((await validationPaths(await self('POST', '/cart/items', { body: { sku: a.sku, quantity: 1, price: 1 } }))).length).toBe(1);
  });

  it('more than CART_MAX_QUANTITY (99) per line is a 400: at once, by summing, or by PATCH', async () => {
    await expectProblem(await self('POST', '/cart/items', { body: { sku: a.sku, quantity: 100 } }), 400, 'VALIDATION_FAILED');
    const { cartId, cart } = await anonCart([[a.sku, 99]]);
    expect(quantities(cart)).toEqual({ [a.sku]: 99 });
    const lineId = cart.lines[0]?.id;
    await expectProblem(await self('POST', '/cart/items', { cartId, body: { sku: a.sku, quantity: 1 } }), 400, 'VALIDATION_FAILED');
    await cartOf(await self('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 60 } }));
    const summed = await expectProblem(await self('POST', '/cart/items', { cartId, body: { sku: a.sku, quantity: 40 } }), 400, 'VALIDATION_FAILED');
    expect(summed.errors?.[0]?.path).toBe('quantity');
    await expectProblem(await self('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 100 } }), 400, 'VALIDATION_FAILED');
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 60 });
  });

  it('CART_MAX_QUANTITY is configurable', async () => {
    const small = client({ CART_MAX_QUANTITY: '5' });
    const { cartId, cart } = await anonCart([[a.sku, 5]], small);
    await expectProblem(await small('POST', '/cart/items', { cartId, body: { sku: a.sku, quantity: 1 } }), 400, 'VALIDATION_FAILED');
    await expectProblem(await small('PATCH', `/cart/items/${cart.lines[0]?.id}`, { cartId, body: { quantity: 6 } }), 400, 'VALIDATION_FAILED');
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 5 });
  });

  it('more than CART_MAX_LINES lines is a 409; an existing line still grows', async () => {
    const twoLines = client({ CART_MAX_LINES: '2' });
    const { cartId } = await anonCart([[a.sku, 1], [b.sku, 1]], twoLines);
    const problem = await expectProblem(await twoLines('POST', '/cart/items', { cartId, body: { sku: c.sku, quantity: 1 } }), 409, 'CONFLICT');
    expect(problem.limit).toBe(2);
    const grown = await cartOf(await twoLines('POST', '/cart/items', { cartId, body: { sku: b.sku, quantity: 2 } }), 201);
    expect(quantities(grown)).toEqual({ [a.sku]: 1, [b.sku]: 3 });
    // Room again after a line goes.
    await cartOf(await twoLines('DELETE', `/cart/items/${lineOf(grown, a.sku)?.id}`, { cartId }));
    expect(quantities(await cartOf(await twoLines('POST', '/cart/items', { cartId, body: { sku: c.sku, quantity: 1 } }), 201))).toEqual({
      [b.sku]: 3,
      [c.sku]: 1,
    });
  });

  it('an unknown lineId is a 404 and a malformed one a 400, for PATCH and DELETE', async () => {
    const { cartId } = await anonCart([[a.sku, 1]]);
    await expectProblem(await self('PATCH', `/cart/items/${UNKNOWN_LINE_ID}`, { cartId, body: { quantity: 2 } }), 404, 'NOT_FOUND');
    await expectProblem(await self('DELETE', `/cart/items/${UNKNOWN_LINE_ID}`, { cartId }), 404, 'NOT_FOUND');
    for (const bad of ['nope', 'ln_XYZ', 'ln_0123456789ABCDEF01234567', 'ln_0123456789abcdef0123456']) {
      expect(await validationPaths(await self('PATCH', `/cart/items/${bad}`, { cartId, body: { quantity: 2 } }))).toEqual(['lineId']);
      expect(await validationPaths(await self('DELETE', `/cart/items/${bad}`, { cartId }))).toEqual(['lineId']);
    }
    expect(quantities(await viewAnon(cartId))).toEqual({ [a.sku]: 1 });
  });

  it('a signed-in user’s lines work the same way', async () => {
    const user = await createUser();
    const token = user.accessToken;
    const added = await cartOf(await self('POST', '/cart/items', { token, body: { sku: c.sku, quantity: 2 } }), 201);
    const lineId = added.lines[0]?.id;
    expect(quantities(await cartOf(await self('PATCH', `/cart/items/${lineId}`, { token, body: { quantity: 3 } })))).toEqual({ [c.sku]: 3 });
    expect((await cartOf(await self('DELETE', `/cart/items/${lineId}`, { token }))).lines).toEqual([]);
    await cartOf(await self('POST', '/cart/items', { token, body: { sku: c.sku, quantity: 1 } }), 201);
    expect((await self('DELETE', '/cart', { token })).status).toBe(204);
    expect((await cartOf(await self('GET', '/cart', { token }))).lines).toEqual([]);
  });
});
