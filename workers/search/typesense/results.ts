/**
 * Typesense multi_search answers → SearchResult (hits, facet buckets, total).
 */
import { PRICE_BUCKETS, type FacetBucket, type SearchQuery, type SearchResult } from '../engine';
import { fromTypesenseDocument, MAX_FACET_VALUES } from './documents';
import { TypesenseRequestFailed } from './errors';
import type { SearchPlan } from './query';

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
    .map((hit) => fromTypesenseDocument(hit.document, plan.locale));

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
