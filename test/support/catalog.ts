import { eq, inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { inventoryLevels, products, productVariants } from '../../shared/db/schema';
import { call, expectProblem, isolatedPrefix } from './app';
import { API, api, type TestUser, withDb } from './users';

export interface ProductBody {
  id: string;
  slug: string;
  name: string;
  status: string;
  sellerId: string;
  categoryId: string;
  attributes: Record<string, unknown>;
  variants: Array<{ id: string; sku: string; price: number; currency: string }>;
  createdAt: string;
  updatedAt: string;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}${crypto.randomUUID().slice(0, 4)}`;

export async function createCategory(admin: TestUser, overrides: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
  const res = await api('POST', '/categories', { token: admin.accessToken, body: { slug: `cat-${unique()}`, name: 'Category', ...overrides } });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text);
}

/** A valid product body; override any field. SKUs are unique per call. */
export function productInput(categoryId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tag = unique().toUpperCase();
  return {
    name: `Product ${tag}`,
    categoryId,
    status: 'published',
    description: 'A fine thing.',
    attributes: { brand: 'Acme' },
    variants: [{ sku: `SKU-${tag}-A`, price: 1999, currency: 'USD', options: { size: 'M' } }],
    ...overrides,
  };
}

export async function createProduct(seller: TestUser, body: Record<string, unknown>): Promise<ProductBody> {
  const res = await api('POST', '/products', { token: seller.accessToken, body });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text);
}

// ---------------------------------------------------------------------------
// Helpers for the catalog suites (test/worker/catalog).

export interface ProductPage {
  data: ProductBody[];
  nextCursor: string | null;
}

/** GET /products?query as anonymous or with a token; fails unless 200. */
export async function listProducts(query: string, token?: string): Promise<ProductPage> {
  const res = await api('GET', `/products?${query}`, { token });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as ProductPage;
}

/** The ids of one listing page. */
export const listIds = async (query: string, token?: string) => (await listProducts(query, token)).data.map((p) => p.id);

/** PUT /products/:id as `user`; fails unless 200. */
export async function updateProduct(user: TestUser, id: string, body: Record<string, unknown>): Promise<ProductBody> {
  const res = await api('PUT', `/products/${id}`, { token: user.accessToken, body });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text);
}

/** The `errors[].path` of a 400 VALIDATION_FAILED answer. */
export async function validationPaths(res: Response): Promise<string[]> {
  const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
  return (problem.errors ?? []).map((e) => e.path);
}

/** Sets (or replaces) the inventory read row of a SKU. */
export async function setStock(sku: string, onHand: number, reserved = 0): Promise<void> {
  const row = { sku, onHand, reserved, available: onHand - reserved };
  await withDb((db) => db.insert(inventoryLevels).values(row).onConflictDoUpdate({ target: inventoryLevels.sku, set: row }));
}

/** Sets a product's popularity (units sold) directly: orders maintain it in production. */
export async function setPopularity(id: string, popularity: number): Promise<void> {
  await withDb((db) => db.update(products).set({ popularity }).where(eq(products.id, id)));
}

/** The product row and its variants as stored (null when absent). */
export async function storedProduct(id: string) {
  return withDb(async (db) => {
    const [row] = await db.select().from(products).where(eq(products.id, id));
    if (!row) return null;
    const variants = await db.select().from(productVariants).where(eq(productVariants.productId, id)).orderBy(productVariants.position);
    return { ...row, variants };
  });
}

/** How many products carry this name and how many variants these SKUs (what a rejected write must not leave). */
export async function countWritten(name: string, skus: string[]): Promise<{ products: number; variants: number }> {
  return withDb(async (db) => {
    const byName = await db.select({ id: products.id }).from(products).where(eq(products.name, name));
    const bySku = skus.length ? await db.select({ id: productVariants.id }).from(productVariants).where(inArray(productVariants.sku, skus)) : [];
    return { products: byName.length, variants: bySku.length };
  });
}

/**
 * Calls the real app with a Redis key prefix of its own — its own cache
 * versions, so writes by suites running in parallel never invalidate its
 * entries — and with `X-Db-Round-Trips` exposed. Writes must go through the
 * same client to invalidate its cache.
 */
export function isolatedClient(label: string, extraEnv: Record<string, string> = {}) {
  const env = { REDIS_KEY_PREFIX: isolatedPrefix(label), EXPOSE_DB_METRICS: 'true', ...extraEnv };
  return (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return call(new Request(`${API}${path}`, { method, headers, body }), { env });
  };
}

export type Client = ReturnType<typeof isolatedClient>;

/** The database round trips a response reports (needs EXPOSE_DB_METRICS). */
export function roundTrips(res: Response): number {
  const header = res.headers.get('x-db-round-trips');
  if (header === null) throw new Error('no X-Db-Round-Trips header: is EXPOSE_DB_METRICS set?');
  return Number(header);
}

/** For beforeAll hooks that register users (password hashing) and create products: slow on a busy embedded Postgres. */
export const HOOK_TIMEOUT = 60_000;
