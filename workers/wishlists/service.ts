import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps, Principal } from '../../shared/context';
import { inventoryLevels, products, productVariants, wishlistItems } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate } from '../../shared/pagination';
import { type AddWishlistItemInput, WISHLIST_LIMIT, type WishlistItem, type WishlistQuery } from './schemas';

const IdCursor = z.object({ id: z.uuid() });

/** An item with its variant and product as they are now, and the stock the read table holds (made live by `withLiveStock`). */
const itemColumns = {
  id: wishlistItems.id,
  sku: wishlistItems.sku,
  notify: wishlistItems.notify,
  createdAt: wishlistItems.createdAt,
  itemCurrency: wishlistItems.currency,
  productId: products.id,
  productName: products.name,
  productSlug: products.slug,
  status: products.status,
  deletedAt: products.deletedAt,
  options: productVariants.options,
  price: productVariants.price,
  compareAtPrice: productVariants.compareAtPrice,
  currency: productVariants.currency,
  available: sql<number>`coalesce(${inventoryLevels.available}, 0)`.mapWith(Number),
};

function itemsOf(deps: Deps) {
  return deps.db
    .select(itemColumns)
    .from(wishlistItems)
    .leftJoin(productVariants, eq(productVariants.sku, wishlistItems.sku))
    .leftJoin(products, eq(products.id, productVariants.productId))
    .leftJoin(inventoryLevels, eq(inventoryLevels.sku, wishlistItems.sku));
}
type Row = Awaited<ReturnType<ReturnType<typeof itemsOf>['where']>>[number];

function toItem(row: Row): WishlistItem {
  const purchasable = row.productId !== null && row.status === 'published' && row.deletedAt === null;
  const available = purchasable ? row.available : 0;
  return {
    id: row.id,
    sku: row.sku,
    productId: purchasable ? row.productId : null,
    productName: purchasable ? row.productName : null,
    productSlug: purchasable ? row.productSlug : null,
    options: purchasable ? (row.options ?? {}) : {},
    price: purchasable ? row.price : null,
    compareAtPrice: purchasable ? row.compareAtPrice : null,
    currency: (purchasable ? row.currency : null) ?? row.itemCurrency,
    purchasable,
    available,
    inStock: available > 0,
    notify: row.notify,
    addedAt: row.createdAt.toISOString(),
  };
}

/**
 * Stock live from each SKU's InventoryDO (the authority), like the cart's; a
 * SKU whose object cannot answer keeps the read table's figure.
 */
async function withLiveStock(deps: Deps, rows: Row[]): Promise<Row[]> {
  const levels = await Promise.allSettled(rows.map((r) => (r.productId ? inventoryFor(deps.env, r.sku).level() : Promise.reject(new Error('no variant')))));
  return rows.map((row, i) => {
    const level = levels[i];
    return level?.status === 'fulfilled' ? { ...row, available: level.value.available } : row;
  });
}

/** The caller's wishlist, newest first, each item with its current price and live stock. */
export async function listWishlist(deps: Deps, auth: Principal, query: WishlistQuery) {
  const after = decodeCursor(query.cursor, IdCursor);
  const rows = await itemsOf(deps)
    .where(and(eq(wishlistItems.userId, auth.userId), after ? lt(wishlistItems.id, after.id) : undefined))
    .orderBy(desc(wishlistItems.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: (await withLiveStock(deps, page.data)).map(toItem), nextCursor: page.nextCursor };
}

async function itemOf(deps: Deps, auth: Principal, sku: string): Promise<WishlistItem> {
  const [row] = await withLiveStock(deps, await itemsOf(deps).where(and(eq(wishlistItems.userId, auth.userId), eq(wishlistItems.sku, sku))));
  if (!row) throw new NotFound('wishlist item', sku);
  return toItem(row);
}

/**
 * Adds a variant (idempotent: adding it again answers the same item, with
 * `notify` changed when given). Only a published product's variant can be
 * wished. The item remembers the price and stock state it was added at: the
 * baseline its notifications are measured against (docs/wishlists.md).
 * The limit is checked in the insert itself; two adds racing at 499 may
 * both land (the limit guards size, not money).
 */
export async function addToWishlist(deps: Deps, auth: Principal, input: AddWishlistItemInput): Promise<{ item: WishlistItem; created: boolean }> {
  const result = await deps.db.execute<{ created: boolean; variant: boolean; full: boolean }>(sql`
    with v as (
      select ${productVariants.sku} as sku, ${productVariants.price} as price, ${productVariants.currency} as currency,
             coalesce((select ${inventoryLevels.available} from ${inventoryLevels} where ${inventoryLevels.sku} = ${input.sku}), 0) > 0 as in_stock
      from ${productVariants} join ${products} on ${products.id} = ${productVariants.productId}
      where ${productVariants.sku} = ${input.sku} and ${products.status} = 'published' and ${products.deletedAt} is null
    ), n as (select count(*) as items from ${wishlistItems} where ${wishlistItems.userId} = ${auth.userId}),
    ins as (
      insert into ${wishlistItems} (id, user_id, sku, notify, price_floor, currency, last_in_stock)
      select ${newId()}, ${auth.userId}, v.sku, ${input.notify ?? true}, v.price, v.currency, v.in_stock from v, n
      where n.items < ${WISHLIST_LIMIT} or exists (select 1 from ${wishlistItems} where ${wishlistItems.userId} = ${auth.userId} and ${wishlistItems.sku} = ${input.sku})
      on conflict (user_id, sku) do update set notify = coalesce(${input.notify ?? null}::boolean, ${wishlistItems.notify}),
        updated_at = case when ${input.notify ?? null}::boolean is distinct from ${wishlistItems.notify} and ${input.notify ?? null}::boolean is not null then now() else ${wishlistItems.updatedAt} end
      returning (xmax = 0) as created
    )
    select coalesce((select created from ins), false) as created, exists (select 1 from v) as variant, (select items from n) >= ${WISHLIST_LIMIT} as full`);
  const [outcome] = result.rows;
  if (!outcome?.variant) throw new NotFound('sku', input.sku);
  const item = await itemOf(deps, auth, input.sku).catch((err: unknown) => {
    if (err instanceof NotFound && outcome.full) throw new Conflict(`Your wishlist holds ${WISHLIST_LIMIT} items, the most it can; remove one first.`, { limit: WISHLIST_LIMIT });
    throw err;
  });
  return { item, created: outcome.created };
}

/**
 * Turns an item's notifications on or off. Turning them on starts from the
 * item's current price and stock, so only a change from now on is told.
 */
export async function setWishlistNotify(deps: Deps, auth: Principal, sku: string, notify: boolean): Promise<WishlistItem> {
  await deps.db.execute(sql`
    update ${wishlistItems} w set notify = ${notify}, updated_at = now(),
      price_floor = case when ${notify} and not w.notify then coalesce(v.price, w.price_floor) else w.price_floor end,
      currency = case when ${notify} and not w.notify then coalesce(v.currency, w.currency) else w.currency end,
      last_in_stock = case when ${notify} and not w.notify then coalesce(il.available, 0) > 0 else w.last_in_stock end
    from ${wishlistItems} w0
      left join ${productVariants} v on v.sku = w0.sku
      left join ${inventoryLevels} il on il.sku = w0.sku
    where w0.id = w.id and w.user_id = ${auth.userId} and w.sku = ${sku}`);
  return itemOf(deps, auth, sku);
}

/** Removes a variant from the caller's wishlist; removing one that is not there is a 404. */
export async function removeFromWishlist(deps: Deps, auth: Principal, sku: string): Promise<void> {
  const removed = await deps.db
    .delete(wishlistItems)
    .where(and(eq(wishlistItems.userId, auth.userId), eq(wishlistItems.sku, sku)))
    .returning({ id: wishlistItems.id });
  if (!removed.length) throw new NotFound('wishlist item', sku);
}
