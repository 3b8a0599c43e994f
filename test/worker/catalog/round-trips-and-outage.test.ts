import { beforeAll, describe, expect, it } from 'vitest';
import { DEAD_PORT, expectProblem } from '../../support/app';
import {
  createCategory,
  createProduct,
  isolatedClient,
  listProducts,
  productInput,
  type ProductBody,
  roundTrips,
  setStock,
  HOOK_TIMEOUT,
} from '../../support/catalog';
import { createUser, type TestUser } from '../../support/users';

let seller: TestUser;
let category: { id: string };
let a: ProductBody, b: ProductBody, c: ProductBody, draft: ProductBody;

beforeAll(async () => {
  const admin = await createUser('admin');
  seller = await createUser('seller');
  category = await createCategory(admin);
  const multi = (price: number) => [0, 1, 2].map((i) => ({ sku: `RT-${crypto.randomUUID().slice(0, 10)}-${i}`, price: price + i, currency: 'USD' }));
  a = await createProduct(seller, productInput(category.id, { variants: multi(100), attributes: { brand: 'Acme', storage_gb: 256 } }));
  b = await createProduct(seller, productInput(category.id, { variants: multi(200), attributes: { brand: 'Acme' } }));
  c = await createProduct(seller, productInput(category.id, { variants: multi(300), attributes: { brand: 'Acme' } }));
  draft = await createProduct(seller, productInput(category.id, { status: 'draft' }));
  for (const p of [a, b, c]) await setStock(p.variants[1]?.sku as string, 4);
}, HOOK_TIMEOUT);

describe('database round trips (X-Db-Round-Trips)', () => {
  /** Uncached (no-cache): exactly one query. The same request again: a cache hit, no query. */
  async function expectOneThenZero(path: string) {
    const client = isolatedClient('round-trips');
    const miss = await client('GET', path, { headers: { 'cache-control': 'no-cache' } });
    const body = await miss.text();
    expect(miss.status, body).toBe(200);
    expect(roundTrips(miss), `${path} uncached`).toBe(1);
    const hit = await client('GET', path);
    expect(hit.status).toBe(200);
    expect(roundTrips(hit), `${path} cached`).toBe(0);
    expect(await hit.text()).toBe(body);
    const notModified = await client('GET', path, { headers: { 'if-none-match': hit.headers.get('etag') ?? '' } });
    expect(notModified.status).toBe(304);
    expect(roundTrips(notModified)).toBe(0);
    return body;
  }

  it('product detail by id: one query with all its variants, none when cached', async () => {
    const body = await expectOneThenZero(`/products/${a.id}`);
    expect((JSON.parse(body) as ProductBody).variants).toHaveLength(3);
  });

  it('product detail by slug', async () => {
    await expectOneThenZero(`/products/${b.slug}`);
  });

  it('a listing page of products with several variants each: one query (no N+1)', async () => {
    const body = await expectOneThenZero(`/products?category=${category.id}&limit=2`);
    const page = JSON.parse(body) as { data: ProductBody[]; nextCursor: string };
    expect(page.data.map((p) => p.variants.length)).toEqual([3, 3]);
    // The next page, with every filter at once, costs the same.
    const filters = `category=${category.id}&sort=price_asc&minPrice=100&maxPrice=10000&inStock=true&attr=brand:Acme&limit=1`;
    const first = await listProducts(filters);
    expect(first.data.map((p) => p.id)).toEqual([a.id]);
    const next = await expectOneThenZero(`/products?${filters}&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect((JSON.parse(next) as { data: ProductBody[] }).data.map((p) => p.id)).toEqual([b.id]);
  });

  it('the category tree', async () => {
    await expectOneThenZero('/categories');
  });
});

describe('with Redis down', () => {
  const down = () => isolatedClient('redis-down', { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` });

  it('listings answer 200 from Postgres', async () => {
    const client = down();
    for (const query of [`category=${category.id}`, `category=${category.id}&sort=price_desc&limit=2`]) {
      const res = await client('GET', `/products?${query}`);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(roundTrips(res)).toBe(1);
      expect(res.headers.get('etag')).toBeTruthy();
      const ids = (JSON.parse(text) as { data: ProductBody[] }).data.map((p) => p.id);
      expect(ids).toEqual(query.includes('price_desc') ? [c.id, b.id] : [c.id, b.id, a.id]);
    }
  });

  it('detail by id and slug answers 200 from Postgres; hidden products stay hidden', async () => {
    const client = down();
    for (const key of [a.id, a.slug]) {
      const res = await client('GET', `/products/${key}`);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect((JSON.parse(text) as ProductBody).id).toBe(a.id);
    }
    await expectProblem(await client('GET', `/products/${draft.id}`), 404, 'NOT_FOUND');
  });

  it('the owner still sees its draft (token checks fall back to the database)', async () => {
    const res = await down()('GET', `/products/${draft.id}`, { token: seller.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('the category tree answers 200', async () => {
    const res = await down()('GET', '/categories');
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain(category.id);
  });
});
