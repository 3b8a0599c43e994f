import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { expectProblem, testEnv } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

describe('PUT /inventory/{sku}/shards', () => {
  let admin: TestUser, seller: TestUser, customer: TestUser;
  let skus: string[];

  beforeAll(async () => {
    [admin, seller, customer] = await Promise.all([createUser('admin'), createUser('seller'), createUser()]);
    const category = await createCategory(admin);
    const tag = crypto.randomUUID().slice(0, 8).toUpperCase();
    const product = await createProduct(
      seller,
      productInput(category.id, { variants: ['A', 'B', 'C'].map((v) => ({ sku: `SHD-${tag}-${v}`, price: 1000, currency: 'USD' })) }),
    );
    skus = product.variants.map((v) => v.sku);
  });

  const put = (sku: string, body: unknown, token?: string) => api('PUT', `/inventory/${sku}/shards`, { token, body });

  it('an admin splits a SKU with stock into shards; reads and writes go on as before, and 1 merges it back', async () => {
    const sku = skus[0]!;
    expect((await api('PUT', `/inventory/${sku}`, { token: seller.accessToken, body: { onHand: 50 } })).status).toBe(200);
    const res = await put(sku, { count: 8 }, admin.accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku, shards: 8, onHand: 50, reserved: 0, available: 50, inStock: true });
    expect(await inventoryFor(testEnv, sku).shardCount()).toBe(8);
    // The owning seller still manages the stock: the sum of the shards.
    const adjusted = await api('POST', `/inventory/${sku}/adjust`, { token: seller.accessToken, body: { delta: -45, reason: 'damaged' } });
    expect(await adjusted.json()).toMatchObject({ onHand: 5, available: 5 });
    expect(await (await api('GET', `/inventory/${sku}`)).json()).toEqual({ sku, available: 5, inStock: true });
    expect(await (await put(sku, { count: 1 }, admin.accessToken)).json()).toMatchObject({ shards: 1, onHand: 5 });
  });

  it('refuses while units are reserved (409), and changes nothing', async () => {
    const sku = skus[1]!;
    await api('PUT', `/inventory/${sku}`, { token: admin.accessToken, body: { onHand: 10 } });
    await inventoryFor(testEnv, sku).reserve('order:held', 2, 600);
    const problem = await expectProblem(await put(sku, { count: 4 }, admin.accessToken), 409, 'CONFLICT');
    expect(problem).toMatchObject({ reason: 'active_reservations', reserved: 2 });
    expect(await inventoryFor(testEnv, sku).shardCount()).toBe(1);
    await inventoryFor(testEnv, sku).release('order:held');
    expect((await put(sku, { count: 4 }, admin.accessToken)).status).toBe(200);
  });

  it('validates the count', async () => {
    const sku = skus[2]!;
    for (const body of [{ count: 0 }, { count: 65 }, { count: 2.5 }, { count: '8' }, {}, { count: 2, extra: true }]) {
      await expectProblem(await put(sku, body, admin.accessToken), 400, 'VALIDATION_FAILED');
    }
    await expectProblem(await put('not a sku!', { count: 2 }, admin.accessToken), 400, 'VALIDATION_FAILED');
    expect(await inventoryFor(testEnv, sku).shardCount()).toBe(1);
  });

  it('is for admins only: anonymous 401, the owning seller and customers 403, an unknown SKU 404', async () => {
    const sku = skus[2]!;
    await expectProblem(await put(sku, { count: 2 }), 401, 'UNAUTHENTICATED');
    await expectProblem(await put(sku, { count: 2 }, seller.accessToken), 403, 'FORBIDDEN');
    await expectProblem(await put(sku, { count: 2 }, customer.accessToken), 403, 'FORBIDDEN');
    await expectProblem(await put('NO-SUCH-SKU-SHARDS', { count: 2 }, admin.accessToken), 404, 'NOT_FOUND');
    expect(await inventoryFor(testEnv, sku).shardCount()).toBe(1);
  });
});
