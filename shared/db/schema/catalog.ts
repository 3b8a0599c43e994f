import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One locale's texts of a product or category; a missing field falls back to the default-locale column. */
export interface ContentTexts {
  name?: string;
  description?: string;
  /** Products: display labels of attribute keys (`{ brand: 'Бренд' }`). */
  attributeLabels?: Record<string, string>;
}
export type ContentTranslations = Partial<Record<'uz' | 'ru' | 'en', ContentTexts>>;

/** Search text folding in SQL; workers/search/normalise.ts folds queries the same way. */
const fold = (text: SQL) => sql`translate(lower(${text}), 'ё''\`ʻʼ’‘´', 'е')`;
const inLocale = (locale: string, field: string) => sql.raw(`coalesce("products"."translations" #>> '{${locale},${field}}', '')`);
const everyLocale = (column: string, field: string) =>
  sql.raw(`"products"."${column}" || ' ' || `).append(sql.join(['uz', 'ru', 'en'].map((l) => inLocale(l, field)), sql.raw(` || ' ' || `)));
const searchVectorSql = sql`setweight(to_tsvector('simple', ${fold(everyLocale('name', 'name'))}), 'A')
        || setweight(to_tsvector('russian', ${inLocale('ru', 'name')}), 'A')
        || setweight(to_tsvector('english', ${inLocale('en', 'name')}), 'A')
        || setweight(to_tsvector('simple', ${fold(everyLocale('description', 'description'))}), 'B')
        || setweight(to_tsvector('russian', ${inLocale('ru', 'description')}), 'B')
        || setweight(to_tsvector('english', ${inLocale('en', 'description')}), 'B')
        || setweight(jsonb_to_tsvector('simple', "products"."attributes", '["string", "numeric"]'), 'C')`;

/** Typed attribute values: usable as facets and filters. */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    position: integer('position').notNull().default(0),
    /** The platform's commission on this category's products, in basis points; null = the default (docs/ledger.md). */
    commissionBps: integer('commission_bps'),
    /** Name and description in locales other than the default (migration 0020; docs/catalog.md). */
    translations: jsonb('translations').$type<ContentTranslations>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('categories_slug_key').on(t.slug),
    index('categories_parent_idx').on(t.parentId),
    check('categories_translations_object', sql`jsonb_typeof(${t.translations}) = 'object'`),
  ],
);

export const productStatus = pgEnum('product_status', ['draft', 'published', 'archived']);

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: productStatus('status').notNull().default('draft'),
    attributes: jsonb('attributes').$type<Attributes>().notNull().default({}),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    /** Most units of this product one customer may buy over its non-cancelled orders; null = no limit. */
    purchaseLimit: integer('purchase_limit'),
    /** MXIK (IKPU) code of the goods, 17 digits, for fiscal receipts (docs/vat-and-receipts.md); null = not given. */
    mxik: text('mxik'),
    /** The package (unit of measure) code that goes with the MXIK code on fiscal receipts; null = not given. */
    packageCode: text('package_code'),
    /** Whether the seller takes cash on delivery for it (docs/cash-on-delivery.md); a cash checkout over a product without it is refused. */
    cashOnDelivery: boolean('cash_on_delivery').notNull().default(true),
    /** The cheapest variant's price: what listings sort and filter on. */
    minPrice: money('min_price').notNull(),
    currency: text('currency').notNull(),
    /** Units sold (maintained by orders); `sort=popular` and recommendations use it. */
    popularity: integer('popularity').notNull().default(0),
    /** Name, description and attribute labels per locale beside the default-locale columns (migration 0020; docs/catalog.md). */
    translations: jsonb('translations').$type<ContentTranslations>().notNull().default({}),
    /** Every locale's text: `simple` over it folded as queries are, Russian and English stemmers over their own (docs/search.md). */
    searchVector: tsvector('search_vector').generatedAlwaysAs((): SQL => searchVectorSql),
    /** Stars of the product's visible reviews, summed and counted (maintained by workers/reviews in each review write). */
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    /** ratingSum / ratingCount to two places, 0 without reviews: what `sort=rating` and `minRating` use. */
    ratingAverage: numeric('rating_average', { precision: 3, scale: 2 }).generatedAlwaysAs(
      (): SQL => sql`case when ${products.ratingCount} > 0 then round(${products.ratingSum}::numeric / ${products.ratingCount}, 2) else 0 end`,
    ),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    // A deleted product's slug stays taken: old links keep resolving to "gone", not to another product.
    uniqueIndex('products_slug_key').on(t.slug),
    index('products_listing_idx').on(t.status, t.id).where(sql`${t.deletedAt} is null`),
    index('products_category_idx').on(t.categoryId),
    index('products_seller_idx').on(t.sellerId),
    index('products_price_idx').on(t.minPrice, t.id),
    index('products_popularity_idx').on(t.popularity, t.id),
    index('products_rating_idx').on(t.ratingAverage, t.id),
    index('products_search_idx').using('gin', t.searchVector),
    index('products_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
    index('products_attributes_idx').using('gin', t.attributes),
    check('products_translations_object', sql`jsonb_typeof(${t.translations}) = 'object'`),
    check('products_purchase_limit_positive', sql`${t.purchaseLimit} is null or ${t.purchaseLimit} > 0`),
    check('products_mxik_format', sql`${t.mxik} is null or ${t.mxik} ~ '^[0-9]{17}$'`),
    check('products_package_code_format', sql`${t.packageCode} is null or ${t.packageCode} ~ '^[0-9]{1,20}$'`),
  ],
);

export const productVariants = pgTable(
  'product_variants',
  {
    id: uuid('id').primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    sku: text('sku').notNull(),
    price: money('price').notNull(),
    compareAtPrice: money('compare_at_price'),
    currency: text('currency').notNull(),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    weightGrams: integer('weight_grams'),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    uniqueIndex('product_variants_sku_key').on(t.sku),
    index('product_variants_product_idx').on(t.productId, t.position),
    check('product_variants_price_nonnegative', sql`${t.price} >= 0`),
  ],
);

/**
 * A read copy of each SKU's stock, mirrored from its InventoryDO (the
 * authority) for listings, the inStock filter and reports.
 */
export const inventoryLevels = pgTable('inventory_levels', {
  sku: text('sku').primaryKey(),
  onHand: integer('on_hand').notNull().default(0),
  reserved: integer('reserved').notNull().default(0),
  available: integer('available').notNull().default(0),
  /** The Durable Object's change counter: an older mirror write never overwrites a newer one. */
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type Category = typeof categories.$inferSelect;
export type Product = typeof products.$inferSelect;
export type ProductVariant = typeof productVariants.$inferSelect;
