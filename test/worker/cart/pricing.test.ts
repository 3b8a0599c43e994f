import { beforeAll, describe, expect, it } from 'vitest';
import { setStock } from '../../support/catalog';
import { anonCart, type CartBody, cartOf, client, createShop, product, type Shop, type TestProduct, viewAnon } from './helpers';

const totals = (cart: CartBody) => ({
  subtotal: cart.subtotal,
  tax: cart.tax,
  shipping: cart.shipping,
  total: cart.total,
  itemCount: cart.itemCount,
});

/**
 * Totals in integer minor units: tax TAX_RATE_BPS (1200 = 12 %, half-up),
 * flat shipping 500 below FREE_SHIPPING_THRESHOLD (10000), none at or above it
 * or for an empty cart. Stock is written straight into the read table here.
 */
describe('cart pricing', () => {
  let shop: Shop;
  const made = new Map<number, TestProduct>();
  /** A published product at this price with plenty of stock (one per price). */
  const at = async (price: number) => {
    let p = made.get(price);
    if (!p) {
      p = await product(shop, price);
      await setStock(p.sku, 1000);
      made.set(price, p);
    }
    return p.sku;
  };

  beforeAll(async () => {
    shop = await createShop();
  });

  it('prices lines, subtotal, 12% tax, flat shipping and total exactly', async () => {
    const { cart } = await anonCart([
      [await at(2500), 2],
      [await at(799), 3],
    ]);
    expect(cart.lines.map((l) => [l.unitPrice, l.quantity, l.lineTotal])).toEqual([
      [2500, 2, 5000],
      [799, 3, 2397],
    ]);
    // 7397 × 12 % = 887.64 → 888.
    expect(totals(cart)).toEqual({ subtotal: 7397, tax: 888, shipping: 500, total: 8785, itemCount: 5 });
    expect(cart.currency).toBe('USD');
    expect(cart.problems).toEqual([]);
  });

  it('rounds tax half-up to the minor unit', async () => {
    // 1999 × 12 % = 239.88 → 240.
    expect(totals((await anonCart([[await at(1999), 1]])).cart)).toEqual({ subtotal: 1999, tax: 240, shipping: 500, total: 2739, itemCount: 1 });
    // 1001 × 12 % = 120.12 → 120.
    expect(totals((await anonCart([[await at(1001), 1]])).cart)).toMatchObject({ subtotal: 1001, tax: 120, total: 1621 });
    // 1 × 12 % = 0.12 → 0; 5 × 12 % = 0.6 → 1.
    expect(totals((await anonCart([[await at(1), 1]])).cart)).toMatchObject({ subtotal: 1, tax: 0, total: 501 });
    expect(totals((await anonCart([[await at(1), 5]])).cart)).toMatchObject({ subtotal: 5, tax: 1, total: 506 });
  });

  it('an exact half rounds up, not to even (TAX_RATE_BPS 500)', async () => {
    const fivePercent = client({ TAX_RATE_BPS: '500' });
    // 10 × 5 % = 0.5 → 1 (banker's rounding would give 0).
    expect(totals((await anonCart([[await at(10), 1]], fivePercent)).cart)).toMatchObject({ subtotal: 10, tax: 1, total: 511 });
    // 30 × 5 % = 1.5 → 2, 50 × 5 % = 2.5 → 3.
    expect(totals((await anonCart([[await at(30), 1]], fivePercent)).cart)).toMatchObject({ subtotal: 30, tax: 2 });
    expect(totals((await anonCart([[await at(50), 1]], fivePercent)).cart)).toMatchObject({ subtotal: 50, tax: 3 });
  });

  it('free shipping at exactly the threshold and above; flat rate one minor unit below', async () => {
    const below = (await anonCart([[await at(9999), 1]])).cart;
    expect(totals(below)).toEqual({ subtotal: 9999, tax: 1200, shipping: 500, total: 11699, itemCount: 1 });
    const exactly = (await anonCart([[await at(5000), 2]])).cart;
    expect(totals(exactly)).toEqual({ subtotal: 10000, tax: 1200, shipping: 0, total: 11200, itemCount: 2 });
    const above = (await anonCart([[await at(2500), 2], [await at(9999), 1]])).cart;
    expect(totals(above)).toEqual({ subtotal: 14999, tax: 1800, shipping: 0, total: 16799, itemCount: 3 });
  });

  it('crossing the threshold by changing a quantity switches shipping on and off', async () => {
    const { cartId, cart } = await anonCart([[await at(2500), 3]]);
    expect(totals(cart)).toMatchObject({ subtotal: 7500, shipping: 500 });
    const lineId = cart.lines[0]?.id;
    const four = await cartOf(await client()('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 4 } }));
    expect(totals(four)).toEqual({ subtotal: 10000, tax: 1200, shipping: 0, total: 11200, itemCount: 4 });
    const one = await cartOf(await client()('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 1 } }));
    expect(totals(one)).toEqual({ subtotal: 2500, tax: 300, shipping: 500, total: 3300, itemCount: 1 });
  });

  it('an empty cart costs nothing: no shipping, no tax', async () => {
    const { cartId } = await anonCart([[await at(2500), 1]]);
    expect((await client()('DELETE', '/cart', { cartId })).status).toBe(204);
    expect(totals(await viewAnon(cartId))).toEqual({ subtotal: 0, tax: 0, shipping: 0, total: 0, itemCount: 0 });
    expect(totals(await cartOf(await client()('GET', '/cart')))).toEqual({ subtotal: 0, tax: 0, shipping: 0, total: 0, itemCount: 0 });
  });

  it('TAX_RATE_BPS, SHIPPING_FLAT_RATE and FREE_SHIPPING_THRESHOLD come from the config', async () => {
    const sku = await at(1999);
    const noTax = client({ TAX_RATE_BPS: '0' });
    const { cartId, cart } = await anonCart([[sku, 1]], noTax);
    expect(totals(cart)).toMatchObject({ subtotal: 1999, tax: 0, shipping: 500, total: 2499 });
    // The rate is applied when the cart is read, so the same cart reads differently under another config.
    expect(totals(await viewAnon(cartId, client({ TAX_RATE_BPS: '2000' })))).toMatchObject({ tax: 400, total: 2899 });
    expect(totals(await viewAnon(cartId, client({ TAX_RATE_BPS: '10000' })))).toMatchObject({ tax: 1999, total: 4498 });
    expect(totals(await viewAnon(cartId, client({ SHIPPING_FLAT_RATE: '750' })))).toMatchObject({ tax: 240, shipping: 750, total: 2989 });
    expect(totals(await viewAnon(cartId, client({ FREE_SHIPPING_THRESHOLD: '1999' })))).toMatchObject({ shipping: 0, total: 2239 });
    expect(totals(await viewAnon(cartId, client({ FREE_SHIPPING_THRESHOLD: '2000' })))).toMatchObject({ shipping: 500, total: 2739 });
    // And the defaults again.
    expect(totals(await viewAnon(cartId))).toMatchObject({ tax: 240, shipping: 500, total: 2739 });
  });

  it('large quantities stay exact integers', async () => {
    const { cart } = await anonCart([[await at(999_999), 99]]);
    // 98 999 901 × 12 % = 11 879 988.12 → 11 879 988.
    expect(totals(cart)).toEqual({ subtotal: 98_999_901, tax: 11_879_988, shipping: 0, total: 110_879_889, itemCount: 99 });
  });
});
