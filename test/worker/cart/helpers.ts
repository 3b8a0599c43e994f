import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { CartDO } from '../../../durable-objects/cart';
import { type CartKey, cartFor } from '../../../durable-objects/cart-client';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { inventoryLevels } from '../../../shared/db/schema';
import { call, testEnv } from '../../support/app';
import { createCategory, createProduct, productInput, type ProductBody } from '../../support/catalog';
import { API, api, createUser, type TestUser, withDb } from '../../support/users';

export const CART_ID = /^[A-Za-z0-9_-]{43}$/;
export const LINE_ID = /^ln_[0-9a-f]{24}$/;
/** Well-formed but never issued. */
export const UNKNOWN_LINE_ID = 'ln_000000000000000000000000';

export interface CartProblem {
  lineId: string;
  sku: string;
  code: 'unavailable' | 'price_changed' | 'insufficient_stock' | 'hold_expired' | 'currency_mismatch';
  message: string;
  previousPrice?: number;
  price?: number;
  available?: number;
}

export interface CartLineView {
  id: string;
  sku: string;
  productId: string | null;
  name: string | null;
  quantity: number;
  unitPrice: number | null;
  lineTotal: number;
  currency: string;
  available: number;
  inStock: boolean;
  holdExpiresAt: string | null;
}

export interface CartBody {
  id: string;
  lines: CartLineView[];
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  currency: string;
  itemCount: number;
  problems: CartProblem[];
}

export interface RequestOptions {
  token?: string;
  cartId?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Client = (method: string, path: string, options?: RequestOptions) => Promise<Response>;

/**
 * A way to call the API. Without env: the deployed Worker (SELF). With env:
 * the real app with those settings (e.g. `{ CART_HOLD_MINUTES: '1' }`); the
 * Durable Objects and databases are the same either way.
 */
export function client(env?: Record<string, string>): Client {
  return (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cartId !== undefined) headers['x-cart-id'] = options.cartId;
    if (!env) return api(method, path, { token: options.token, body: options.body, headers });
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return call(new Request(`${API}${path}`, { method, headers, body }), { env });
  };
}

export const self = client();

/** Reads a cart answer, failing with the body unless the status is the expected one. */
export async function cartOf(res: Response, status = 200): Promise<CartBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as CartBody;
}

export const lineOf = (cart: CartBody, sku: string) => cart.lines.find((l) => l.sku === sku);
export const quantities = (cart: CartBody) => Object.fromEntries(cart.lines.map((l) => [l.sku, l.quantity]));

/** A new anonymous cart with the given lines added in order; its id and last answer. */
export async function anonCart(items: Array<[sku: string, quantity: number]>, http: Client = self): Promise<{ cartId: string; cart: CartBody }> {
  let cartId: string | undefined;
  let cart: CartBody | undefined;
  for (const [sku, quantity] of items) {
    const res = await http('POST', '/cart/items', { cartId, body: { sku, quantity } });
    cartId ??= res.headers.get('x-cart-id') ?? undefined;
    cart = await cartOf(res, 201);
  }
  if (!cartId || !cart) throw new Error('anonCart needs at least one item');
  return { cartId, cart };
}

export interface Shop {
  admin: TestUser;
  seller: TestUser;
  categoryId: string;
}

export async function createShop(): Promise<Shop> {
  const admin = await createUser('admin');
  const seller = await createUser('seller');
  const { id } = await createCategory(admin);
  return { admin, seller, categoryId: id };
}

export const newSku = (label = 'CART') => `${label}-${crypto.randomUUID()}`;

export interface TestProduct {
  id: string;
  sku: string;
  price: number;
  /** The body it was created with (PUT it back changed). */
  input: Record<string, unknown>;
  body: ProductBody;
}

/** A product with one variant at `price` (minor units). */
export async function product(
  shop: Shop,
  price: number,
  options: { status?: string; currency?: string; sku?: string } = {},
): Promise<TestProduct> {
  const sku = options.sku ?? newSku();
  const input = productInput(shop.categoryId, {
    status: options.status ?? 'published',
    variants: [{ sku, price, currency: options.currency ?? 'USD' }],
  });
  const body = await createProduct(shop.seller, input);
  return { id: body.id, sku, price, input, body };
}

/**
 * Several products, one after another: concurrent creation on the embedded
 * stack sometimes answers 404 from POST /products (see the report).
 */
export async function products<const P extends readonly number[]>(shop: Shop, prices: P): Promise<{ -readonly [K in keyof P]: TestProduct }> {
  const made: TestProduct[] = [];
  for (const price of prices) made.push(await product(shop, price));
  return made as { -readonly [K in keyof P]: TestProduct };
}

/** Replaces the product (as its seller) with its creation body plus `changes`; `price` changes the variant's price. */
export async function updateProduct(shop: Shop, p: TestProduct, changes: { price?: number; status?: string }): Promise<void> {
  const variants = (p.input.variants as Array<Record<string, unknown>>).map((v) => ({ ...v, price: changes.price ?? v.price }));
  const body = { ...p.input, ...(changes.status ? { status: changes.status } : {}), variants };
  const res = await api('PUT', `/products/${p.id}`, { token: shop.seller.accessToken, body });
  expect(res.status, await res.text()).toBe(200);
}

export interface ReadRow {
  onHand: number;
  reserved: number;
  available: number;
}

/** The Postgres read row the cart prices stock from. */
export function readRow(sku: string): Promise<ReadRow | undefined> {
  return withDb(async (db) => {
    const rows = await db
      .select({ onHand: inventoryLevels.onHand, reserved: inventoryLevels.reserved, available: inventoryLevels.available })
      .from(inventoryLevels)
      .where(eq(inventoryLevels.sku, sku));
    return rows[0];
  });
}

/** Runs the SKU's InventoryDO alarm now and waits until the read table shows the object's level. */
export async function mirror(sku: string): Promise<void> {
  const inv = inventoryFor(testEnv, sku);
  await runInDurableObject(inv.stub, async (_i: InventoryDO, state) => {
    if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
  });
  await runDurableObjectAlarm(inv.stub);
  const { onHand, reserved, available } = await inv.level();
  const wanted = JSON.stringify({ onHand, reserved, available });
  // A hand-made poll: expect.poll only works inside a test, and this also runs in beforeAll.
  let seen: unknown;
  for (let i = 0; i < 50; i++) {
    seen = await readRow(sku).catch((err: unknown) => err);
    if (JSON.stringify(seen) === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`inventory_levels for ${sku} is ${seen instanceof Error ? `${seen.message} (${String(seen.cause)})` : JSON.stringify(seen)}, the InventoryDO says ${wanted}`);
}

/** Sets on-hand stock through the API as the seller, then waits for the read table. */
export async function stock(shop: Shop, sku: string, onHand: number): Promise<void> {
  const res = await api('PUT', `/inventory/${sku}`, { token: shop.seller.accessToken, body: { onHand } });
  expect(res.status, await res.text()).toBe(200);
  await mirror(sku);
}

/** The InventoryDO's own view of a SKU (the authority, not the read table). */
export const level = (sku: string) => inventoryFor(testEnv, sku).level();
export const holds = (sku: string) => inventoryFor(testEnv, sku).reservations();

/** The stub of a cart's Durable Object. */
export const cartStub = (key: CartKey) => cartFor(testEnv, key);

/**
 * Moves a hold's expiry into the past inside the InventoryDO, then runs its
 * alarm until the alarm has marked it expired (an alarm already running on
 * its own leaves none to run for a moment, so this retries).
 */
export async function expireHold(sku: string, holdId: string): Promise<void> {
  const inv = inventoryFor(testEnv, sku);
  const past = Date.now() - 1_000;
  const active = await runInDurableObject(inv.stub, (_i: InventoryDO, state) => {
    const n = state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM reservations WHERE id = ? AND status = 'active'`, holdId).one().n;
    state.storage.sql.exec(`UPDATE reservations SET expires_at = ? WHERE id = ? AND status = 'active'`, past, holdId);
    return n;
  });
  expect(active, `no active hold ${holdId}`).toBe(1);
  for (let i = 0; i < 50; i++) {
    const status = await runInDurableObject(inv.stub, async (_i: InventoryDO, state) => {
      const row = state.storage.sql.exec<{ status: string }>('SELECT status FROM reservations WHERE id = ?', holdId).one();
      if (row.status !== 'expired' && (await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
      return row.status;
    });
    if (status === 'expired') return;
    if (!(await runDurableObjectAlarm(inv.stub))) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the alarm never marked ${holdId} expired`);
}

/** Moves the expiry the cart keeps for its lines' holds into the past (what the passing of time does). */
export async function expireCartHolds(key: CartKey): Promise<void> {
  await runInDurableObject(cartStub(key), (_i: CartDO, state) => {
    state.storage.sql.exec('UPDATE lines SET hold_expires_at = ? WHERE hold_expires_at IS NOT NULL', Date.now() - 1_000);
  });
}

/** GET /cart as an anonymous cart or as a user. */
export const viewAnon = async (cartId: string, http: Client = self) => cartOf(await http('GET', '/cart', { cartId }));
export const viewMine = async (user: TestUser, http: Client = self) => cartOf(await http('GET', '/cart', { token: user.accessToken }));
