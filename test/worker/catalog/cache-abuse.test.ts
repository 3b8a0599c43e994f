import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, createCategory, createProduct, isolatedClient, productInput, roundTrips, HOOK_TIMEOUT } from '../../support/catalog';
import { createUser, type TestUser } from '../../support/users';

// Each test reads through a client with its own Redis prefix, so a cache hit is provable: 0 database round trips.

let admin: TestUser, seller: TestUser, customer: TestUser;
let categoryId: string;
beforeAll(async () => {
  [admin, seller, customer] = await Promise.all([createUser('admin'), createUser('seller'), createUser('customer')]);
  categoryId = (await createCategory(admin)).id;
  await createProduct(seller, productInput(categoryId, { status: 'published', attributes: { brand: 'Acme', colour: 'red' } }));
}, HOOK_TIMEOUT);

async function trips(client: Client, path: string, options: { token?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const res = await client('GET', path, options);
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return roundTrips(res);
}

const noCache = { 'cache-control': 'no-cache', pragma: 'no-cache' };

describe('Cache-Control: no-cache skips the read cache only for catalog writers', () => {
  it.each([
    ['a product listing', () => `/products?category=${categoryId}`],
    ['the category tree', () => '/categories'],
  ])('%s: anonymous and customer no-cache are served from the cache; a seller or admin reads the database', async (_label, pathOf) => {
    const client = isolatedClient('nocache');
    const path = pathOf();
    await trips(client, path);
    expect(await trips(client, path)).toBe(0);
    expect(await trips(client, path, { headers: noCache })).toBe(0);
    expect(await trips(client, path, { headers: noCache, token: customer.accessToken })).toBe(0);
    if (path.startsWith('/products')) {
      expect(await trips(client, path, { headers: noCache, token: seller.accessToken })).toBeGreaterThan(0);
      expect(await trips(client, path, { headers: noCache, token: admin.accessToken })).toBeGreaterThan(0);
    }
  });
});

describe('catalog cache keys come from the validated, normalised parameters', () => {
  it('a listing with the same filters in another order, repeated, or with unknown parameters is one entry', async () => {
    const client = isolatedClient('keys');
    await trips(client, `/products?category=${categoryId}&attr=brand:Acme&attr=colour:red`);
    for (const variant of [
      `/products?attr=colour:red&category=${categoryId}&attr=brand:Acme`,
      `/products?category=${categoryId}&attr=brand:Acme&attr=colour:red&attr=brand:Acme`,
      `/products?category=${categoryId}&attr=brand:Acme&attr=colour:red&utm_source=${crypto.randomUUID()}`,
      `/products?category=${categoryId}&attr=brand:Acme&attr=colour:red&limit=20`,
    ]) {
      expect(await trips(client, variant), variant).toBe(0);
    }
  });

  it('a search differing only in case, spacing, unknown parameters or facet order is one entry', async () => {
    const client = isolatedClient('search-keys');
    await trips(client, '/search?q=acme%20widget&facets=brand,price');
    for (const variant of [
      '/search?q=ACME%20Widget&facets=brand,price',
      '/search?q=%20%20acme%20%20%20widget%20&facets=brand,price',
      '/search?q=acme%20widget&facets=price,brand',
      `/search?q=acme%20widget&facets=brand,price&nonce=${crypto.randomUUID()}`,
    ]) {
      expect(await trips(client, variant), variant).toBe(0);
    }
  });
});
