import { inventoryFor } from '../../durable-objects/inventory-client';
import { readThrough } from '../../shared/cache';
import type { Deps } from '../../shared/context';
import { type CatalogEntry, catalogEntries } from './pricing';

/**
 * The cart's catalog: each SKU's product facts (price, currency, status,
 * seller, limits, fiscal codes) from the read cache, one entry per SKU in the
 * `catalog` scope, so every catalog write (which bumps that scope) makes them
 * outdated at once; and its stock live from the SKU's InventoryDO, the
 * authority, rather than from the cached copy. With every entry cached a cart
 * change or view makes no Postgres round trip; checkout reads the catalog
 * from Postgres again and reserves, so a cart can never buy at a price that
 * is no longer current (docs/cart-and-inventory.md).
 */
export async function cartCatalog(deps: Deps, skus: string[], known = new Map<string, CatalogEntry>()): Promise<Map<string, CatalogEntry>> {
  const unique = [...new Set(skus)];
  if (!unique.length) return new Map();
  const [cached, levels] = await Promise.all([
    cachedCatalogFacts(deps, unique.filter((sku) => !known.has(sku))),
    Promise.allSettled(unique.map((sku) => inventoryFor(deps.env, sku).level())),
  ]);
  const facts = new Map(
    unique.flatMap((sku): Array<[string, CatalogEntry]> => {
      const entry = known.get(sku) ?? cached.get(sku);
      return entry ? [[sku, { ...entry }]] : [];
    }),
  );
  levels.forEach((level, i) => {
    const entry = facts.get(unique[i] ?? '');
    // An object that cannot answer leaves the cached stock figure: the cart shows it, checkout reserves for real.
    if (entry && level.status === 'fulfilled') entry.available = level.value.available;
  });
  return facts;
}

const cacheKey = (sku: string) => `cart-sku:${sku}`;

/**
 * Catalog entries by SKU through `readThrough`, one per SKU (their stock as
 * cached: `cartCatalog` makes it live); the SKUs it misses are read together
 * in one statement once every SKU has either hit or missed, so a cold cart of
 * ten lines still costs one round trip, not ten.
 */
export async function cachedCatalogFacts(deps: Deps, skus: string[]): Promise<Map<string, CatalogEntry>> {
  if (!skus.length) return new Map();
  type Waiter = { resolve: (entry: CatalogEntry | null) => void; reject: (err: unknown) => void };
  const waiting = new Map<string, Waiter>();
  const settled = new Set<string>();

  const loadWaiting = () => {
    const batch = new Map(waiting);
    waiting.clear();
    catalogEntries(deps, [...batch.keys()]).then(
      (found) => batch.forEach((w, sku) => w.resolve(found.get(sku) ?? null)),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  };
  /** A SKU has hit, missed (is waiting) or failed: when all have, the misses are read. */
  const settle = (sku: string) => {
    if (settled.has(sku)) return;
    settled.add(sku);
    if (settled.size === skus.length && waiting.size) loadWaiting();
  };
  const loader = (sku: string) => (): Promise<CatalogEntry | null> => {
    // A load after this SKU settled (a cache refreshing in the background) is read on its own.
    if (settled.has(sku)) return catalogEntries(deps, [sku]).then((found) => found.get(sku) ?? null);
    const entry = new Promise<CatalogEntry | null>((resolve, reject) => waiting.set(sku, { resolve, reject }));
    settle(sku);
    return entry;
  };

  const bodies = await Promise.all(
    skus.map((sku) => readThrough(deps, 'catalog', cacheKey(sku), loader(sku)).finally(() => settle(sku))),
  );
  const entries = new Map<string, CatalogEntry>();
  bodies.forEach((cached, i) => {
    if (cached) entries.set(skus[i] ?? '', JSON.parse(cached.body) as CatalogEntry);
  });
  return entries;
}
