import { sql, type SQL } from 'drizzle-orm';
import { readThrough } from '../../shared/cache';
import type { Deps, Principal } from '../../shared/context';
import { products } from '../../shared/db/schema';
import { redisKey } from '../../shared/redis';
import { productJson } from '../products/queries';
import type { Product } from '../products/schemas';
import type { RecommendationsQuery, RecommendationStrategy } from './schemas';

/** How many recently viewed categories a user's recommendations draw on. */
const VIEWED_CATEGORIES = 10;

const viewsKey = (deps: Deps, userId: string) => redisKey(deps.config, 'views', userId);

/** Remembers the category of a product a signed-in user looked at (best effort, after the response). */
export function recordProductView(deps: Deps, userId: string, categoryId: string): void {
  deps.defer(async () => {
    const key = viewsKey(deps, userId);
    const pipeline = deps.redis.pipeline();
    pipeline.lrem(key, 0, categoryId);
    pipeline.lpush(key, categoryId);
    pipeline.ltrim(key, 0, VIEWED_CATEGORIES - 1);
    pipeline.expire(key, 30 * 24 * 3600);
    await pipeline.exec();
  });
}

/**
 * Published, live products ranked by a preference (matching rows first),
 * then popularity: one statement. Only ever public products.
 */
async function ranked(deps: Deps, preferred: SQL, exclude: string | undefined, limit: number): Promise<{ data: Product[]; matched: number }> {
  const rows = await deps.db.execute<{ product: Product; preferred: boolean }>(sql`
    select ${productJson} as product, coalesce(${preferred}, false) as preferred
    from ${products} p
    where p.deleted_at is null and p.status = 'published' ${exclude ? sql`and p.id <> ${exclude}::uuid` : sql``}
    order by 2 desc, p.popularity desc, p.id desc
    limit ${limit}`);
  return { data: rows.rows.map((r) => r.product), matched: rows.rows.filter((r) => r.preferred).length };
}

/**
 * For a product page: products of the same category by popularity, topped up
 * with the most popular elsewhere. (Frequently-bought-together joins in once
 * orders record what was bought together.) Cached with the catalog.
 */
async function forProduct(deps: Deps, productId: string, limit: number) {
  const result = await readThrough(deps, 'catalog', `recs:${productId}:${limit}`, async () => {
    const preferred = sql`p.category_id = (select category_id from ${products} where id = ${productId}::uuid)`;
    const { data, matched } = await ranked(deps, preferred, productId, limit);
    const strategy: RecommendationStrategy = matched > 0 ? 'same_category' : 'popular';
    return { data, strategy };
  });
  return result;
}

/** For a signed-in shopper: the categories they looked at most recently, then what is popular. */
async function forUser(deps: Deps, userId: string, limit: number) {
  const categories = await deps.redis.lrange<string>(viewsKey(deps, userId), 0, VIEWED_CATEGORIES - 1).catch(() => []);
  const valid = categories.filter((c) => /^[0-9a-f-]{36}$/i.test(c));
  if (!valid.length) return undefined;
  const preferred = sql`p.category_id in (${sql.join(valid.map((c) => sql`${c}::uuid`), sql`, `)})`;
  const { data, matched } = await ranked(deps, preferred, undefined, limit);
  return { data, strategy: (matched > 0 ? 'your_categories' : 'popular') as RecommendationStrategy };
}

export async function getRecommendations(deps: Deps, principal: Principal | undefined, query: RecommendationsQuery) {
  if (query.productId) {
    const result = await forProduct(deps, query.productId, query.limit);
    return result ? result.body : JSON.stringify({ data: [], strategy: 'popular' });
  }
  if (principal) {
    const personal = await forUser(deps, principal.userId, query.limit);
    if (personal) return JSON.stringify(personal);
  }
  const popular = await readThrough(deps, 'catalog', `recs:popular:${query.limit}`, async () => ({
    data: (await ranked(deps, sql`false`, undefined, query.limit)).data,
    strategy: 'popular',
  }));
  return popular?.body ?? JSON.stringify({ data: [], strategy: 'popular' });
}
