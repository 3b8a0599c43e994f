import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, productInput, storedProduct, updateProduct, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let sellerA: TestUser, sellerB: TestUser, customer: TestUser, admin: TestUser;
let category: { id: string };

beforeAll(async () => {
  sellerA = await createUser('seller');
  sellerB = await createUser('seller');
  customer = await createUser('customer');
  admin = await createUser('admin');
  category = await createCategory(admin);
}, HOOK_TIMEOUT);

describe('who may create products', () => {
  it('a seller becomes the product’s seller', async () => {
    const p = await createProduct(sellerA, productInput(category.id));
    expect(p.sellerId).toBe(sellerA.id);
    expect((await storedProduct(p.id))?.sellerId).toBe(sellerA.id);
  });

  it('an admin may create one too', async () => {
    const p = await createProduct(admin, productInput(category.id));
    expect(p.sellerId).toBe(admin.id);
  });

  it('a customer gets 403 and nothing is written', async () => {
    const body = productInput(category.id);
    await expectProblem(await api('POST', '/products', { token: customer.accessToken, body }), 403, 'FORBIDDEN');
    const res = await api('GET', `/products?category=${category.id}&seller=${customer.id}`);
    expect((await res.json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it('a sellerId in the body is refused, not trusted', async () => {
    const body = { ...productInput(category.id), sellerId: sellerB.id };
    const res = await api('POST', '/products', { token: sellerA.accessToken, body });
    await expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});

describe('someone else’s product', () => {
  it('seller B cannot replace or delete seller A’s product: 404, unchanged', async () => {
    const original = await createProduct(sellerA, productInput(category.id));
    const before = await storedProduct(original.id);
    const put = await api('PUT', `/products/${original.id}`, {
      token: sellerB.accessToken,
      body: productInput(category.id, { name: 'Hijacked', variants: [{ sku: original.variants[0]?.sku, price: 1, currency: 'USD' }] }),
    });
    const problem = await expectProblem(put, 404, 'NOT_FOUND');
    expect(problem.detail).not.toContain(sellerA.id);
    await expectProblem(await api('DELETE', `/products/${original.id}`, { token: sellerB.accessToken }), 404, 'NOT_FOUND');

    const after = await storedProduct(original.id);
    expect(after).toEqual(before);
    expect(after?.deletedAt).toBeNull();
    expect((await api('GET', `/products/${original.id}`)).status).toBe(200);
  });

  it('the answer is the same as for a product that does not exist', async () => {
    const ghost = crypto.randomUUID();
    await expectProblem(await api('PUT', `/products/${ghost}`, { token: sellerB.accessToken, body: productInput(category.id) }), 404, 'NOT_FOUND');
    await expectProblem(await api('DELETE', `/products/${ghost}`, { token: sellerB.accessToken }), 404, 'NOT_FOUND');
  });

  it('a customer gets 403 on PUT and DELETE, unchanged', async () => {
    const p = await createProduct(sellerA, productInput(category.id));
    const before = await storedProduct(p.id);
    await expectProblem(await api('PUT', `/products/${p.id}`, { token: customer.accessToken, body: productInput(category.id) }), 403, 'FORBIDDEN');
    await expectProblem(await api('DELETE', `/products/${p.id}`, { token: customer.accessToken }), 403, 'FORBIDDEN');
    expect(await storedProduct(p.id)).toEqual(before);
  });

  it('an admin may replace and delete it; the seller stays the owner', async () => {
    const p = await createProduct(sellerA, productInput(category.id));
    const sku = p.variants[0]?.sku;
    const updated = await updateProduct(admin, p.id, productInput(category.id, { name: 'Fixed by admin', variants: [{ sku, price: 2500, currency: 'USD' }] }));
    expect(updated).toMatchObject({ id: p.id, name: 'Fixed by admin', sellerId: sellerA.id });
    expect((await storedProduct(p.id))?.sellerId).toBe(sellerA.id);

    expect((await api('DELETE', `/products/${p.id}`, { token: admin.accessToken })).status).toBe(204);
    expect((await storedProduct(p.id))?.deletedAt).toBeInstanceOf(Date);
    await expectProblem(await api('GET', `/products/${p.id}`), 404, 'NOT_FOUND');
  });
});

describe('the owner', () => {
  it('replaces and deletes its own product; a deleted one then answers 404', async () => {
    const p = await createProduct(sellerA, productInput(category.id));
    const updated = await updateProduct(sellerA, p.id, productInput(category.id, { name: 'Renamed by owner' }));
    expect(updated.name).toBe('Renamed by owner');

    expect((await api('DELETE', `/products/${p.id}`, { token: sellerA.accessToken })).status).toBe(204);
    const stored = await storedProduct(p.id);
    // Soft delete: the row (and its variants) stay for orders; the product leaves every read.
    expect(stored?.deletedAt).toBeInstanceOf(Date);
    expect(stored?.variants).toHaveLength(1);
    await expectProblem(await api('DELETE', `/products/${p.id}`, { token: sellerA.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('PUT', `/products/${p.id}`, { token: sellerA.accessToken, body: productInput(category.id) }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', `/products/${p.slug}`, { token: sellerA.accessToken }), 404, 'NOT_FOUND');
  });

  it('a deleted product’s slug stays reserved', async () => {
    const p = await createProduct(sellerA, productInput(category.id, { slug: `reserved-${crypto.randomUUID().slice(0, 8)}` }));
    expect((await api('DELETE', `/products/${p.id}`, { token: sellerA.accessToken })).status).toBe(204);
    const again = await api('POST', '/products', { token: sellerA.accessToken, body: productInput(category.id, { slug: p.slug }) });
    await expectProblem(again, 409, 'CONFLICT');
  });
});
