import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../shared/db/client';
import { categories, inventoryLevels, products, productVariants } from '../../shared/db/schema';
import { PRICE_BUCKETS, type SearchEngine, type SearchQuery, type SearchResult } from './engine';
import { queryForms } from './normalise';

/** How close a misspelt word must be to a word of the name (pg_trgm word_similarity): "iphnoe" → "iPhone" is 0.43. */
const TYPO_THRESHOLD = 0.4;

const ORDER: Record<SearchQuery['sort'], SQL> = {
  relevance: sql`score desc, id desc`,
  newest: sql`id desc`,
  price_asc: sql`price asc, id asc`,
  price_desc: sql`price desc, id desc`,
  popular: sql`popularity desc, id desc`,
};

/** Every locale's name, folded as the index and the query are (workers/search/normalise.ts): what typos are measured against. */
const FOLDED_NAMES = sql`translate(lower(p.name || ' ' || coalesce(p.translations #>> '{uz,name}', '') || ' '
  || coalesce(p.translations #>> '{ru,name}', '') || ' ' || coalesce(p.translations #>> '{en,name}', '')), 'ё''\`ʻʼ’‘´', 'е')`;

/**
 * The query as a tsquery in every language (docs/search.md): `simple` over the
 * folded query (and its Latin transliteration when typed in Cyrillic), or'ed
 * with the Russian and English stemmers' readings, which match the vector's
 * Russian and English parts.
 */
function multilingualQuery(forms: string[]): SQL {
  const [folded = ''] = forms;
  const parts = [
    ...forms.map((form) => sql`websearch_to_tsquery('simple', ${form})`),
    sql`websearch_to_tsquery('russian', ${folded})`,
    sql`websearch_to_tsquery('english', ${folded})`,
  ];
  return sql`(${sql.join(parts, sql` || `)})`;
}

/**
 * Full-text search on a weighted tsvector (every locale's name A, description
 * B, attribute values C) or'ed with trigram word similarity on the names for typos, with
 * filters, sorting and facets computed over the matched set — one statement,
 * one round trip.
 */
export class PostgresSearch implements SearchEngine {
  readonly name = 'postgres' as const;

  constructor(private readonly db: Database) {}

  async search(q: SearchQuery): Promise<SearchResult> {
    const forms = q.q?.trim() ? queryForms(q.q.trim()) : [];
    const text = forms[0];
    const tsquery = multilingualQuery(forms);
    const where: SQL[] = [sql`p.deleted_at is null`, sql`p.status = 'published'`];
    if (text) {
      // The function form (not the indexable `%>` operator) because the threshold is ours, not a
      // per-database setting; it scans the published products, which is why answers are cached and large
      // catalogs should use Typesense (docs/search.md).
      where.push(sql`(p.search_vector @@ ${tsquery}
        or ${sql.join(forms.map((form) => sql`word_similarity(${form}, ${FOLDED_NAMES}) >= ${TYPO_THRESHOLD}`), sql` or `)})`);
    }
    if (q.category) {
      where.push(sql`p.category_id in (
        with recursive tree(id) as (
          select id from ${categories} where id = ${q.category}
          union select c.id from ${categories} c join tree on c.parent_id = tree.id)
        select id from tree)`);
    }
    if (q.minPrice !== undefined || q.maxPrice !== undefined) {
      where.push(sql`exists (select 1 from ${productVariants} v where v.product_id = p.id
        and v.price >= ${q.minPrice ?? 0} and v.price <= ${q.maxPrice ?? Number.MAX_SAFE_INTEGER})`);
    }
    const score = text
      ? sql`ts_rank_cd(p.search_vector, ${tsquery}) * 2 + word_similarity(${text}, ${FOLDED_NAMES})`
      : sql`0`;
    const inStockFilter = q.inStock === undefined ? sql`true` : sql`in_stock = ${q.inStock}`;
    const want = (facet: string) => q.facets.includes(facet as never);
    const buckets = sql.join(
      PRICE_BUCKETS.map(
        (b) => sql`json_build_object('from', ${b.from}::bigint, 'to', ${b.to}::bigint, 'count',
          count(*) filter (where price >= ${b.from} ${b.to === null ? sql`` : sql`and price < ${b.to}`}))`,
      ),
      sql`, `,
    );

    const statement = sql`
      with matched as (
        select p.id, p.slug, coalesce(nullif(p.translations -> ${q.locale ?? ''} ->> 'name', ''), p.name) as name, p.category_id, p.seller_id, p.min_price as price, p.currency,
          p.attributes ->> 'brand' as brand, p.images ->> 0 as image, p.popularity, p.created_at,
          exists (select 1 from ${productVariants} v join ${inventoryLevels} il on il.sku = v.sku
                  where v.product_id = p.id and il.available > 0) as in_stock,
          ${score} as score
        from ${products} p where ${sql.join(where, sql` and `)}
      ), filtered as (select * from matched where ${inStockFilter}),
      page as (select * from filtered order by ${ORDER[q.sort]} limit ${q.limit} offset ${q.offset})
      select
        (select count(*)::int from filtered) as total,
        coalesce((select json_agg(json_build_object(
          'id', id, 'slug', slug, 'name', name, 'categoryId', category_id, 'sellerId', seller_id,
          'price', price, 'currency', currency, 'brand', brand, 'image', image, 'inStock', in_stock,
          'popularity', popularity,
          'createdAt', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          order by ${ORDER[q.sort]}) from page), '[]'::json) as hits,
        ${want('category') ? sql`(select coalesce(json_agg(json_build_object('value', category_id, 'count', n) order by n desc, category_id), '[]'::json)
          from (select category_id, count(*)::int n from filtered group by 1 order by 2 desc limit 50) c)` : sql`null`} as category,
        ${want('brand') ? sql`(select coalesce(json_agg(json_build_object('value', brand, 'count', n) order by n desc, brand), '[]'::json)
          from (select brand, count(*)::int n from filtered where brand is not null group by 1 order by 2 desc limit 50) b)` : sql`null`} as brand,
        ${want('price') ? sql`(select json_build_array(${buckets}) from filtered)` : sql`null`} as price,
        ${want('inStock') ? sql`(select json_build_array(
            json_build_object('value', true, 'count', count(*) filter (where in_stock)),
            json_build_object('value', false, 'count', count(*) filter (where not in_stock)))
          from matched)` : sql`null`} as in_stock_facet`;

    const result = await this.db.execute<{
      total: number;
      hits: SearchResult['hits'];
      category: SearchResult['facets']['category'] | null;
      brand: SearchResult['facets']['brand'] | null;
      price: SearchResult['facets']['price'] | null;
      in_stock_facet: SearchResult['facets']['inStock'] | null;
    }>(statement);
    const row = result.rows[0];
    if (!row) return { hits: [], facets: {}, total: 0 };
    const facets: SearchResult['facets'] = {};
    if (row.category) facets.category = row.category;
    if (row.brand) facets.brand = row.brand;
    if (row.price) facets.price = row.price.map((b) => ({ from: Number(b.from), to: b.to === null ? null : Number(b.to), count: Number(b.count) }));
    if (row.in_stock_facet) facets.inStock = row.in_stock_facet;
    return { hits: row.hits.map((h) => ({ ...h, price: Number(h.price) })), facets, total: row.total };
  }

  /** Postgres searches the catalog tables themselves: nothing to index. */
  async upsert(): Promise<void> {}

  async remove(): Promise<void> {}
}
