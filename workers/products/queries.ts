import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../shared/context';
import { categories, inventoryLevels, products, productVariants } from '../../shared/db/schema';
import type { ListProductsQuery, ProductSort } from './schemas';

/**
 * The SQL behind product reads. Each read is one statement: the product row,
 * its variants (json_agg in a subquery — no N+1) and the filters, so an
 * uncached detail or listing page costs one database round trip.
 */

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One product as the API's JSON, built by Postgres. `p` is the products alias. */
export const productJson = sql`json_build_object(
  'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description,
  'categoryId', p.category_id, 'sellerId', p.seller_id, 'status', p.status,
  'attributes', p.attributes, 'images', p.images, 'purchaseLimit', p.purchase_limit,
  'mxik', p.mxik, 'packageCode', p.package_code,
  'cashOnDelivery', p.cash_on_delivery,
  'translations', p.translations,
  'rating', json_build_object('average', case when p.rating_count > 0 then p.rating_average end, 'count', p.rating_count),
  'variants', coalesce((
    select json_agg(json_build_object(
      'id', v.id, 'sku', v.sku, 'price', v.price, 'compareAtPrice', v.compare_at_price,
      'currency', v.currency, 'options', v.options, 'weightGrams', v.weight_grams,
      'available', coalesce(il.available, 0)
    ) order by v.position, v.sku)
    from ${productVariants} v left join ${inventoryLevels} il on il.sku = v.sku
    where v.product_id = p.id), '[]'::json),
  'createdAt', ${iso(sql`p.created_at`)}, 'updatedAt', ${iso(sql`p.updated_at`)})`;

/** Who sees what: the public sees published products; a seller also its own; an admin everything not deleted. */
export function visibleTo(principal: Principal | undefined, status?: string): SQL {
  const live = sql`p.deleted_at is null`;
  if (principal?.role === 'admin') return status ? sql`${live} and p.status = ${status}` : live;
  const own = principal?.role === 'seller' ? sql`p.seller_id = ${principal.userId}` : sql`false`;
  if (!status) return sql`${live} and (p.status = 'published' or ${own})`;
  if (status === 'published') return sql`${live} and p.status = 'published'`;
  return sql`${live} and p.status = ${status} and ${own}`;
}

interface SortSpec {
  key: SQL;
  direction: 'asc' | 'desc';
  /** The cursor's value of the key for a row (from the selected `k`). */
}

const SORTS: Record<ProductSort, SortSpec | null> = {
  newest: null,
  price_asc: { key: sql`p.min_price`, direction: 'asc' },
  price_desc: { key: sql`p.min_price`, direction: 'desc' },
  name: { key: sql`lower(p.name)`, direction: 'asc' },
  popular: { key: sql`p.popularity`, direction: 'desc' },
  rating: { key: sql`p.rating_average`, direction: 'desc' },
};

export interface ListCursor {
  id: string;
  k?: string | number;
}

/** Keyset pagination: rows strictly after the cursor in the list's order, so inserts never shift pages. */
export function listProductsSql(principal: Principal | undefined, q: ListProductsQuery, after: ListCursor | undefined): SQL {
  const where: SQL[] = [visibleTo(principal, q.status)];
  if (q.category) {
    where.push(sql`p.category_id in (
      with recursive tree(id) as (
        select id from ${categories} where id = ${q.category}
        union select c.id from ${categories} c join tree on c.parent_id = tree.id)
      select id from tree)`);
  }
  if (q.seller) where.push(sql`p.seller_id = ${q.seller}`);
  if (q.minPrice !== undefined || q.maxPrice !== undefined) {
    where.push(sql`exists (select 1 from ${productVariants} v where v.product_id = p.id
      and v.price >= ${q.minPrice ?? 0} and v.price <= ${q.maxPrice ?? Number.MAX_SAFE_INTEGER})`);
  }
  if (q.inStock !== undefined) {
    const inStock = sql`exists (select 1 from ${productVariants} v join ${inventoryLevels} il on il.sku = v.sku
      where v.product_id = p.id and il.available > 0)`;
    where.push(q.inStock ? inStock : sql`not ${inStock}`);
  }
  if (q.minRating !== undefined) where.push(sql`p.rating_average >= ${q.minRating}`);
  for (const filter of q.attr) {
    const at = filter.indexOf(':');
    where.push(sql`p.attributes ->> ${filter.slice(0, at)} = ${filter.slice(at + 1)}`);
  }

  const sort = SORTS[q.sort];
  const dir = sort?.direction === 'asc' ? sql`asc` : sql`desc`;
  if (after) {
    const cmp = sort?.direction === 'asc' ? sql`>` : sql`<`;
    where.push(sort ? sql`(${sort.key}, p.id) ${cmp} (${after.k ?? null}, ${after.id}::uuid)` : sql`p.id < ${after.id}::uuid`);
  }
  const order = sort ? sql`${sort.key} ${dir}, p.id ${dir}` : sql`p.id desc`;
  return sql`select ${productJson} as product, ${sort?.key ?? sql`null`} as k
    from ${products} p where ${sql.join(where, sql` and `)}
    order by ${order} limit ${q.limit + 1}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One product by id or slug, as `principal` may see it ('any': every live product, for services). */
export function productDetailSql(principal: Principal | undefined | 'any', idOrSlug: string): SQL {
  const match = UUID.test(idOrSlug) ? sql`p.id = ${idOrSlug}::uuid` : sql`p.slug = ${idOrSlug}`;
  const visible = principal === 'any' ? sql`p.deleted_at is null` : visibleTo(principal);
  return sql`select ${productJson} as product from ${products} p where ${match} and ${visible}`;
}
