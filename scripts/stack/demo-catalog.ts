/**
 * The demo catalog: a deterministic, realistic product catalog for `npm run dev`
 * (a few hundred products), `npm run db:seed -- --products N` and `npm run bench`
 * (10,000 products).
 *
 * Deterministic: product `i` of seed `s` is generated from its own PRNG
 * (mulberry32 seeded with a hash of `s` and `i`), so it is the same whatever
 * the catalog size — seeding 10,000 products after 200 adds the 9,800 missing
 * ones and leaves the first 200 as they are. Ids are UUIDv7 built from the
 * row's creation time (spread over the year before CATALOG_EPOCH_END) and
 * PRNG bits: id order is creation order, and the same seed gives the same ids.
 *
 * The category tree is the same for every seed; slugs and SKUs carry the
 * seed and the product's index, so catalogs of different seeds can share a
 * database. Products belong to the demo sellers (scripts/stack/seed.ts), each
 * selling whole departments (root categories), who must exist: seed the demo
 * accounts first.
 */
import { and, inArray, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../shared/db/schema';
import { demoCategories, demoDepartments } from './demo-catalog/categories';
import { categoryTexts } from './demo-catalog/locales';
import { checkSeed, DEFAULT_CATALOG_SEED, demoProductGenerator } from './demo-catalog/products';
import { DEMO_SELLERS, demoSellerOf } from './seed';

export { DEMO_CATEGORY_TREE, demoCategories, demoDepartments } from './demo-catalog/categories';
export { DEFAULT_CATALOG_SEED, demoProductGenerator, type DemoProduct, type DemoVariant } from './demo-catalog/products';
export { mulberry32, type Rng, uuidV7At } from './demo-catalog/random';
export { CATALOG_EPOCH_END } from './demo-catalog/timeline';

export const MAX_CATALOG_PRODUCTS = 1_000_000;

/** Words for benchmarks and demos: a word common in product names, and a misspelling of it. */
export const DEMO_SEARCH = { word: 'wireless', typo: 'wirelss' } as const;

const BATCH = 500;

// ---------------------------------------------------------------- seeding

export interface SeedCatalogOptions {
  /** How many products the demo catalog of this seed should have (existing ones are kept). */
  products: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Inserts what is missing of the demo catalog of `seed` with `products`
 * products: the category tree, the products, their variants and an
 * inventory level per SKU. Returns the number of rows of each kind it
 * inserted (0s when everything was there already).
 */
export async function seedDemoCatalog(url: string, options: SeedCatalogOptions): Promise<{ categories: number; products: number; variants: number }> {
  const total = options.products;
  if (!Number.isInteger(total) || total < 0 || total > MAX_CATALOG_PRODUCTS) {
    throw new RangeError(`products must be an integer in 0..${MAX_CATALOG_PRODUCTS} (got ${total})`);
  }
  const seed = options.seed ?? DEFAULT_CATALOG_SEED;
  checkSeed(seed);
  const generate = demoProductGenerator(seed);
  const departments = demoDepartments();
  const sellerEmailOf = (categorySlug: string) => demoSellerOf(departments.get(categorySlug) ?? categorySlug).email;

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    const emails = DEMO_SELLERS.map((s) => s.email);
    const sellers = await db
      .select({ id: schema.users.id, email: schema.users.email })
      .from(schema.users)
      .where(and(inArray(schema.users.email, emails), isNull(schema.users.deletedAt)));
    const sellerIdByEmail = new Map(sellers.map((s) => [s.email, s.id]));
    const missingSellers = emails.filter((email) => !sellerIdByEmail.has(email));
    if (missingSellers.length) {
      throw new Error(`the demo sellers ${missingSellers.join(', ')} do not exist: seed the demo accounts first (seedDemoData)`);
    }

    // Categories, a level at a time: a slug that exists already (created by hand, say) is reused with its id.
    const flat = demoCategories();
    const idBySlug = new Map<string, string>();
    let categoriesInserted = 0;
    for (let depth = 0; flat.some((c) => c.depth === depth); depth++) {
      const level = flat.filter((c) => c.depth === depth);
      const inserted = await db
        .insert(schema.categories)
        .values(
          level.map((c) => ({
            id: c.id,
            parentId: c.parentSlug ? idBySlug.get(c.parentSlug)! : null,
            slug: c.slug,
            // Uzbek in the columns, Russian and English as translations (demo-catalog/locales.ts).
            ...categoryTexts(c.slug, { name: c.name, description: c.description }),
            position: c.position,
            createdAt: c.createdAt,
            updatedAt: c.createdAt,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: schema.categories.id });
      categoriesInserted += inserted.length;
      const rows = await db
        .select({ id: schema.categories.id, slug: schema.categories.slug })
        .from(schema.categories)
        .where(inArray(schema.categories.slug, level.map((c) => c.slug)));
      for (const row of rows) idBySlug.set(row.slug, row.id);
    }

    let productsInserted = 0;
    let variantsInserted = 0;
    options.onProgress?.(0, total);
    for (let start = 0; start < total; start += BATCH) {
      const end = Math.min(total, start + BATCH);
      const batch = Array.from({ length: end - start }, (_, i) => generate(start + i));
      const existing = await db
        .select({ id: schema.products.id })
        .from(schema.products)
        .where(inArray(schema.products.id, batch.map((p) => p.id)));
      const have = new Set(existing.map((r) => r.id));
      const missing = batch.filter((p) => !have.has(p.id));
      if (missing.length) {
        await db.transaction(async (tx) => {
          const inserted = await tx
            .insert(schema.products)
            .values(
              missing.map((p) => ({
                id: p.id,
                sellerId: sellerIdByEmail.get(sellerEmailOf(p.categorySlug))!,
                categoryId: idBySlug.get(p.categorySlug)!,
                slug: p.slug,
                name: p.name,
                description: p.description,
                translations: p.translations,
                status: p.status,
                attributes: p.attributes,
                images: [],
                minPrice: p.minPrice,
                currency: p.currency,
                mxik: p.mxik,
                packageCode: p.packageCode,
                popularity: p.popularity,
                createdAt: p.createdAt,
                updatedAt: p.updatedAt,
              })),
            )
            .onConflictDoNothing()
            .returning({ id: schema.products.id });
          productsInserted += inserted.length;
          // A product skipped on conflict (its slug taken by another product) gets no variants.
          const kept = new Set(inserted.map((r) => r.id));
          const mine = missing.filter((p) => kept.has(p.id));
          const variants = mine.flatMap((p) => p.variants.map((v) => ({ ...v, productId: p.id })));
          if (!variants.length) return;
          const skus = await tx.insert(schema.productVariants).values(variants).onConflictDoNothing().returning({ sku: schema.productVariants.sku });
          variantsInserted += skus.length;
          const added = new Set(skus.map((s) => s.sku));
          const levels = mine.flatMap((p) =>
            p.stock
              .filter((s) => added.has(s.sku))
              .map((s) => ({ sku: s.sku, onHand: s.onHand, reserved: s.reserved, available: s.onHand - s.reserved, updatedAt: p.updatedAt })),
          );
          if (levels.length) await tx.insert(schema.inventoryLevels).values(levels).onConflictDoNothing();
        });
      }
      options.onProgress?.(end, total);
    }
    return { categories: categoriesInserted, products: productsInserted, variants: variantsInserted };
  } finally {
    await client.end();
  }
}

/** What the database's catalog holds (every product, demo or not): for banners and logs. */
export async function catalogStats(url: string): Promise<{ categories: number; products: number; published: number; variants: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ categories: number; products: number; published: number; variants: number }>(`
      select (select count(*)::int from categories) as categories,
        (select count(*)::int from products where deleted_at is null) as products,
        (select count(*)::int from products where deleted_at is null and status = 'published') as published,
        (select count(*)::int from product_variants v join products p on p.id = v.product_id where p.deleted_at is null) as variants`);
    return rows[0]!;
  } finally {
    await client.end();
  }
}
