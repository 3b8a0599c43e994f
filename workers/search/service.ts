import { z } from 'zod';
import type { Deps } from '../../shared/context';
import { readThrough } from '../../shared/cache';
import type { Locale } from '../../shared/locale';
import { decodeCursor, encodeCursor } from '../../shared/pagination';
import type { SearchEngine } from './engine';
import { PostgresSearch } from './postgres';
import type { SearchQueryInput } from './schemas';
import { TypesenseSearch } from './typesense';

/** Typesense when it is configured, Postgres otherwise. */
export function searchEngineFor(deps: Deps): SearchEngine {
  const { TYPESENSE_URL, TYPESENSE_API_KEY, TYPESENSE_COLLECTION } = deps.config;
  if (TYPESENSE_URL && TYPESENSE_API_KEY) {
    return new TypesenseSearch({ url: TYPESENSE_URL, apiKey: TYPESENSE_API_KEY, collection: TYPESENSE_COLLECTION });
  }
  return new PostgresSearch(deps.db);
}

const OffsetCursor = z.object({ o: z.number().int().min(0).max(10_000) });

/** `colo`: the caller may be answered from the colo within the freshness contract (shared/cache.ts). */
export async function searchProducts(
  deps: Deps,
  input: SearchQueryInput,
  engine = searchEngineFor(deps),
  options: { colo?: boolean; locale?: Locale } = {},
) {
  const offset = decodeCursor(input.cursor, OffsetCursor)?.o ?? 0;
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  // Answers are cached with the catalog (any product write makes them outdated), per locale (hits' names are in it).
  const key = `search:${engine.name}:${locale}:${JSON.stringify({ ...input, locale: undefined, cursor: offset })}`;
  const cached = await readThrough(deps, 'catalog', key, () =>
    run(engine, input, offset, locale),
    { colo: options.colo },
  );
  if (!cached) throw new Error('search returned nothing');
  return cached.body;
}

async function run(engine: SearchEngine, input: SearchQueryInput, offset: number, locale: Locale) {
  const result = await engine.search({
    q: input.q,
    category: input.category,
    minPrice: input.minPrice,
    maxPrice: input.maxPrice,
    inStock: input.inStock,
    sort: input.sort,
    facets: input.facets,
    limit: input.limit,
    offset,
    locale,
  });
  const next = offset + result.hits.length;
  return {
    ...result,
    nextCursor: next < result.total && result.hits.length > 0 ? encodeCursor({ o: next }) : null,
    engine: engine.name,
  };
}
