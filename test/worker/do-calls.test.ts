import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/app';
import { createCategory, createProduct, productInput } from '../support/catalog';
import { API, createUser, type TestUser } from '../support/users';

/**
 * X-Do-Calls (with EXPOSE_DB_METRICS): the Durable Object calls a request
 * made, counted Worker-side since the objects run inside workerd (the bench's
 * network calls per request, scripts/bench/network-calls.ts).
 */
describe('X-Do-Calls', () => {
  let seller: TestUser;
  let sku: string;

  beforeAll(async () => {
    const admin = await createUser('admin');
    seller = await createUser('seller');
    const category = await createCategory(admin);
    const product = await createProduct(seller, productInput(category.id, { variants: [{ sku: `DOC-${crypto.randomUUID().slice(0, 8)}`, price: 1000, currency: 'USD' }] }));
    sku = product.variants[0]!.sku;
  });

  const stock = (token?: string) =>
    new Request(`${API}/inventory/${sku}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('counts each call on an object stub: the public stock read makes one, the owner’s two', async () => {
    const metrics = { env: { EXPOSE_DB_METRICS: 'true' } };
    const anonymous = await call(stock(), metrics);
    expect(anonymous.status, await anonymous.text()).toBe(200);
    expect(anonymous.headers.get('X-Do-Calls')).toBe('1');
    const owner = await call(stock(seller.accessToken), metrics);
    expect(owner.status).toBe(200);
    expect(await owner.json()).toMatchObject({ sku, reservations: [] });
    expect(owner.headers.get('X-Do-Calls')).toBe('2');
  });

  it('is not sent when the metric is off', async () => {
    const res = await call(stock(), { env: { EXPOSE_DB_METRICS: 'false' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Do-Calls')).toBeNull();
  });
});
