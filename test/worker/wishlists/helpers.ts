import { and, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { notifications, outboxEvents, users, wishlistItems } from '../../../shared/db/schema';
import type { QueueEvent } from '../../../workers/queue';
import { createCategory, createProduct, productInput, updateProduct } from '../../support/catalog';
import { setStock } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { deliver } from '../notifications/helpers';

export interface WishShop {
  seller: TestUser;
  categoryId: string;
  productId: string;
  sku: string;
}

/** A seller's published product with one variant (USD `price`) and `stock` units. */
export async function wishShop(price: number, stock: number): Promise<WishShop> {
  const admin = await createUser('admin', 'wl-admin');
  const seller = await createUser('seller', 'wl-seller');
  const category = await createCategory(admin);
  const sku = `WL-${crypto.randomUUID().slice(0, 12)}`;
  const product = await createProduct(seller, productInput(category.id, { variants: [{ sku, price, currency: 'USD' }] }));
  await setStock(seller, sku, stock);
  return { seller, categoryId: category.id, productId: product.id, sku };
}

export const setPrice = (shop: WishShop, price: number) =>
  updateProduct(shop.seller, shop.productId, productInput(shop.categoryId, { name: 'Wished lamp', variants: [{ sku: shop.sku, price, currency: 'USD' }] }));

/** Sets the shop's stock and runs the mirror (which writes the stock trigger when the SKU flips). */
export const restock = (shop: WishShop, onHand: number) => setStock(shop.seller, shop.sku, onHand);

export async function wish(user: TestUser, sku: string, notify?: boolean): Promise<Response> {
  return api('POST', '/wishlist/items', { token: user.accessToken, body: notify === undefined ? { sku } : { sku, notify } });
}

export async function setLocale(user: TestUser, locale: string): Promise<void> {
  await withDb((db) => db.update(users).set({ locale }).where(eq(users.id, user.id)));
}

/** The outbox's events of `type` whose payload has `key` = `value`, oldest first. */
export async function outboxOf(type: string, key: string, value: string): Promise<QueueEvent[]> {
  const rows = await withDb((db) =>
    db
      .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, type), sql`${outboxEvents.payload}->>${key} = ${value}`))
      .orderBy(outboxEvents.createdAt, outboxEvents.id),
  );
  return rows as QueueEvent[];
}

/**
 * Runs a trigger through the Worker's queue handler (twice: a redelivered
 * message), then every wishlist event the outbox holds for the SKU (twice
 * too), as the queue would. The real queue may be doing the same meanwhile:
 * exactly-once makes the outcome the same either way.
 */
export async function settle(trigger: QueueEvent, sku: string): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await deliver(trigger)).acked).toBe(true);
  const told = [...(await outboxOf('wishlist.price_dropped', 'sku', sku)), ...(await outboxOf('wishlist.back_in_stock', 'sku', sku))];
  for (const event of [...told, ...told]) expect((await deliver(event)).acked).toBe(true);
}

/** The latest outbox event of `type` about `key` = `value`. */
export async function latest(type: string, key: string, value: string): Promise<QueueEvent> {
  const events = await outboxOf(type, key, value);
  const last = events.at(-1);
  if (!last) throw new Error(`no ${type} event for ${key}=${value}`);
  return last;
}

/** The in-app notifications of `type` a user has. */
export const inbox = (user: TestUser, type: string) =>
  withDb((db) =>
    db
      .select({ title: notifications.title, body: notifications.body, data: notifications.data })
      .from(notifications)
      .where(and(eq(notifications.userId, user.id), eq(notifications.type, type))),
  );

export const itemRow = (user: TestUser, sku: string) =>
  withDb(async (db) => (await db.select().from(wishlistItems).where(and(eq(wishlistItems.userId, user.id), eq(wishlistItems.sku, sku))))[0]);

/** The wishlist's part of the events journey (test/worker/events): a wished SKU drops in price, sells out and comes back. */
export async function wishAndChange(user: TestUser, shop: { seller: TestUser; productIds: string[] }, sku: string): Promise<void> {
  expect((await wish(user, sku)).status).toBe(201);
  const [productId = ''] = shop.productIds;
  const product = await (await api('GET', `/products/${productId}`)).json<{ categoryId: string; variants: Array<{ price: number; currency: string }> }>();
  const [variant] = product.variants;
  const own: WishShop = { seller: shop.seller, categoryId: product.categoryId, productId, sku };
  await updateProduct(shop.seller, productId, productInput(own.categoryId, { variants: [{ sku, price: (variant?.price ?? 2) - 1, currency: variant?.currency ?? 'USD' }] }));
  await settle(await latest('catalog.product_changed', 'productId', productId), sku);
  await setStock(shop.seller, sku, 0);
  await settle(await latest('inventory.stock_changed', 'sku', sku), sku);
  await setStock(shop.seller, sku, 10);
  await settle(await latest('inventory.stock_changed', 'sku', sku), sku);
}
