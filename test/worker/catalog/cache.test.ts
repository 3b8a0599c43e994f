import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { products } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { type Client, createCategory, createProduct, isolatedClient, productInput, type ProductBody, roundTrips, HOOK_TIMEOUT } from '../../support/catalog';
import { createUser, type TestUser, withDb } from '../../support/users';

// Each test reads through a client with its own Redis prefix (own cache
// versions), so a hit is provable (0 database round trips) and only this
// test's writes — sent through the same client — invalidate its entries.

let admin: TestUser, seller: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
}, HOOK_TIMEOUT);

interface Read {
  status: number;
  etag: string;
  trips: number;
  body: string;
}

async function read(client: Client, path: string, headers: Record<string, string> = {}, token?: string): Promise<Read> {
  const res = await client('GET', path, { headers, token });
  return { status: res.status, etag: res.headers.get('etag') ?? '', trips: roundTrips(res), body: await res.text() };
}

/** Reads twice: the second must be a cache hit, so a later write has something to invalidate. */
async function warm(client: Client, path: string): Promise<Read> {
  const first = await read(client, path);
  expect(first.status, first.body).toBe(200);
  const second = await read(client, path);
  expect(second.trips, `${path} should be cached`).toBe(0);
  expect(second.body).toBe(first.body);
  return first;
}

const names = (body: string) => (JSON.parse(body) as { data: ProductBody[] }).data.map((p) => p.name);
const ids = (body: string) => (JSON.parse(body) as { data: ProductBody[] }).data.map((p) => p.id);

describe('writes invalidate cached reads: the next GET is never stale', () => {
  it('PUT (name and price) → detail by id and slug and the listing change, with new ETags', async () => {
    const client = isolatedClient('cache-put');
    const category = await createCategory(admin);
    const p = await createProduct(seller, productInput(category.id, { name: 'Before' }));
    const paths = [`/products/${p.id}`, `/products/${p.slug}`, `/products?category=${category.id}`];
    const before = await Promise.all(paths.map((path) => warm(client, path)));

    const sku = p.variants[0]?.sku;
    const body = productInput(category.id, { name: 'After', variants: [{ sku, price: 4321, currency: 'USD' }] });
    expect((await client('PUT', `/products/${p.id}`, { token: seller.accessToken, body })).status).toBe(200);

    for (const [i, path] of paths.entries()) {
      const now = await read(client, path);
      expect(now.status).toBe(200);
      expect(now.body).toContain('"After"');
      expect(now.body).toContain('4321');
      expect(now.body).not.toContain('"Before"');
      expect(now.etag).not.toBe(before[i]?.etag);
      // The client's copy is outdated: the full new body, not 304.
      const revalidated = await read(client, path, { 'if-none-match': before[i]?.etag ?? '' });
      expect(revalidated.status).toBe(200);
      expect(revalidated.body).toBe(now.body);
      const current = await read(client, path, { 'if-none-match': now.etag });
      expect(current.status).toBe(304);
      expect(current.body).toBe('');
      expect(current.etag).toBe(now.etag);
    }
  });

  it('DELETE → detail 404 by id and slug, gone from the listing', async () => {
    const client = isolatedClient('cache-del');
    const category = await createCategory(admin);
    const keep = await createProduct(seller, productInput(category.id));
    const p = await createProduct(seller, productInput(category.id));
    for (const path of [`/products/${p.id}`, `/products/${p.slug}`, `/products?category=${category.id}`]) await warm(client, path);

    expect((await client('DELETE', `/products/${p.id}`, { token: seller.accessToken })).status).toBe(204);
    await expectProblem(await client('GET', `/products/${p.id}`), 404, 'NOT_FOUND');
    await expectProblem(await client('GET', `/products/${p.slug}`), 404, 'NOT_FOUND');
    expect(ids((await read(client, `/products?category=${category.id}`)).body)).toEqual([keep.id]);
  });

  it('POST → a new product appears in the cached listing; a 404 is not cached', async () => {
    const client = isolatedClient('cache-post');
    const category = await createCategory(admin);
    const old = await createProduct(seller, productInput(category.id));
    const listing = `/products?category=${category.id}`;
    await warm(client, listing);
    const slug = `cache-post-${crypto.randomUUID().slice(0, 8)}`;
    await expectProblem(await client('GET', `/products/${slug}`), 404, 'NOT_FOUND');

    const created = await client('POST', '/products', { token: seller.accessToken, body: productInput(category.id, { slug }) });
    expect(created.status).toBe(201);
    const p = await created.json<ProductBody>();
    expect(ids((await read(client, listing)).body)).toEqual([p.id, old.id]);
    expect((await read(client, `/products/${slug}`)).status).toBe(200);
  });

  it('a product moved to another category leaves the old listing and joins the new one', async () => {
    const client = isolatedClient('cache-move');
    const [from, to] = [await createCategory(admin), await createCategory(admin)];
    const p = await createProduct(seller, productInput(from.id));
    await warm(client, `/products?category=${from.id}`);
    await warm(client, `/products?category=${to.id}`);

    const body = productInput(to.id, { variants: [{ sku: p.variants[0]?.sku, price: 1999, currency: 'USD' }] });
    expect((await client('PUT', `/products/${p.id}`, { token: seller.accessToken, body })).status).toBe(200);
    expect(ids((await read(client, `/products?category=${from.id}`)).body)).toEqual([]);
    expect(ids((await read(client, `/products?category=${to.id}`)).body)).toEqual([p.id]);
  });

  it('a category write (moving a sub-category) changes cached subtree listings', async () => {
    const client = isolatedClient('cache-cat');
    const [rootA, rootB] = [await createCategory(admin), await createCategory(admin)];
    const sub = await createCategory(admin, { parentId: rootA.id });
    const p = await createProduct(seller, productInput(sub.id));
    expect(ids((await warm(client, `/products?category=${rootA.id}`)).body)).toEqual([p.id]);
    expect(ids((await warm(client, `/products?category=${rootB.id}`)).body)).toEqual([]);

    const move = await client('PUT', `/categories/${sub.id}`, { token: admin.accessToken, body: { slug: sub.slug, name: 'Moved', parentId: rootB.id } });
    expect(move.status).toBe(200);
    expect(ids((await read(client, `/products?category=${rootA.id}`)).body)).toEqual([]);
    expect(ids((await read(client, `/products?category=${rootB.id}`)).body)).toEqual([p.id]);
  });
});

describe('Cache-Control: no-cache from the client', () => {
  it('from a catalog writer, skips the server cache and refreshes it', async () => {
    const client = isolatedClient('cache-fresh');
    const category = await createCategory(admin);
    const p = await createProduct(seller, productInput(category.id, { name: 'Cached name' }));
    // status=published: the public listing, which a seller reads like everyone else.
    const paths = [`/products/${p.id}`, `/products?category=${category.id}&status=published`];
    for (const path of paths) await warm(client, path);

    // A change the API did not make (so nothing invalidated): plain reads still come from the cache…
    await withDb((db) => db.update(products).set({ name: 'Changed behind the cache' }).where(eq(products.id, p.id)));
    for (const path of paths) expect((await read(client, path)).body).toContain('Cached name');

    for (const path of paths) {
      // …but the seller can ask for fresh data (anyone else's no-cache is served from the cache: cache-abuse.test.ts),
      const fresh = await read(client, path, { 'cache-control': 'no-cache' }, seller.accessToken);
      expect(fresh.trips).toBe(1);
      expect(fresh.body).toContain('Changed behind the cache');
      // which is stored for the next reader.
      const next = await read(client, path);
      expect(next.trips).toBe(0);
      expect(next.body).toBe(fresh.body);
    }
    expect(names((await read(client, `/products?category=${category.id}&status=published`, { pragma: 'no-cache' }, admin.accessToken)).body)).toEqual([
      'Changed behind the cache',
    ]);
  });
});

describe('response caching headers', () => {
  it('public reads are public and vary by Authorization; owner views of drafts are private', async () => {
    const client = isolatedClient('cache-headers');
    const category = await createCategory(admin);
    const published = await createProduct(seller, productInput(category.id, { status: 'published' }));
    const draft = await createProduct(seller, productInput(category.id, { status: 'draft' }));
    const customer = await createUser('customer');

    const check = async (path: string, token: string | undefined, expected: RegExp) => {
      const res = await client('GET', path, { token });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(expected);
      expect(res.headers.get('vary') ?? '', path).toMatch(/authorization/i);
      expect(res.headers.get('etag'), path).toMatch(/^"[0-9a-f]+"$/);
      return res.headers.get('etag');
    };
    const PUBLIC = /^public, max-age=\d+/;
    const PRIVATE = /^private, no-store$/;
    const anonEtag = await check(`/products/${published.id}`, undefined, PUBLIC);
    expect(await check(`/products/${published.id}`, customer.accessToken, PUBLIC)).toBe(anonEtag);
    await check(`/products/${published.slug}`, seller.accessToken, PUBLIC);
    await check(`/products?category=${category.id}`, undefined, PUBLIC);
    await check(`/products?category=${category.id}&status=published`, seller.accessToken, PUBLIC);
    await check(`/products/${draft.id}`, seller.accessToken, PRIVATE);
    await check(`/products/${draft.slug}`, admin.accessToken, PRIVATE);
    await check(`/products?category=${category.id}&status=draft`, seller.accessToken, PRIVATE);
    await check(`/products?category=${category.id}`, seller.accessToken, PRIVATE);

    const etag = await check(`/products/${draft.id}`, seller.accessToken, PRIVATE);
    const notModified = await client('GET', `/products/${draft.id}`, { token: seller.accessToken, headers: { 'if-none-match': etag ?? '' } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('cache-control')).toBe('private, no-store');
  });
});
