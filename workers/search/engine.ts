/**
 * Product search behind one interface with two implementations: Postgres
 * full-text + trigram similarity (the default) and Typesense (when
 * TYPESENSE_URL and TYPESENSE_API_KEY are set). Both answer the same shape.
 */

export const FACETS = ['category', 'brand', 'price', 'inStock'] as const;
export type FacetName = (typeof FACETS)[number];

export const SEARCH_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'popular'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Price facet buckets in minor units: [from, to). The last is open-ended. */
export const PRICE_BUCKETS: Array<{ from: number; to: number | null }> = [
  { from: 0, to: 1_000 },
  { from: 1_000, to: 5_000 },
  { from: 5_000, to: 10_000 },
  { from: 10_000, to: 50_000 },
  { from: 50_000, to: 100_000 },
  { from: 100_000, to: null },
];

export interface SearchQuery {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort: SearchSort;
  facets: FacetName[];
  limit: number;
  offset: number;
  /** The locale hits' names are in (each falling back to the default-locale name); the default locale when absent. */
  locale?: 'uz' | 'ru' | 'en';
}

export interface SearchHit {
  id: string;
  slug: string;
  name: string;
  categoryId: string;
  sellerId: string;
  price: number;
  currency: string;
  brand: string | null;
  image: string | null;
  inStock: boolean;
  popularity: number;
  createdAt: string;
}

export interface FacetBucket {
  value: string;
  count: number;
}

export interface PriceBucket {
  from: number;
  to: number | null;
  count: number;
}

export interface SearchFacets {
  category?: FacetBucket[];
  brand?: FacetBucket[];
  price?: PriceBucket[];
  inStock?: Array<{ value: boolean; count: number }>;
}

export interface SearchResult {
  hits: SearchHit[];
  facets: SearchFacets;
  total: number;
}

/** What an index holds per product (Typesense); Postgres reads its tables directly. */
export interface SearchDocument extends SearchHit {
  description: string;
  /** Name and description in other locales (products.translations): indexed per locale. */
  translations?: Partial<Record<'uz' | 'ru' | 'en', { name?: string; description?: string }>>;
  /** The category and all its ancestors, so a filter on a parent finds its descendants' products. */
  categoryPath: string[];
  attributes: Record<string, string | number | boolean>;
  /** Every variant's price: a price filter matches a product when any variant is in range. */
  variantPrices?: number[];
}

export interface SearchEngine {
  readonly name: 'postgres' | 'typesense';
  search(query: SearchQuery): Promise<SearchResult>;
  /** Adds or replaces these products in the index (no-op for Postgres). */
  upsert(documents: SearchDocument[]): Promise<void>;
  /** Removes products from the index (no-op for Postgres). */
  remove(productIds: string[]): Promise<void>;
}
