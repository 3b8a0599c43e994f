/**
 * SearchQuery → Typesense multi_search requests: filters, sorts, paging and the
 * facet searches, as a plan that the results mapping reads back.
 */
import type { MultiSearchRequestSchema } from 'typesense/lib/Typesense/Types';
import { PRICE_BUCKETS, type SearchQuery } from '../engine';
import { latinise } from '../normalise';
import { HIT_FIELDS, INFIX, MAX_FACET_VALUES, MAX_PER_PAGE, QUERY_BY, QUERY_BY_WEIGHTS, type TypesenseProductDocument } from './documents';

export const SORT_BY: Record<SearchQuery['sort'], string> = {
  relevance: '_text_match:desc,sortId:desc',
  newest: 'createdAt:desc,sortId:desc',
  price_asc: 'price:asc,sortId:asc',
  price_desc: 'price:desc,sortId:desc',
  popular: 'popularity:desc,sortId:desc',
};

/**
 * sort_by for a query. Without words every text-match score is equal, so
 * relevance is the tie-break alone (as in Postgres, where the score is 0).
 */
export function sortBy(sort: SearchQuery['sort'], hasWords: boolean): string {
  return sort === 'relevance' && !hasWords ? 'sortId:desc' : SORT_BY[sort];
}

/** A filter value in backticks (Typesense's quoting); a backtick cannot be escaped, so it is dropped. */
function quote(value: string): string {
  return `\`${value.replaceAll('`', '')}\``;
}

function integer(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer`);
  return value;
}

/**
 * filter_by for the query's filters. `includeInStock: false` leaves the
 * inStock condition out: the inStock facet is counted without it, like Postgres'.
 */
export function buildFilter(
  query: Pick<SearchQuery, 'category' | 'minPrice' | 'maxPrice' | 'inStock'>,
  options: { includeInStock?: boolean } = {},
): string {
  const parts: string[] = [];
  if (query.category) parts.push(`categoryPath:=${quote(query.category)}`);
  const min = query.minPrice === undefined ? undefined : integer(query.minPrice, 'minPrice');
  const max = query.maxPrice === undefined ? undefined : integer(query.maxPrice, 'maxPrice');
  // One condition on the array, so a single variant must be inside the range.
  if (min !== undefined && max !== undefined) parts.push(`variantPrices:[${min}..${max}]`);
  else if (min !== undefined) parts.push(`variantPrices:>=${min}`);
  else if (max !== undefined) parts.push(`variantPrices:<=${max}`);
  if (options.includeInStock !== false && query.inStock !== undefined) parts.push(`inStock:=${query.inStock}`);
  return parts.join(' && ');
}

function and(...filters: string[]): string {
  return filters.filter(Boolean).join(' && ');
}

export interface PageWindow {
  /** per_page of every page fetched. */
  perPage: number;
  /** 1-based pages to fetch, consecutive (one, or two when no single page covers the window). */
  pages: number[];
  /** Hits to drop from the concatenated pages before taking `limit`. */
  skip: number;
}

/**
 * Typesense pages by page/per_page; the API pages by offset/limit with any
 * offset. The smallest per_page (≤ 250) whose one page covers
 * [offset, offset + limit) is used; when there is none, two consecutive pages
 * of `limit` hits cover it.
 */
export function pageWindow(offset: number, limit: number): PageWindow {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new Error('offset must be a non-negative integer');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PER_PAGE) throw new Error(`limit must be 1..${MAX_PER_PAGE}`);
  const last = offset + limit - 1;
  for (let perPage = limit; perPage <= MAX_PER_PAGE; perPage++) {
    const index = Math.floor(offset / perPage);
    if (Math.floor(last / perPage) === index) return { perPage, pages: [index + 1], skip: offset - index * perPage };
  }
  const index = Math.floor(offset / limit);
  return { perPage: limit, pages: [index + 1, index + 2], skip: offset - index * limit };
}

/** One search of a multi_search, as sent (infix as its comma-separated string, which the client's types cannot express for a string variable). */
export type TypesenseSearchRequest = Omit<MultiSearchRequestSchema<TypesenseProductDocument, string>, 'infix'> & { infix?: string };

/** Which request of a multi_search answers what. */
export interface SearchPlan {
  searches: TypesenseSearchRequest[];
  /** Positions of the hit pages (the first also carries total and the value facets). */
  pageSearches: number[];
  skip: number;
  limit: number;
  facets: SearchQuery['facets'];
  /** Position of the search that counts inStock without the inStock filter (null: the first page's facets do). */
  inStockFacetSearch: number | null;
  /** Positions of the per-bucket counts, in PRICE_BUCKETS order (null: price facet not asked). */
  priceBucketSearches: number[] | null;
  /** The locale hits are named in. */
  locale?: SearchQuery['locale'];
}

/**
 * One multi_search answers a query: the hit page(s) with total and the
 * category/brand/inStock facets; when inStock is filtered, one more search
 * counts inStock without that filter (Postgres counts it over the unfiltered
 * set, so both values always come back); and per price bucket a search with
 * per_page 0 whose `found` is the bucket's count. Buckets are counted this way
 * rather than with range facets (`price(a:[0, 1000], …)`, newer servers only)
 * because the counts are then exact on any server version: range facets have
 * had bugs with filter_by and with max_facet_values truncating their counts.
 */
export function buildSearchPlan(query: SearchQuery, collection: string): SearchPlan {
  // Folded and in Latin letters, as `searchText` is indexed: every apostrophe form and Cyrillic-typed Uzbek find Latin content.
  const q = query.q?.trim() ? latinise(query.q.trim()) : '*';
  const filter = buildFilter(query);
  const common: TypesenseSearchRequest = {
    collection,
    q,
    query_by: QUERY_BY,
    query_by_weights: QUERY_BY_WEIGHTS,
    num_typos: 2,
    infix: INFIX,
    // Every word has to match (with typos), as with Postgres' websearch_to_tsquery.
    drop_tokens_threshold: 0,
    ...(filter ? { filter_by: filter } : {}),
  };
  const countOnly = { per_page: 0, page: 1 } as const;
  const want = (facet: SearchQuery['facets'][number]) => query.facets.includes(facet);
  const inStockSeparately = want('inStock') && query.inStock !== undefined;
  const valueFacets = [
    ...(want('category') ? ['categoryId'] : []),
    ...(want('brand') ? ['brand'] : []),
    ...(want('inStock') && !inStockSeparately ? ['inStock'] : []),
  ];

  const span = pageWindow(query.offset, query.limit);
  const searches: TypesenseSearchRequest[] = span.pages.map((page, i) => ({
    ...common,
    sort_by: sortBy(query.sort, q !== '*'),
    page,
    per_page: span.perPage,
    include_fields: HIT_FIELDS,
    ...(i === 0 && valueFacets.length ? { facet_by: valueFacets.join(','), max_facet_values: MAX_FACET_VALUES } : {}),
  }));
  const pageSearches = searches.map((_, i) => i);

  let inStockFacetSearch: number | null = null;
  if (inStockSeparately) {
    const withoutInStock = buildFilter(query, { includeInStock: false });
    const { filter_by: _filterBy, ...rest } = common;
    inStockFacetSearch = searches.push({ ...rest, ...(withoutInStock ? { filter_by: withoutInStock } : {}), ...countOnly, facet_by: 'inStock' }) - 1;
  }

  let priceBucketSearches: number[] | null = null;
  if (want('price')) {
    priceBucketSearches = PRICE_BUCKETS.map((bucket) => {
      const range = bucket.to === null ? `price:>=${bucket.from}` : `price:>=${bucket.from} && price:<${bucket.to}`;
      return searches.push({ ...common, filter_by: and(filter, range), ...countOnly }) - 1;
    });
  }

  return {
    searches,
    pageSearches,
    skip: span.skip,
    limit: query.limit,
    facets: query.facets,
    inStockFacetSearch,
    priceBucketSearches,
    locale: query.locale,
  };
}
