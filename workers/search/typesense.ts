import { Client, Errors } from 'typesense';
import type { CollectionCreateSchema } from 'typesense/lib/Typesense/Collections';
import type { ImportResponseFail } from 'typesense/lib/Typesense/Documents';
import type { MultiSearchRequestSchema } from 'typesense/lib/Typesense/Types';
import { AppError, DependencyUnavailable } from '../../shared/errors';
import {
  PRICE_BUCKETS,
  type FacetBucket,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './engine';

/**
 * Typesense implementation of the search engine, on the official `typesense`
 * client. The client speaks HTTP through axios; inside Workers axios must use
 * its `fetch` adapter (the default one needs Node's http module), which the
 * client exposes as `axiosAdapter: 'fetch'`.
 *
 * The pure parts (document mapping, query → request plan, response → result)
 * are exported functions so they can be tested without a server.
 */

export interface TypesenseOptions {
  url: string;
  apiKey: string;
  collection: string;
}

/** Typesense's cap on per_page. */
export const MAX_PER_PAGE = 250;
/** Postgres returns the 50 most frequent categories and brands; so does this. */
export const MAX_FACET_VALUES = 50;
/** Searched fields, most important first (attribute values mirror Postgres' weight-C tsvector part). */
export const QUERY_BY = 'name,description,brand,attributeValues';
const QUERY_BY_WEIGHTS = '4,2,2,1';
/** Infix (substring) matching on the name only, when the normal match finds nothing. */
const INFIX = 'fallback,off,off,off';
/** The document fields a hit needs (attributes, description and the sort helpers stay on the server). */
const HIT_FIELDS = 'id,slug,name,categoryId,sellerId,price,currency,brand,image,inStock,popularity,createdAt';

/** What is stored in Typesense per product. */
export interface TypesenseProductDocument {
  id: string;
  /** Copy of the id that can be sorted on (Typesense cannot sort by `id`): the tie-break, as `id` is in Postgres. */
  sortId: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  categoryPath: string[];
  sellerId: string;
  /** Lowest variant price, minor units: what hits show, sorts and the price facet use. */
  price: number;
  /** Every variant's price: the price filter matches when any variant is in range (as in Postgres). */
  variantPrices: number[];
  currency: string;
  brand?: string;
  image?: string;
  inStock: boolean;
  popularity: number;
  /** Epoch milliseconds (sortable); hits turn it back into the ISO string. */
  createdAt: number;
  /** String and number attribute values, searched (as Postgres' tsvector does with attributes). */
  attributeValues: string[];
  /** The attributes as they are: stored and returned, not indexed (not in the schema). */
  attributes: Record<string, string | number | boolean>;
}

/** The collection schema (the same for the live collection and each reindex). */
export function productCollectionSchema(name: string): CollectionCreateSchema {
  return {
    name,
    fields: [
      { name: 'sortId', type: 'string', sort: true },
      { name: 'slug', type: 'string' },
      { name: 'name', type: 'string', infix: true },
      { name: 'description', type: 'string' },
      { name: 'categoryId', type: 'string', facet: true },
      { name: 'categoryPath', type: 'string[]', facet: true },
      { name: 'sellerId', type: 'string' },
      { name: 'price', type: 'int64', facet: true, sort: true },
      { name: 'variantPrices', type: 'int64[]' },
      { name: 'currency', type: 'string' },
      { name: 'brand', type: 'string', facet: true, optional: true },
      { name: 'image', type: 'string', index: false, optional: true },
      { name: 'inStock', type: 'bool', facet: true },
      { name: 'popularity', type: 'int32', sort: true },
      { name: 'createdAt', type: 'int64', sort: true },
      { name: 'attributeValues', type: 'string[]', optional: true },
    ],
  };
}

/** SearchDocument (what documents.ts loads) → what Typesense stores. */
export function toTypesenseDocument(doc: SearchDocument & { variantPrices?: number[] }): TypesenseProductDocument {
  const createdAt = Date.parse(doc.createdAt);
  if (Number.isNaN(createdAt)) throw new Error(`product ${doc.id}: createdAt '${doc.createdAt}' is not a date`);
  const attributes = doc.attributes ?? {};
  const out: TypesenseProductDocument = {
    id: doc.id,
    sortId: doc.id,
    slug: doc.slug,
    name: doc.name,
    description: doc.description ?? '',
    categoryId: doc.categoryId,
    categoryPath: doc.categoryPath?.length ? doc.categoryPath : [doc.categoryId],
    sellerId: doc.sellerId,
    price: Number(doc.price),
    variantPrices: doc.variantPrices?.length ? doc.variantPrices.map(Number) : [Number(doc.price)],
    currency: doc.currency,
    inStock: Boolean(doc.inStock),
    popularity: Number(doc.popularity ?? 0),
    createdAt,
    attributeValues: Object.values(attributes)
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .map(String),
    attributes,
  };
  // Optional fields are left out rather than sent as null.
  if (doc.brand !== null && doc.brand !== undefined) out.brand = doc.brand;
  if (doc.image !== null && doc.image !== undefined) out.image = doc.image;
  return out;
}

/** A stored document (restricted to HIT_FIELDS) → the hit shape both engines answer. */
export function fromTypesenseDocument(doc: Record<string, unknown>): SearchHit {
  return {
    id: String(doc.id),
    slug: String(doc.slug),
    name: String(doc.name),
    categoryId: String(doc.categoryId),
    sellerId: String(doc.sellerId),
    price: Number(doc.price),
    currency: String(doc.currency),
    brand: typeof doc.brand === 'string' ? doc.brand : null,
    image: typeof doc.image === 'string' ? doc.image : null,
    inStock: doc.inStock === true,
    popularity: Number(doc.popularity ?? 0),
    createdAt: new Date(Number(doc.createdAt)).toISOString(),
  };
}

/** sort_by per sort; every order ends on sortId so pages never overlap (same tie-breaks as Postgres). */
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
  const q = query.q?.trim() || '*';
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

  return { searches, pageSearches, skip: span.skip, limit: query.limit, facets: query.facets, inStockFacetSearch, priceBucketSearches };
}

/** The parts of one multi_search result this engine reads (a failed search has only code and error). */
export interface TypesenseResponse {
  found?: number;
  hits?: Array<{ document: Record<string, unknown> }>;
  facet_counts?: Array<{ field_name: string; counts: Array<{ value: string; count: number }> }>;
  error?: string;
  code?: number;
}

/** Facet values most frequent first, then by value (Postgres' order). */
function facetValues(response: TypesenseResponse | undefined, field: string): FacetBucket[] {
  const counts = response?.facet_counts?.find((f) => f.field_name === field)?.counts ?? [];
  return counts
    .map((c) => ({ value: String(c.value), count: Number(c.count) }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, MAX_FACET_VALUES);
}

/** The multi_search answers → the same result Postgres gives. */
export function mapSearchResults(plan: SearchPlan, responses: TypesenseResponse[]): SearchResult {
  responses.forEach((r, i) => {
    if (r?.error !== undefined || (r?.code !== undefined && r.code >= 400)) {
      throw new TypesenseRequestFailed(`search ${i} failed: ${r.error ?? 'unknown error'}`, r.code);
    }
  });
  const first = responses[plan.pageSearches[0] ?? 0];
  if (!first) throw new TypesenseRequestFailed('multi_search answered fewer results than searches sent', undefined);
  const hits = plan.pageSearches
    .flatMap((i) => responses[i]?.hits ?? [])
    .slice(plan.skip, plan.skip + plan.limit)
    .map((hit) => fromTypesenseDocument(hit.document));

  const facets: SearchResult['facets'] = {};
  const want = (facet: SearchQuery['facets'][number]) => plan.facets.includes(facet);
  if (want('category')) facets.category = facetValues(first, 'categoryId');
  if (want('brand')) facets.brand = facetValues(first, 'brand');
  if (want('price') && plan.priceBucketSearches) {
    facets.price = PRICE_BUCKETS.map((bucket, i) => ({
      from: bucket.from,
      to: bucket.to,
      count: Number(responses[plan.priceBucketSearches?.[i] ?? -1]?.found ?? 0),
    }));
  }
  if (want('inStock')) {
    const source = plan.inStockFacetSearch === null ? first : responses[plan.inStockFacetSearch];
    const counts = facetValues(source, 'inStock');
    const count = (value: string) => counts.find((c) => c.value === value)?.count ?? 0;
    facets.inStock = [
      { value: true, count: count('true') },
      { value: false, count: count('false') },
    ];
  }
  return { hits, facets, total: Number(first.found ?? 0) };
}

/** A Typesense failure without the client's request config (which holds the API key). */
export class TypesenseRequestFailed extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'TypesenseRequestFailed';
  }
}

/** Documents Typesense refused in an import (a schema or data problem, not an outage). */
export class TypesenseImportRejected extends Error {
  constructor(
    readonly failures: Array<{ id?: string; code?: number; error: string }>,
    total: number,
  ) {
    const sample = failures
      .slice(0, 3)
      .map((f) => `${f.id ?? '?'}: ${f.error}`)
      .join('; ');
    super(`Typesense rejected ${failures.length} of ${total} documents (${sample})`);
    this.name = 'TypesenseImportRejected';
  }
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof TypesenseRequestFailed) return err.status;
  if (err instanceof Errors.TypesenseError) return err.httpStatus;
  return undefined;
}

/**
 * Any failure talking to Typesense (network, timeout, 5xx, a missing
 * collection, a refused key…) becomes DependencyUnavailable('Search'): the API
 * answers 503 with Retry-After, never 500. The cause keeps the status and
 * message for the log, but not the request (its headers carry the API key).
 */
export function toSearchError(err: unknown): Error {
  if (err instanceof AppError || err instanceof TypesenseImportRejected) return err;
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof TypesenseRequestFailed ? err : new TypesenseRequestFailed(`Typesense: ${message}`, status);
  return new DependencyUnavailable('Search', cause);
}

/** A client for one Typesense endpoint, on fetch (Workers have no Node http). */
export function createTypesenseClient(options: Pick<TypesenseOptions, 'url' | 'apiKey'>, tuning: { timeoutSeconds?: number; numRetries?: number } = {}): Client {
  return new Client({
    nodes: [{ url: options.url.replace(/\/+$/, '') }],
    apiKey: options.apiKey,
    axiosAdapter: 'fetch',
    connectionTimeoutSeconds: tuning.timeoutSeconds ?? 5,
    numRetries: tuning.numRetries ?? 1,
    retryIntervalSeconds: 0.1,
    logLevel: 'silent',
  });
}

/** Creates the collection with the product schema unless it (or an alias of that name) exists. */
export async function ensureCollection(client: Client, name: string): Promise<'created' | 'exists'> {
  try {
    await client.collections(name).retrieve();
    return 'exists';
  } catch (err) {
    if (!(err instanceof Errors.ObjectNotFound)) throw toSearchError(err);
  }
  try {
    await client.collections().create(productCollectionSchema(name));
    return 'created';
  } catch (err) {
    if (err instanceof Errors.ObjectAlreadyExists) return 'exists';
    throw toSearchError(err);
  }
}

export class TypesenseSearch implements SearchEngine {
  readonly name = 'typesense' as const;
  private readonly client: Client;

  constructor(
    private readonly options: TypesenseOptions,
    client?: Client,
  ) {
    this.client = client ?? createTypesenseClient(options);
  }

  /** Creates the configured collection if missing (the reindex script normally does this). */
  ensureCollection(): Promise<'created' | 'exists'> {
    return ensureCollection(this.client, this.options.collection);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const plan = buildSearchPlan(query, this.options.collection);
    try {
      const searches = plan.searches as MultiSearchRequestSchema<TypesenseProductDocument, string>[];
      const response = await this.client.multiSearch.perform({ searches });
      return mapSearchResults(plan, response.results as unknown as TypesenseResponse[]);
    } catch (err) {
      throw toSearchError(err);
    }
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    const docs = documents.map(toTypesenseDocument);
    try {
      await this.client.collections<TypesenseProductDocument>(this.options.collection).documents().import(docs, { action: 'upsert' });
    } catch (err) {
      if (err instanceof Errors.ImportError) {
        const failures = err.importResults
          .filter((r): r is ImportResponseFail => !r.success)
          .map((r) => ({ id: r.id ?? (r.document as { id?: string } | undefined)?.id, code: r.code, error: r.error }));
        throw new TypesenseImportRejected(failures, docs.length);
      }
      throw toSearchError(err);
    }
  }

  async remove(productIds: string[]): Promise<void> {
    const documents = this.client.collections(this.options.collection);
    await Promise.all(
      productIds.map(async (id) => {
        try {
          await documents.documents(id).delete({ ignore_not_found: true });
        } catch (err) {
          // Already gone (or never indexed): nothing to remove.
          if (err instanceof Errors.ObjectNotFound) return;
          throw toSearchError(err);
        }
      }),
    );
  }
}
