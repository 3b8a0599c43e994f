import { describe, expect, it } from 'vitest';
import { api, createUser } from '../../support/users';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { setStock } from '../../support/checkout';

interface VariantBody {
  sku: string;
  available: number;
}

describe('variants carry their availability', () => {
  it('a product answer says how many units of each variant can be bought, from the stock read table', async () => {
    const [admin, seller] = [await createUser('admin'), await createUser('seller')];
    const category = await createCategory(admin);
    const tag = crypto.randomUUID().slice(0, 8);
    const [a, b, c] = [`VA-A-${tag}`, `VA-B-${tag}`, `VA-C-${tag}`];
    const product = await createProduct(
      seller,
      productInput(category.id, { variants: [a, b, c].map((sku, i) => ({ sku, price: 1000 + i, currency: 'USD' })) }),
    );
    await setStock(seller, a, 7);
    await setStock(seller, b, 0);
    // c was never stocked.

    const byId = async (token?: string) => {
      const res = await api('GET', `/products/${product.id}`, token ? { token, headers: { 'cache-control': 'no-cache' } } : {});
      expect(res.status).toBe(200);
      return Object.fromEntries((await res.json<{ variants: VariantBody[] }>()).variants.map((v) => [v.sku, v.available]));
    };
    expect(await byId(seller.accessToken)).toEqual({ [a]: 7, [b]: 0, [c]: 0 });

    // Listing pages carry it too.
    const listed = await api('GET', `/products?seller=${seller.id}&limit=5`);
    const page = await listed.json<{ data: Array<{ id: string; variants: VariantBody[] }> }>();
    const inList = page.data.find((p) => p.id === product.id);
    expect(inList?.variants.find((v) => v.sku === a)?.available).toBe(7);

    // A writer reading past the cache sees a stock change at once.
    await setStock(seller, a, 3);
    expect((await byId(seller.accessToken))[a]).toBe(3);
  });
});
