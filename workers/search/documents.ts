import { sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/client';
import { categories, inventoryLevels, products, productVariants } from '../../shared/db/schema';
import type { SearchDocument } from './engine';

/**
 * Index documents for products that are live and published, in one query.
 * Ids that come back missing are to be removed from an index.
 */
export async function loadSearchDocuments(db: Database, productIds: string[]): Promise<SearchDocument[]> {
  if (!productIds.length) return [];
  const rows = await db.execute<{ doc: SearchDocument }>(sql`
    select json_build_object(
      'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description,
      'categoryId', p.category_id, 'sellerId', p.seller_id, 'price', p.min_price, 'currency', p.currency,
      'brand', p.attributes ->> 'brand', 'image', p.images ->> 0, 'attributes', p.attributes,
      'popularity', p.popularity, 'translations', p.translations,
      'variantPrices', (select coalesce(json_agg(v.price order by v.price), '[]'::json) from ${productVariants} v where v.product_id = p.id),
      'createdAt', to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'inStock', exists (select 1 from ${productVariants} v join ${inventoryLevels} il on il.sku = v.sku
                         where v.product_id = p.id and il.available > 0),
      'categoryPath', (with recursive up(id, parent_id) as (
          select id, parent_id from ${categories} where id = p.category_id
          union select c.id, c.parent_id from ${categories} c join up on c.id = up.parent_id)
        select json_agg(id) from up)
    ) as doc
    from ${products} p
    where p.id in (${sql.join(productIds.map((id) => sql`${id}::uuid`), sql`, `)})
      and p.deleted_at is null and p.status = 'published'`);
  return rows.rows.map((r) => ({ ...r.doc, price: Number(r.doc.price), variantPrices: (r.doc.variantPrices ?? []).map(Number) }));
}

/** Ids of every live, published product after `afterId`, in id order (for reindexing in batches). */
export async function listIndexableIds(db: Database, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select id from ${products} where deleted_at is null and status = 'published'
      ${afterId ? sql`and id > ${afterId}::uuid` : sql``}
    order by id limit ${limit}`);
  return rows.rows.map((r) => r.id);
}
