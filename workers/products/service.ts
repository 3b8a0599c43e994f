import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { etagOf, invalidate, readThrough } from '../../shared/cache';
import type { Deps, Principal } from '../../shared/context';
import { constraintName, isForeignKeyViolation, isUniqueViolation } from '../../shared/db/errors';
import { products, productVariants } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { publishAfterResponse, recordEvents } from '../../shared/outbox';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import type { LocaleChoice } from '../../shared/locale';
import { mergedTranslationsSql, splitTranslations } from '../../shared/translations';
import { recordProductView } from '../../shared/viewed-categories';
import { externalImages } from './image-urls';
import { imagesWithAttachments } from './images-sql';
import { localizeProduct } from './localize';
import { type ListCursor, listProductsSql, productDetailSql } from './queries';
import type { ListProductsQuery, Product, ProductInput } from './schemas';

/** Queue event that tells the search index (and other consumers) a product changed. */
export const PRODUCT_CHANGED = 'catalog.product_changed';

export interface ReadResult {
  body: string;
  etag: string;
  /** public: the same for every caller (cacheable); private: depends on who asks. */
  visibility: 'public' | 'private';
}

/** `fresh`: a writer asked to skip the cache; `colo`: the caller may be answered from the colo (shared/cache.ts). */
export interface ReadOptions {
  fresh?: boolean;
  colo?: boolean;
  /** The answer's locale (shared/locale.ts); the deployment's default when absent. Every cache key carries it. */
  locale?: LocaleChoice;
}

/** A cursor carries the last row's sort value, of the sort's type: one from another sort is refused. */
function cursorShapeFor(sort: ListProductsQuery['sort']) {
  if (sort === 'newest') return z.strictObject({ id: z.uuid() });
  if (sort === 'name') return z.strictObject({ id: z.uuid(), k: z.string() });
  if (sort === 'rating') return z.strictObject({ id: z.uuid(), k: z.number().min(0).max(5) });
  return z.strictObject({ id: z.uuid(), k: z.number().int() });
}

export function assertCanSell(auth: Principal): void {
  if (auth.role !== 'seller' && auth.role !== 'admin') throw new Forbidden('Only sellers and admins manage products.');
}

/** Whether the answer can differ by caller: only when it may include unpublished products. */
const isPublicView = (principal: Principal | undefined, status?: string) =>
  !principal || principal.role === 'customer' || status === 'published';

export async function listProducts(
  deps: Deps,
  principal: Principal | undefined,
  query: ListProductsQuery,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const after = decodeCursor(query.cursor, cursorShapeFor(query.sort)) as ListCursor | undefined;
  const effective = isPublicView(principal, query.status) ? undefined : principal;
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  const load = async () => {
    const rows = await deps.db.execute<{ product: Product; k: string | number | null }>(listProductsSql(effective, query, after));
    const page = rows.rows.slice(0, query.limit);
    const last = rows.rows.length > query.limit ? page.at(-1) : undefined;
    // Postgres sends bigint keys as strings; the cursor keeps each sort's own type.
    const position: Record<string, string | number> = last ? { id: last.product.id } : {};
    if (last && last.k !== null && last.k !== undefined) position.k = query.sort === 'name' ? String(last.k) : Number(last.k);
    const nextCursor = last ? encodeCursor(position) : null;
    return { data: page.map((r) => localizeProduct(r.product, locale, deps.config.DEFAULT_LOCALE)), nextCursor };
  };
  if (effective) {
    const body = JSON.stringify(await load());
    return { body, etag: await etagOf(body), visibility: 'private' };
  }
  // The whole validated, normalised query is the key (never the raw query string): `status` too, or an anonymous
  // ?status=draft (an empty page) would be served as the public list; the cursor as the position it decodes to.
  const key = `list:${locale}:${JSON.stringify({ ...query, locale: undefined, cursor: after ?? null })}`;
  const result = await readThrough(deps, 'catalog', key, load, { bypass: options.fresh, colo: options.colo });
  if (!result) throw new Error('listing returned nothing');
  return { ...result, visibility: 'public' };
}

export async function getProduct(
  deps: Deps,
  principal: Principal | undefined,
  idOrSlug: string,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  const loadFor = (who: Principal | undefined) => async () => {
    const rows = await deps.db.execute<{ product: Product }>(productDetailSql(who, idOrSlug));
    const product = rows.rows[0]?.product;
    return product ? localizeProduct(product, locale, deps.config.DEFAULT_LOCALE) : null;
  };
  // The published version is the same for everyone: serve it from the cache.
  const cached = await readThrough(deps, 'catalog', `product:${locale}:${idOrSlug}`, loadFor(undefined), { bypass: options.fresh, colo: options.colo });
  if (cached) {
    if (principal) recordProductView(deps, principal.userId, (JSON.parse(cached.body) as Product).categoryId);
    return { ...cached, visibility: 'public' };
  }
  if (principal && principal.role !== 'customer') {
    const own = await loadFor(principal)();
    if (own) {
      const body = JSON.stringify(own);
      return { body, etag: await etagOf(body), visibility: 'private' };
    }
  }
  throw new NotFound('product', idOrSlug);
}

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : `product-${slug}`;
}

/**
 * Where the deployment requires fiscal data (FISCAL_DATA_REQUIRED), a product is published only with its
 * MXIK and package codes: every sale needs them on its fiscal receipt (docs/vat-and-receipts.md). A draft
 * may go without. 409 naming the missing fields.
 */
export function assertFiscalData(deps: Deps, input: Pick<ProductInput, 'status' | 'mxik' | 'packageCode'>): void {
  if (!deps.config.FISCAL_DATA_REQUIRED || input.status !== 'published') return;
  const missing = (['mxik', 'packageCode'] as const).filter((field) => !input[field]);
  if (missing.length) {
    throw new Conflict(`A published product needs its fiscal codes: ${missing.join(', ')} missing. Save it as a draft until you have them.`, {
      fields: missing,
    });
  }
}

function productRow(input: ProductInput) {
  const prices = input.variants.map((v) => v.price);
  return {
    name: input.name,
    description: input.description,
    categoryId: input.categoryId,
    status: input.status,
    attributes: input.attributes,
    // File URLs come only from attachments (a new product has none; an update merges them in SQL).
    images: externalImages(input.images),
    purchaseLimit: input.purchaseLimit,
    mxik: input.mxik,
    packageCode: input.packageCode,
    cashOnDelivery: input.cashOnDelivery,
    minPrice: Math.min(...prices),
    currency: input.variants[0]?.currency ?? 'USD',
  };
}

const variantRows = (productId: string, input: ProductInput) =>
  input.variants.map((v, position) => ({
    id: newId(),
    productId,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    currency: v.currency,
    options: v.options,
    weightGrams: v.weightGrams ?? null,
    position,
  }));

/** Turns constraint violations into the 4xx the client can act on. */
function explainWriteError(err: unknown): never {
  if (isForeignKeyViolation(err) && constraintName(err)?.includes('category')) {
    throw new ValidationFailed([{ path: 'categoryId', message: 'no such category' }]);
  }
  if (isUniqueViolation(err)) {
    const constraint = constraintName(err) ?? '';
    if (constraint.includes('slug')) throw new Conflict('Another product already uses this slug.', { field: 'slug' });
    if (constraint.includes('sku')) throw new Conflict('One of these SKUs belongs to another product.', { field: 'sku' });
  }
  throw err;
}

export async function afterWrite(deps: Deps, events: Awaited<ReturnType<typeof recordEvents>>): Promise<void> {
  await invalidate(deps, 'catalog');
  publishAfterResponse(deps, events);
}

export async function loadAfterWrite(deps: Deps, id: string): Promise<Product> {
  const rows = await deps.db.execute<{ product: Product }>(productDetailSql('any', id));
  const product = rows.rows[0]?.product;
  if (!product) throw new NotFound('product', id);
  // A writer sees every locale it wrote.
  return localizeProduct(product, '*', deps.config.DEFAULT_LOCALE);
}

export async function createProduct(deps: Deps, auth: Principal, input: ProductInput): Promise<Product> {
  assertCanSell(auth);
  assertFiscalData(deps, input);
  const translations = splitTranslations(input.translations, deps.config.DEFAULT_LOCALE).set;
  const id = newId();
  const slug = input.slug ?? slugify(input.name);
  const insert = (slugToUse: string) =>
    deps.db.transaction(async (tx) => {
      await tx.insert(products).values({ id, sellerId: auth.userId, slug: slugToUse, ...productRow(input), translations });
      await tx.insert(productVariants).values(variantRows(id, input));
      return recordEvents(tx, [{ type: PRODUCT_CHANGED, payload: { productId: id, change: 'created' } }]);
    });
  let events;
  try {
    events = await insert(slug);
  } catch (err) {
    // A slug derived from the name may be taken: make it unique with the id's tail.
    const derivedSlugTaken = !input.slug && isUniqueViolation(err) && constraintName(err)?.includes('slug');
    if (!derivedSlugTaken) explainWriteError(err);
    events = await insert(`${slug.slice(0, 100)}-${id.slice(-8)}`).catch(explainWriteError);
  }
  await afterWrite(deps, events);
  return loadAfterWrite(deps, id);
}

/** The product if the caller may change it; 404 otherwise (someone else's is not revealed). */
export async function lockOwned(tx: Pick<Deps['db'], 'select'>, auth: Principal, id: string): Promise<void> {
  const [row] = await tx
    .select({ sellerId: products.sellerId })
    .from(products)
    .where(and(eq(products.id, id), isNull(products.deletedAt)))
    .for('update');
  if (!row || (auth.role !== 'admin' && row.sellerId !== auth.userId)) throw new NotFound('product', id);
}

/** Replaces the product and its variants (matched by SKU: kept, changed, added or removed). */
export async function updateProduct(deps: Deps, auth: Principal, id: string, input: ProductInput): Promise<Product> {
  assertCanSell(auth);
  assertFiscalData(deps, input);
  const skus = input.variants.map((v) => v.sku);
  const translations = mergedTranslationsSql(sql`${products.translations}`, input.translations, deps.config.DEFAULT_LOCALE);
  const events = await deps.db
    .transaction(async (tx) => {
      await lockOwned(tx, auth, id);
      await tx
        .update(products)
        .set({
          ...productRow(input),
          // Attached files stay listed: their URLs come from product_images, not from the body.
          images: imagesWithAttachments(id, sql`${JSON.stringify(input.images)}::jsonb`),
          ...(input.slug ? { slug: input.slug } : {}),
          // Locales the body leaves out keep their texts (a single-string write changes the default locale only).
          translations,
          updatedAt: sql`now()`,
        })
        .where(eq(products.id, id));
      await tx.delete(productVariants).where(and(eq(productVariants.productId, id), notInArray(productVariants.sku, skus)));
      const rows = variantRows(id, input);
      const upserted = await tx
        .insert(productVariants)
        .values(rows)
        .onConflictDoUpdate({
          target: productVariants.sku,
          set: {
            price: sql`excluded.price`,
            compareAtPrice: sql`excluded.compare_at_price`,
            currency: sql`excluded.currency`,
            options: sql`excluded.options`,
            weightGrams: sql`excluded.weight_grams`,
            position: sql`excluded.position`,
          },
          // A SKU of another product is never taken over.
          setWhere: sql`${productVariants.productId} = ${id}`,
        })
        .returning({ sku: productVariants.sku });
      if (upserted.length !== rows.length) throw new Conflict('One of these SKUs belongs to another product.', { field: 'sku' });
      return recordEvents(tx, [{ type: PRODUCT_CHANGED, payload: { productId: id, change: 'updated' } }]);
    })
    .catch(explainWriteError);
  await afterWrite(deps, events);
  return loadAfterWrite(deps, id);
}

/** Soft delete: gone from listings and search; orders keep their copy of its lines. */
export async function deleteProduct(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertCanSell(auth);
  const events = await deps.db.transaction(async (tx) => {
    await lockOwned(tx, auth, id);
    await tx.update(products).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(products.id, id));
    return recordEvents(tx, [{ type: PRODUCT_CHANGED, payload: { productId: id, change: 'deleted' } }]);
  });
  await afterWrite(deps, events);
}

/** For other domains (cart, orders): live, published variants by SKU, with their product. */
export async function findSellableVariants(deps: Deps, skus: string[]) {
  if (!skus.length) return [];
  return deps.db
    .select({
      sku: productVariants.sku,
      price: productVariants.price,
      currency: productVariants.currency,
      productId: products.id,
      productName: products.name,
      sellerId: products.sellerId,
      status: products.status,
    })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(inArray(productVariants.sku, skus), isNull(products.deletedAt)));
}
