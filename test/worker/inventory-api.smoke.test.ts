import { describe, expect, it } from 'vitest';
import { createCategory, createProduct, productInput } from '../support/catalog';
import { api, createUser } from '../support/users';

describe('inventory api smoke', () => {
  it('sets, adjusts and reads stock', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const cat = await createCategory(admin);
    const p = await createProduct(seller, productInput(cat.id));
    const sku = p.variants[0]?.sku ?? '';
    const set = await api('PUT', `/inventory/${sku}`, { token: seller.accessToken, body: { onHand: 10 } });
    expect(set.status, await set.clone().text()).toBe(200);
    const adj = await api('POST', `/inventory/${sku}/adjust`, { token: seller.accessToken, body: { delta: -2, reason: 'damaged' } });
    expect(await adj.json()).toMatchObject({ onHand: 8, available: 8 });
    const pub = await api('GET', `/inventory/${sku}`);
    expect(await pub.json()).toEqual({ sku, available: 8, inStock: true });
    const mv = await api('GET', `/inventory/${sku}/movements`, { token: seller.accessToken });
    const body = await mv.json<{ data: Array<{ delta: number }> }>();
    expect(body.data.map((m) => m.delta)).toEqual([-2, 10]);
  });
});
