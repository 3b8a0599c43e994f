import { sql, type SQL } from 'drizzle-orm';
import { readThrough } from '../../shared/cache';
import type { Deps, Principal } from '../../shared/context';
import type { Locale } from '../../shared/locale';
import { orderItems, orders, products } from '../../shared/db/schema';
import { viewedCategories } from '../../shared/viewed-categories';
import { localizeProduct, productJson, type Product } from '../products/public';
import type { RecommendationsQuery, RecommendationStrategy } from './schemas';

/** Orders that count as "bought": paid and everything after it (refunds included). */
const BOUGHT = sql`('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'partially_refunded', 'refunded')`;

/**
 * Published, live products ranked by how often they were bought together with
 * `together` (when given), then by a preference (matching rows first), then
 * popularity: one statement. Only ever public products.
 */
async function ranked(
  deps: Deps,
  options: { preferred: SQL; exclude?: string; together?: string; limit: number; locale: Locale },
): Promise<{ data: Product[]; matched: number; together: number }> {
  const together = options.together
    ? sql`select other.product_id, count(distinct other.order_id)::int as n
        from ${orderItems} mine
        join ${orderItems} other on other.order_id = mine.order_id and other.product_id <> mine.product_id
        join ${orders} o on o.id = mine.order_id and o.status in ${BOUGHT}
        where mine.product_id = ${options.together}::uuid group by 1`
    : sql`select null::uuid as product_id, 0 as n where false`;
  const rows = await deps.db.execute<{ product: Product; preferred: boolean; together: number }>(sql`
    with fbt as (${together})
    select ${productJson} as product, coalesce(${options.preferred}, false) as preferred, coalesce(fbt.n, 0) as together
    from ${products} p left join fbt on fbt.product_id = p.id
    where p.deleted_at is null and p.status = 'published' ${options.exclude ? sql`and p.id <> ${options.exclude}::uuid` : sql``}
    order by 3 desc, 2 desc, p.popularity desc, p.id desc
    limit ${options.limit}`);
  return {
    // In the reader's locale (each field falling back to the default's), in the products' answer shape.
    data: rows.rows.map((r) => localizeProduct(r.product, options.locale, deps.config.DEFAULT_LOCALE)),
    matched: rows.rows.filter((r) => r.preferred).length,
    together: rows.rows.filter((r) => r.together > 0).length,
  };
}

/**
 * For a product page: what was bought together with it, then products of the
 * same category by popularity, then the most popular elsewhere. Cached with
 * the catalog (entries live at most five minutes, so new orders show up), one
 * entry per locale.
 */
async function forProduct(deps: Deps, productId: string, limit: number, locale: Locale, colo: boolean) {
  return readThrough(deps, 'catalog', `recs:${locale}:${productId}:${limit}`, async () => {
    const preferred = sql`p.category_id = (select category_id from ${products} where id = ${productId}::uuid)`;
    const { data, matched, together } = await ranked(deps, { preferred, exclude: productId, together: productId, limit, locale });
    const strategy: RecommendationStrategy = together > 0 ? 'bought_together' : matched > 0 ? 'same_category' : 'popular';
    return { data, strategy };
  }, { colo });
}

/** For a signed-in shopper: the categories they bought from or looked at recently, then what is popular. */
async function forUser(deps: Deps, userId: string, limit: number, locale: Locale) {
  const viewed = await viewedCategories(deps, userId);
  const valid = viewed.filter((c) => /^[0-9a-f-]{36}$/i.test(c));
  const viewedSql = valid.length ? sql`p.category_id in (${sql.join(valid.map((c) => sql`${c}::uuid`), sql`, `)})` : sql`false`;
  const boughtSql = sql`p.category_id in (
    select pr.category_id from ${orderItems} i join ${orders} o on o.id = i.order_id and o.status in ${BOUGHT}
    join ${products} pr on pr.id = i.product_id where o.user_id = ${userId}::uuid)`;
  const { data, matched } = await ranked(deps, { preferred: sql`(${viewedSql} or ${boughtSql})`, limit, locale });
  if (!matched) return undefined;
  return { data, strategy: 'your_categories' as RecommendationStrategy };
}

/**
 * `colo`: the caller may be answered from the colo within the freshness contract (shared/cache.ts);
 * `locale`: the answer's (the default when absent), part of every cache key.
 */
export async function getRecommendations(
  deps: Deps,
  principal: Principal | undefined,
  query: RecommendationsQuery,
  options: { colo?: boolean; locale?: Locale } = {},
) {
  const colo = options.colo ?? false;
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  if (query.productId) {
    const result = await forProduct(deps, query.productId, query.limit, locale, colo);
    return result ? result.body : JSON.stringify({ data: [], strategy: 'popular' });
  }
  if (principal) {
    const personal = await forUser(deps, principal.userId, query.limit, locale);
    if (personal) return JSON.stringify(personal);
  }
  const popular = await readThrough(deps, 'catalog', `recs:${locale}:popular:${query.limit}`, async () => ({
    data: (await ranked(deps, { preferred: sql`false`, limit: query.limit, locale })).data,
    strategy: 'popular',
  }), { colo });
  return popular?.body ?? JSON.stringify({ data: [], strategy: 'popular' });
}
