import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/users';
import { anonCart, cartOf, createShop, lineOf, product, self, type Shop, stock, updateProduct, viewAnon } from './helpers';

/** What the shopper must see before checkout, from the current catalog and stock. */
describe('cart problems', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await createShop();
  });

  /** A published product with stock set through the API and mirrored to the read table. */
  const stocked = async (price: number, onHand = 50, currency = 'USD') => {
    const p = await product(shop, price, { currency });
    await stock(shop, p.sku, onHand);
    return p;
  };

  it('a fresh cart with stock and unchanged prices has no problems', async () => {
    const p = await stocked(1500);
    const { cart } = await anonCart([[p.sku, 2]]);
    expect(cart.problems).toEqual([]);
    expect(cart.lines[0]).toMatchObject({ available: 50, inStock: true, unitPrice: 1500 });
  });

  it('a price change shows price_changed with both prices; totals use the new price', async () => {
    const p = await stocked(2000);
    const other = await stocked(1000);
    const { cartId } = await anonCart([
      [p.sku, 2],
      [other.sku, 1],
    ]);
    await updateProduct(shop, p, { price: 2500 });

    const cart = await viewAnon(cartId);
    const line = lineOf(cart, p.sku);
    expect(cart.problems).toEqual([
      { lineId: line?.id, sku: p.sku, code: 'price_changed', message: expect.any(String), previousPrice: 2000, price: 2500 },
    ]);
    expect(line).toMatchObject({ unitPrice: 2500, lineTotal: 5000 });
    // 6000 × 12 % = 720.
    expect(cart).toMatchObject({ subtotal: 6000, tax: 720, shipping: 500, total: 7220, itemCount: 3 });

    // A price cut is a change too, and it stays reported while the line keeps the old price.
    await updateProduct(shop, p, { price: 1800 });
    const cheaper = await viewAnon(cartId);
    expect(cheaper.problems).toEqual([expect.objectContaining({ code: 'price_changed', previousPrice: 2000, price: 1800 })]);
    expect(cheaper).toMatchObject({ subtotal: 4600, tax: 552, total: 5652 });
  });

  it('a price back at what the shopper saw is no longer a problem', async () => {
    const p = await stocked(2000);
    const { cartId } = await anonCart([[p.sku, 1]]);
    await updateProduct(shop, p, { price: 2100 });
    expect((await viewAnon(cartId)).problems.map((x) => x.code)).toEqual(['price_changed']);
    await updateProduct(shop, p, { price: 2000 });
    expect((await viewAnon(cartId)).problems).toEqual([]);
  });

  it('an unpublished (draft) product’s line is unavailable and not charged', async () => {
    const p = await stocked(3000);
    const kept = await stocked(1000);
    const { cartId } = await anonCart([
      [p.sku, 2],
      [kept.sku, 1],
    ]);
    await updateProduct(shop, p, { status: 'draft' });

    const cart = await viewAnon(cartId);
    expect(cart.problems).toEqual([{ lineId: lineOf(cart, p.sku)?.id, sku: p.sku, code: 'unavailable', message: expect.any(String) }]);
    expect(lineOf(cart, p.sku)).toMatchObject({ quantity: 2, unitPrice: null, lineTotal: 0, available: 0, inStock: false });
    expect(cart).toMatchObject({ subtotal: 1000, tax: 120, shipping: 500, total: 1620, itemCount: 1 });

    // Published again: back in the totals.
    await updateProduct(shop, p, { status: 'published' });
    expect(await viewAnon(cartId)).toMatchObject({ subtotal: 7000, itemCount: 3, problems: [] });
  });

  it('an archived product’s line is unavailable', async () => {
    const p = await stocked(3000);
    const { cartId } = await anonCart([[p.sku, 1]]);
    await updateProduct(shop, p, { status: 'archived' });
    const cart = await viewAnon(cartId);
    expect(cart.problems.map((x) => [x.sku, x.code])).toEqual([[p.sku, 'unavailable']]);
    expect(cart).toMatchObject({ subtotal: 0, tax: 0, shipping: 0, total: 0, itemCount: 0 });
  });

  it('a deleted product’s line is unavailable and not charged, but stays listed', async () => {
    const p = await stocked(3000);
    const kept = await stocked(1000);
    const { cartId } = await anonCart([
      [p.sku, 2],
      [kept.sku, 1],
    ]);
    expect((await api('DELETE', `/products/${p.id}`, { token: shop.seller.accessToken })).status).toBe(204);

    const cart = await viewAnon(cartId);
    expect(cart.lines.map((l) => l.sku)).toEqual([p.sku, kept.sku]);
    expect(cart.problems).toEqual([{ lineId: lineOf(cart, p.sku)?.id, sku: p.sku, code: 'unavailable', message: expect.any(String) }]);
    expect(lineOf(cart, p.sku)).toMatchObject({ unitPrice: null, lineTotal: 0, inStock: false });
    expect(cart).toMatchObject({ subtotal: 1000, tax: 120, shipping: 500, total: 1620, itemCount: 1 });
    // The shopper can still remove it.
    const after = await cartOf(await self('DELETE', `/cart/items/${lineOf(cart, p.sku)?.id}`, { cartId }));
    expect(after.problems).toEqual([]);
  });

  it('more units than available shows insufficient_stock with what is available (still charged)', async () => {
    const p = await stocked(1000, 3);
    const { cartId, cart } = await anonCart([[p.sku, 5]]);
    const line = lineOf(cart, p.sku);
    expect(cart.problems).toEqual([{ lineId: line?.id, sku: p.sku, code: 'insufficient_stock', message: expect.any(String), available: 3 }]);
    expect(line).toMatchObject({ quantity: 5, available: 3, inStock: true });
    expect(cart).toMatchObject({ subtotal: 5000, itemCount: 5 });

    // Exactly what is available is fine.
    const fixed = await cartOf(await self('PATCH', `/cart/items/${line?.id}`, { cartId, body: { quantity: 3 } }));
    expect(fixed.problems).toEqual([]);

    // The seller sells out: every unit is missing.
    await stock(shop, p.sku, 0);
    const soldOut = await viewAnon(cartId);
    expect(soldOut.problems).toEqual([expect.objectContaining({ code: 'insufficient_stock', available: 0 })]);
    expect(lineOf(soldOut, p.sku)).toMatchObject({ available: 0, inStock: false });

    // Restocked: fine again.
    await stock(shop, p.sku, 10);
    expect((await viewAnon(cartId)).problems).toEqual([]);
  });

  it('a SKU with no stock record at all counts as none available', async () => {
    const p = await product(shop, 1000);
    const { cart } = await anonCart([[p.sku, 1]]);
    expect(cart.problems).toEqual([expect.objectContaining({ sku: p.sku, code: 'insufficient_stock', available: 0 })]);
  });

  it('problems combine: a changed price and too little stock on one line', async () => {
    const p = await stocked(1000, 2);
    const { cartId } = await anonCart([[p.sku, 4]]);
    await updateProduct(shop, p, { price: 1100 });
    const cart = await viewAnon(cartId);
    expect(cart.problems.map((x) => x.code).sort()).toEqual(['insufficient_stock', 'price_changed']);
    expect(cart).toMatchObject({ subtotal: 4400, tax: 528 });
  });

  it('a line in another currency shows currency_mismatch and stays out of the totals', async () => {
    const usd = await stocked(1000);
    const eur = await stocked(2000, 50, 'EUR');
    const { cart } = await anonCart([
      [usd.sku, 1],
      [eur.sku, 1],
    ]);
    expect(cart.currency).toBe('USD');
    expect(cart.problems).toEqual([expect.objectContaining({ sku: eur.sku, code: 'currency_mismatch' })]);
    expect(lineOf(cart, eur.sku)).toMatchObject({ currency: 'EUR', unitPrice: 2000 });
    expect(cart).toMatchObject({ subtotal: 1000, tax: 120, shipping: 500, total: 1620, itemCount: 1 });
  });
});
