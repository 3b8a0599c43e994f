import { beforeAll, describe, expect, it } from 'vitest';
import { DEAD_PORT, isolatedPrefix } from '../../support/app';
import { setStock } from '../../support/checkout';
import { createCategory, createProduct, HOOK_TIMEOUT, isolatedClient, productInput, type ProductBody, roundTrips } from '../../support/catalog';
import { createUser, type TestUser } from '../../support/users';

// The freshness contract (docs/catalog.md), clause by clause, through the real app. Each test has its own Redis
// prefix (so its own colo entries) and its own CATALOG_* values; the suites' default turns the colo tiers off.
// Time is controlled with short settings and waits past them; no request's duration is ever asserted.

let admin: TestUser, seller: TestUser, customer: TestUser;
beforeAll(async () => {
  [admin, seller, customer] = await Promise.all([createUser('admin'), createUser('seller'), createUser('customer')]);
}, HOOK_TIMEOUT);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface Read {
  status: number;
  trips: number;
  body: string;
  cacheControl: string | null;
}

async function read(client: ReturnType<typeof isolatedClient>, path: string, token?: string): Promise<Read> {
  const res = await client('GET', path, { token });
  return { status: res.status, trips: roundTrips(res), body: await res.text(), cacheControl: res.headers.get('cache-control') };
}

async function newProduct(name: string, price = 1999): Promise<ProductBody> {
  const category = await createCategory(admin);
  const sku = `EC-${crypto.randomUUID().slice(0, 12)}`;
  return createProduct(seller, productInput(category.id, { name, variants: [{ sku, price, currency: 'USD' }] }));
}

async function rename(client: ReturnType<typeof isolatedClient>, p: ProductBody, name: string, price?: number): Promise<void> {
  const variants = p.variants.map((v) => ({ sku: v.sku, price: price ?? v.price, currency: v.currency }));
  const res = await client('PUT', `/products/${p.id}`, { token: seller.accessToken, body: productInput(p.categoryId, { name, variants }) });
  expect(res.status, await res.text()).toBe(200);
}

describe('anonymous reads lag a write by at most CATALOG_FRESH_SECONDS + CATALOG_STALE_SECONDS', () => {
  it('serves the old body from the colo within the bound, the new one after it', async () => {
    const freshSeconds = 5;
    const client = isolatedClient('ec-bound', { CATALOG_FRESH_SECONDS: String(freshSeconds), CATALOG_STALE_SECONDS: '0' });
    const p = await newProduct('Before');
    const paths = [`/products/${p.id}`, `/products?category=${p.categoryId}`];
    for (const path of paths) expect((await read(client, path)).body).toContain('"Before"');
    // The entries were read no later than now: they may be served until now + the bound, never after.
    const heldUntil = Date.now() + freshSeconds * 1000;

    await rename(client, p, 'After');
    for (const path of paths) {
      const stale = await read(client, path);
      expect(stale.status).toBe(200);
      expect(stale.body, `${path} within the bound`).toContain('"Before"');
      expect(stale.trips).toBe(0);
      // Browsers and CDNs get the same bound.
      expect(stale.cacheControl).toBe(`public, max-age=${freshSeconds}, stale-while-revalidate=0`);
    }

    await sleep(heldUntil + 100 - Date.now());
    for (const path of paths) expect((await read(client, path)).body, `${path} after the bound`).toContain('"After"');
  });

  it('serves a stale body while one refresh runs, then the refreshed one', async () => {
    const client = isolatedClient('ec-swr', { CATALOG_FRESH_SECONDS: '1', CATALOG_STALE_SECONDS: '120' });
    const p = await newProduct('Old');
    const path = `/products/${p.id}`;
    expect((await read(client, path)).body).toContain('"Old"');
    await rename(client, p, 'New');
    await sleep(1100);
    // Stale: still served (the refresh runs after the response, through waitUntil), then replaced.
    expect((await read(client, path)).body).toContain('"Old"');
    const refreshed = await read(client, path);
    expect(refreshed.body).toContain('"New"');
    expect(refreshed.trips).toBe(0);
  });
});

describe('a catalog writer reads its own write at once', () => {
  it('the seller and an admin see the change while anonymous readers are still served the colo copy', async () => {
    const client = isolatedClient('ec-writer', { CATALOG_FRESH_SECONDS: '300', CATALOG_STALE_SECONDS: '0' });
    const p = await newProduct('Draft name');
    const detail = `/products/${p.id}`;
    const listing = `/products?category=${p.categoryId}`;
    for (const path of [detail, listing]) expect((await read(client, path)).body).toContain('"Draft name"');

    await rename(client, p, 'Final name');
    for (const token of [seller.accessToken, admin.accessToken]) {
      for (const path of [detail, listing]) {
        const own = await read(client, path, token);
        expect(own.status).toBe(200);
        expect(own.body, path).toContain('"Final name"');
      }
    }
    // The colo tier was live all along: anonymous readers (and customers) are still within the bound.
    expect((await read(client, detail)).body).toContain('"Draft name"');
    expect((await read(client, detail, customer.accessToken)).body).toContain('"Draft name"');
  });

  it('an admin reads a category change at once; anonymous readers within the bound', async () => {
    const client = isolatedClient('ec-cats', { CATALOG_FRESH_SECONDS: '300', CATALOG_STALE_SECONDS: '0' });
    expect((await read(client, '/categories')).status).toBe(200);
    const slug = `ec-${crypto.randomUUID().slice(0, 8)}`;
    const res = await client('POST', '/categories', { token: admin.accessToken, body: { slug, name: 'Edge' } });
    expect(res.status, await res.text()).toBe(201);
    expect((await read(client, '/categories', admin.accessToken)).body).toContain(slug);
    expect((await read(client, '/categories')).body).not.toContain(slug);
  });
});

describe('a stale page never sells at a stale price', () => {
  it('add-to-cart prices the SKU at its new price while the anonymous page still shows the old one', async () => {
    const client = isolatedClient('ec-price', { CATALOG_FRESH_SECONDS: '300', CATALOG_STALE_SECONDS: '0' });
    const p = await newProduct('Priced', 1999);
    const sku = p.variants[0]!.sku;
    await setStock(seller, sku, 10);
    expect((await read(client, `/products/${p.id}`)).body).toContain('1999');

    await rename(client, p, 'Priced', 4321);
    const page = await read(client, `/products/${p.id}`);
    expect(page.body).toContain('1999');
    expect(page.body).not.toContain('4321');

    const res = await client('POST', '/cart/items', { token: customer.accessToken, body: { sku, quantity: 1 } });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const line = (JSON.parse(text) as { lines: Array<{ sku: string; unitPrice: number }> }).lines.find((l) => l.sku === sku);
    expect(line?.unitPrice).toBe(4321);
  });
});

describe('a warm anonymous read never leaves the colo', () => {
  it('answers product detail, listing, categories and recommendations with Redis and Postgres unreachable', async () => {
    const prefix = isolatedPrefix('ec-warm');
    const settings = { CATALOG_FRESH_SECONDS: '300', CATALOG_STALE_SECONDS: '0', REDIS_KEY_PREFIX: prefix };
    const client = isolatedClient('ec-warm', settings);
    const p = await newProduct('Warm');
    const paths = [
      `/products/${p.id}`,
      `/products?category=${p.categoryId}`,
      '/categories',
      `/recommendations?productId=${p.id}`,
      '/recommendations',
    ];
    const warm = new Map<string, string>();
    for (const path of paths) {
      const first = await read(client, path);
      expect(first.status, `${path}: ${first.body}`).toBe(200);
      warm.set(path, first.body);
    }
    // The same deployment (same key prefix) with Redis and Postgres unreachable: only the isolate's memory (and,
    // for the API-wide limit, the rate limiting binding) can answer.
    const offline = isolatedClient('ec-warm', {
      ...settings,
      UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}`,
      DATABASE_URL: `postgres://nobody@127.0.0.1:${DEAD_PORT}/none`,
    });
    for (const path of paths) {
      const res = await offline('GET', path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(warm.get(path));
    }
  });
});
