/**
 * The pure halves of the Typesense engine, without a server: SearchQuery →
 * multi_search requests, Typesense answers → SearchResult, SearchDocument →
 * stored document, and error mapping.
 */
import { Errors } from 'typesense';
import { describe, expect, it } from 'vitest';
import { type AppError, DependencyUnavailable, NotFound } from '../../shared/errors';
import { FACETS, PRICE_BUCKETS, SEARCH_SORTS, type SearchDocument, type SearchQuery } from '../../workers/search/engine';
import {
  buildFilter,
  buildSearchPlan,
  fromTypesenseDocument,
  mapSearchResults,
  MAX_PER_PAGE,
  pageWindow,
  productCollectionSchema,
  SORT_BY,
  toSearchError,
  toTypesenseDocument,
  TypesenseRequestFailed,
  type TypesenseResponse,
} from '../../workers/search/typesense';

const CAT = '01930000-0000-7000-8000-0000000000c1';
const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({ sort: 'relevance', facets: [], limit: 20, offset: 0, ...overrides });

/** What Typesense does with page/per_page over a result list. */
const typesensePage = <T>(items: T[], page: number, perPage: number) => items.slice((page - 1) * perPage, page * perPage);

describe('pageWindow: offset/limit → page/per_page', () => {
  it('uses per_page = limit when the offset is a multiple of it', () => {
    expect(pageWindow(0, 20)).toEqual({ perPage: 20, pages: [1], skip: 0 });
    expect(pageWindow(40, 20)).toEqual({ perPage: 20, pages: [3], skip: 0 });
    expect(pageWindow(9_900, 100)).toEqual({ perPage: 100, pages: [100], skip: 0 });
  });

  it('widens the page to cover an offset that is not a multiple of the limit', () => {
    expect(pageWindow(5, 10)).toEqual({ perPage: 15, pages: [1], skip: 5 });
    expect(pageWindow(3, 3)).toEqual({ perPage: 3, pages: [2], skip: 0 });
    expect(pageWindow(7, 5)).toEqual({ perPage: 6, pages: [2], skip: 1 });
  });

  it('falls back to two pages when no single page of at most 250 covers the window', () => {
    expect(pageWindow(10, 250)).toEqual({ perPage: 250, pages: [1, 2], skip: 10 });
    expect(pageWindow(260, 250)).toEqual({ perPage: 250, pages: [2, 3], skip: 10 });
  });

  it('always yields exactly items[offset, offset + limit) of the result list', () => {
    const items = Array.from({ length: 1_200 }, (_, i) => i);
    for (const limit of [1, 2, 7, 20, 99, 100, 250]) {
      for (let offset = 0; offset <= 1_100; offset += limit === 1 ? 37 : 13) {
        const w = pageWindow(offset, limit);
        expect(w.perPage).toBeGreaterThanOrEqual(limit);
        expect(w.perPage).toBeLessThanOrEqual(MAX_PER_PAGE);
        expect(w.pages.length).toBeLessThanOrEqual(2);
        const fetched = w.pages.flatMap((p) => typesensePage(items, p, w.perPage));
        expect(fetched.slice(w.skip, w.skip + limit), `offset ${offset} limit ${limit}`).toEqual(items.slice(offset, offset + limit));
      }
    }
  });

  it('refuses what Typesense cannot page', () => {
    expect(() => pageWindow(-1, 10)).toThrow();
    expect(() => pageWindow(0, 0)).toThrow();
    expect(() => pageWindow(0, 251)).toThrow();
    expect(() => pageWindow(1.5, 10)).toThrow();
  });
});

describe('buildFilter', () => {
  it('filters the category through categoryPath, so descendants match', () => {
    expect(buildFilter({ category: CAT })).toBe(`categoryPath:=\`${CAT}\``);
  });

  it('filters prices on the variant prices, bounds included', () => {
    expect(buildFilter({ minPrice: 1_000, maxPrice: 5_000 })).toBe('variantPrices:[1000..5000]');
    expect(buildFilter({ minPrice: 1_000 })).toBe('variantPrices:>=1000');
    expect(buildFilter({ maxPrice: 5_000 })).toBe('variantPrices:<=5000');
    expect(buildFilter({ minPrice: 0 })).toBe('variantPrices:>=0');
    expect(() => buildFilter({ minPrice: 1.5 })).toThrow();
  });

  it('filters stock both ways and can leave it out', () => {
    expect(buildFilter({ inStock: true })).toBe('inStock:=true');
    expect(buildFilter({ inStock: false })).toBe('inStock:=false');
    expect(buildFilter({ inStock: false }, { includeInStock: false })).toBe('');
  });

  it('joins conditions with && and quotes values safely', () => {
    expect(buildFilter({ category: CAT, minPrice: 1, maxPrice: 2, inStock: true })).toBe(
      `categoryPath:=\`${CAT}\` && variantPrices:[1..2] && inStock:=true`,
    );
    expect(buildFilter({ category: 'a`b || x:=1' })).toBe('categoryPath:=`ab || x:=1`');
    expect(buildFilter({})).toBe('');
  });
});

describe('buildSearchPlan', () => {
  it('searches the words (or everything) with typo tolerance on the searched fields', () => {
    const [main] = buildSearchPlan(query({ q: '  iphnoe  ' }), 'products').searches;
    expect(main).toMatchObject({ collection: 'products', q: 'iphnoe', query_by: 'name,nameRu,nameEn,description,brand,attributeValues,searchText', num_typos: 2 });
    expect(main!.infix).toBe('fallback,off,off,off,off,off,off');
    expect(buildSearchPlan(query({ q: '   ' }), 'products').searches[0]!.q).toBe('*');
    expect(buildSearchPlan(query(), 'products').searches[0]!.q).toBe('*');
  });

  it('maps every sort, each ending on the id tie-break', () => {
    for (const sort of SEARCH_SORTS) {
      const sortBy = buildSearchPlan(query({ sort, q: 'phone' }), 'c').searches[0]!.sort_by;
      expect(sortBy).toBe(SORT_BY[sort]);
      expect(sortBy).toMatch(/,sortId:(asc|desc)$/);
    }
    // Without words there is no text score: relevance is the tie-break alone, newest id first.
    expect(buildSearchPlan(query({ sort: 'relevance' }), 'c').searches[0]!.sort_by).toBe('sortId:desc');
    expect(buildSearchPlan(query({ sort: 'price_asc' }), 'c').searches[0]!.sort_by).toBe('price:asc,sortId:asc');
    expect(SORT_BY).toEqual({
      relevance: '_text_match:desc,sortId:desc',
      newest: 'createdAt:desc,sortId:desc',
      price_asc: 'price:asc,sortId:asc',
      price_desc: 'price:desc,sortId:desc',
      popular: 'popularity:desc,sortId:desc',
    });
  });

  it('sends one search when no facet is asked', () => {
    const plan = buildSearchPlan(query({ category: CAT, limit: 10, offset: 20 }), 'products');
    expect(plan.searches).toHaveLength(1);
    expect(plan.searches[0]).toMatchObject({ page: 3, per_page: 10, filter_by: `categoryPath:=\`${CAT}\`` });
    expect(plan.searches[0]).not.toHaveProperty('facet_by');
    expect(plan).toMatchObject({ pageSearches: [0], skip: 0, limit: 10, inStockFacetSearch: null, priceBucketSearches: null });
  });

  it('counts the value facets on the page search and each price bucket with a count-only search', () => {
    const plan = buildSearchPlan(query({ facets: [...FACETS], minPrice: 500 }), 'products');
    expect(plan.searches).toHaveLength(1 + PRICE_BUCKETS.length);
    expect(plan.searches[0]).toMatchObject({ facet_by: 'categoryId,brand,inStock', max_facet_values: 50, filter_by: 'variantPrices:>=500' });
    expect(plan.inStockFacetSearch).toBeNull();
    expect(plan.priceBucketSearches).toEqual([1, 2, 3, 4, 5, 6]);
    expect(plan.priceBucketSearches!.map((i) => plan.searches[i]!.filter_by)).toEqual([
      'variantPrices:>=500 && price:>=0 && price:<1000',
      'variantPrices:>=500 && price:>=1000 && price:<5000',
      'variantPrices:>=500 && price:>=5000 && price:<10000',
      'variantPrices:>=500 && price:>=10000 && price:<50000',
      'variantPrices:>=500 && price:>=50000 && price:<100000',
      'variantPrices:>=500 && price:>=100000',
    ]);
    for (const i of plan.priceBucketSearches!) {
      expect(plan.searches[i]).toMatchObject({ per_page: 0, q: '*' });
      expect(plan.searches[i]).not.toHaveProperty('facet_by');
    }
  });

  it('counts inStock without the inStock filter when it is filtered, the rest with it', () => {
    const plan = buildSearchPlan(query({ q: 'case', category: CAT, inStock: true, facets: ['inStock', 'brand', 'price'] }), 'products');
    expect(plan.searches[0]).toMatchObject({ facet_by: 'brand', filter_by: `categoryPath:=\`${CAT}\` && inStock:=true` });
    expect(plan.inStockFacetSearch).toBe(1);
    expect(plan.searches[1]).toMatchObject({ q: 'case', per_page: 0, facet_by: 'inStock', filter_by: `categoryPath:=\`${CAT}\`` });
    expect(plan.searches[2]!.filter_by).toBe(`categoryPath:=\`${CAT}\` && inStock:=true && price:>=0 && price:<1000`);
  });

  it('leaves filter_by out of the inStock count when inStock was the only filter', () => {
    const plan = buildSearchPlan(query({ inStock: false, facets: ['inStock'] }), 'p');
    expect(plan.searches[plan.inStockFacetSearch!]).not.toHaveProperty('filter_by');
  });

  it('fetches the page(s) covering an arbitrary offset, faceting only once', () => {
    const one = buildSearchPlan(query({ offset: 5, limit: 10, facets: ['brand'] }), 'p');
    expect(one.searches[0]).toMatchObject({ page: 1, per_page: 15, facet_by: 'brand' });
    expect(one.skip).toBe(5);
    const two = buildSearchPlan(query({ offset: 10, limit: 250, facets: ['brand'] }), 'p');
    expect(two.pageSearches).toEqual([0, 1]);
    expect(two.searches[0]).toMatchObject({ page: 1, per_page: 250, facet_by: 'brand' });
    expect(two.searches[1]).toMatchObject({ page: 2, per_page: 250 });
    expect(two.searches[1]).not.toHaveProperty('facet_by');
  });
});

const stored = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  slug: `slug-${id}`,
  name: `Name ${id}`,
  categoryId: CAT,
  sellerId: 'seller-1',
  price: 1_999,
  currency: 'USD',
  inStock: false,
  popularity: 4,
  createdAt: Date.parse('2026-01-02T03:04:05.678Z'),
  ...extra,
});

describe('mapSearchResults', () => {
  it('takes the window out of the page(s) and maps each hit', () => {
    const plan = buildSearchPlan(query({ offset: 10, limit: 250 }), 'p');
    const page1 = Array.from({ length: 250 }, (_, i) => ({ document: stored(`a${i}`) }));
    const page2 = Array.from({ length: 20 }, (_, i) => ({ document: stored(`b${i}`, { brand: 'Acme', image: 'https://img/x.jpg' }) }));
    const result = mapSearchResults(plan, [
      { found: 270, hits: page1 },
      { found: 270, hits: page2 },
    ]);
    expect(result.total).toBe(270);
    expect(result.hits).toHaveLength(250);
    expect(result.hits[0]!.id).toBe('a10');
    expect(result.hits[239]!.id).toBe('a249');
    expect(result.hits[240]!.id).toBe('b0');
    expect(result.hits[249]!.id).toBe('b9');
    expect(result.hits[0]).toEqual({
      id: 'a10',
      slug: 'slug-a10',
      name: 'Name a10',
      categoryId: CAT,
      sellerId: 'seller-1',
      price: 1_999,
      currency: 'USD',
      brand: null,
      image: null,
      inStock: false,
      popularity: 4,
      createdAt: '2026-01-02T03:04:05.678Z',
    });
    expect(result.hits[240]).toMatchObject({ brand: 'Acme', image: 'https://img/x.jpg' });
    expect(result.facets).toEqual({});
  });

  it('builds every facet in the Postgres shape and order', () => {
    const plan = buildSearchPlan(query({ facets: [...FACETS] }), 'p');
    const result = mapSearchResults(plan, [
      {
        found: 9,
        hits: [],
        facet_counts: [
          {
            field_name: 'categoryId',
            counts: [
              { value: 'cat-b', count: 2 },
              { value: 'cat-c', count: 5 },
              { value: 'cat-a', count: 2 },
            ],
          },
          { field_name: 'brand', counts: [{ value: 'Zeta', count: 1 }, { value: 'Apple', count: 1 }, { value: 'Acme', count: 7 }] },
          // Only values present come back: false has none here.
          { field_name: 'inStock', counts: [{ value: 'true', count: 9 }] },
        ],
      },
      ...[3, 0, 1, 0, 4, 1].map((found) => ({ found })),
    ]);
    expect(result.total).toBe(9);
    expect(result.facets).toEqual({
      category: [
        { value: 'cat-c', count: 5 },
        { value: 'cat-a', count: 2 },
        { value: 'cat-b', count: 2 },
      ],
      brand: [
        { value: 'Acme', count: 7 },
        { value: 'Apple', count: 1 },
        { value: 'Zeta', count: 1 },
      ],
      price: [
        { from: 0, to: 1_000, count: 3 },
        { from: 1_000, to: 5_000, count: 0 },
        { from: 5_000, to: 10_000, count: 1 },
        { from: 10_000, to: 50_000, count: 0 },
        { from: 50_000, to: 100_000, count: 4 },
        { from: 100_000, to: null, count: 1 },
      ],
      inStock: [
        { value: true, count: 9 },
        { value: false, count: 0 },
      ],
    });
  });

  it('reads the inStock counts from their own search when inStock is filtered', () => {
    const plan = buildSearchPlan(query({ inStock: false, facets: ['inStock'] }), 'p');
    const result = mapSearchResults(plan, [
      { found: 2, hits: [], facet_counts: [{ field_name: 'inStock', counts: [{ value: 'false', count: 2 }] }] },
      { found: 7, facet_counts: [{ field_name: 'inStock', counts: [{ value: 'false', count: 2 }, { value: 'true', count: 5 }] }] },
    ]);
    expect(result.total).toBe(2);
    expect(result.facets.inStock).toEqual([
      { value: true, count: 5 },
      { value: false, count: 2 },
    ]);
  });

  it('fails on a search that failed inside the multi_search', () => {
    const plan = buildSearchPlan(query({ facets: ['price'] }), 'p');
    const responses: TypesenseResponse[] = [{ found: 1, hits: [] }, ...PRICE_BUCKETS.map(() => ({ found: 0 }))];
    responses[3] = { code: 503, error: 'Not Ready or Lagging' };
    expect(() => mapSearchResults(plan, responses)).toThrow(TypesenseRequestFailed);
    expect(() => mapSearchResults(plan, [])).toThrow(TypesenseRequestFailed);
  });
});

describe('documents', () => {
  const doc: SearchDocument = {
    id: '01930000-0000-7000-8000-00000000000a',
    slug: 'iphone',
    name: 'Apple iPhone',
    description: 'A phone.',
    categoryId: 'cat-child',
    categoryPath: ['cat-child', 'cat-root'],
    sellerId: 'seller',
    price: 99_900,
    currency: 'USD',
    brand: null,
    image: null,
    inStock: true,
    popularity: 2,
    createdAt: '2026-03-01T10:00:00.123Z',
    attributes: { brand: 'Apple', storage: 256, refurbished: true },
  };

  it('stores what the schema indexes, and round-trips to the same hit', () => {
    const stored = toTypesenseDocument(doc);
    expect(stored).toEqual({
      id: doc.id,
      sortId: doc.id,
      slug: 'iphone',
      name: 'Apple iPhone',
      description: 'A phone.',
      categoryId: 'cat-child',
      categoryPath: ['cat-child', 'cat-root'],
      sellerId: 'seller',
      price: 99_900,
      variantPrices: [99_900],
      currency: 'USD',
      inStock: true,
      popularity: 2,
      createdAt: Date.parse('2026-03-01T10:00:00.123Z'),
      attributeValues: ['Apple', '256'],
      attributes: doc.attributes,
      searchText: 'apple iphone a phone.',
    });
    const { description: _d, categoryPath: _c, attributes: _a, ...hit } = doc;
    expect(fromTypesenseDocument(stored as unknown as Record<string, unknown>)).toEqual(hit);
  });

  it('keeps brand and image when set, variant prices when given, and the category alone when the path is empty', () => {
    const stored = toTypesenseDocument({ ...doc, brand: 'Apple', image: 'https://img/a.jpg', categoryPath: [], variantPrices: [99_900, 119_900] });
    expect(stored).toMatchObject({ brand: 'Apple', image: 'https://img/a.jpg', categoryPath: ['cat-child'], variantPrices: [99_900, 119_900] });
  });

  it('refuses a document whose createdAt is not a date', () => {
    expect(() => toTypesenseDocument({ ...doc, createdAt: 'yesterday' })).toThrow(/createdAt/);
  });

  it('declares a schema that matches the stored document', () => {
    const schema = productCollectionSchema('products_1');
    expect(schema.name).toBe('products_1');
    const field = (name: string) => schema.fields?.find((f) => f.name === name);
    expect(field('name')).toMatchObject({ type: 'string', infix: true });
    expect(field('categoryPath')).toMatchObject({ type: 'string[]', facet: true });
    expect(field('price')).toMatchObject({ type: 'int64', sort: true, facet: true });
    expect(field('createdAt')).toMatchObject({ type: 'int64', sort: true });
    expect(field('popularity')).toMatchObject({ type: 'int32', sort: true });
    expect(field('inStock')).toMatchObject({ type: 'bool', facet: true });
    expect(field('brand')).toMatchObject({ facet: true, optional: true });
    expect(field('sortId')).toMatchObject({ type: 'string', sort: true });
    // Typesense requires unindexed fields to be optional.
    for (const f of schema.fields ?? []) if (f.index === false) expect(f.optional, f.name).toBe(true);
    // Every field the searches use is declared.
    for (const name of ['categoryId', 'brand', 'inStock', 'variantPrices', 'description', 'attributeValues']) expect(field(name), name).toBeDefined();
    const translated = { ...doc, brand: 'b', image: 'i', translations: { ru: { name: 'р' }, en: { name: 'e' } } };
    // Attributes and translations are stored as they are, not indexed (not in the schema).
    const storedKeys = Object.keys(toTypesenseDocument(translated)).filter((k) => !['id', 'attributes', 'translations'].includes(k));
    expect(storedKeys.sort()).toEqual((schema.fields ?? []).map((f) => f.name).sort());
  });
});

describe('toSearchError', () => {
  it.each([
    ['a 5xx', new Errors.ServerError('Request failed with HTTP code 503', '', 503), 503],
    ['a 401', new Errors.RequestUnauthorized('Request failed with HTTP code 401', '', 401), 401],
    ['a network error', Object.assign(new Error('Network connection lost.'), { config: { headers: { 'X-TYPESENSE-API-KEY': 'secret' } } }), undefined],
  ])('turns %s into DependencyUnavailable(Search) with a clean cause', (_label, err, status) => {
    const mapped = toSearchError(err);
    expect(mapped).toBeInstanceOf(DependencyUnavailable);
    expect((mapped as AppError).status).toBe(503);
    expect((mapped as AppError).extensions).toEqual({ dependency: 'Search' });
    const cause = mapped.cause as TypesenseRequestFailed;
    expect(cause).toBeInstanceOf(TypesenseRequestFailed);
    expect(cause.status).toBe(status);
    expect(JSON.stringify(cause)).not.toContain('secret');
  });

  it('passes application errors through', () => {
    const err = new NotFound('thing');
    expect(toSearchError(err)).toBe(err);
  });
});

describe('Typesense documents in every locale', () => {
  const doc = {
    id: 'toy',
    slug: 'toy',
    name: 'Yogʻoch oʻyinchoq',
    description: '',
    categoryId: 'c',
    categoryPath: ['c'],
    sellerId: 's',
    price: 1,
    currency: 'UZS',
    brand: null,
    image: null,
    inStock: true,
    popularity: 0,
    createdAt: '2026-03-01T10:00:00.000Z',
    attributes: {},
    translations: { ru: { name: 'Деревянная игрушка' }, en: { name: 'Wooden toy' } },
  };

  it('indexes per-locale names and one folded Latin text; names hits in the asked locale', () => {
    const stored = toTypesenseDocument(doc);
    expect(stored).toMatchObject({ nameRu: 'Деревянная игрушка', nameEn: 'Wooden toy', searchText: 'yogoch oyinchoq derevyannaya igrushka wooden toy' });
    expect(fromTypesenseDocument(stored as unknown as Record<string, unknown>, 'ru').name).toBe('Деревянная игрушка');
    expect(fromTypesenseDocument(stored as unknown as Record<string, unknown>, 'uz').name).toBe('Yogʻoch oʻyinchoq');
  });

  it('sends the query folded and in Latin letters, as searchText holds it', () => {
    const plan = (q: string) => buildSearchPlan({ q, sort: 'relevance', facets: [], limit: 10, offset: 0 }, 'products').searches[0]?.q;
    expect(plan('Oʻyinchoq')).toBe('oyinchoq');
    expect(plan('ўйинчоқ')).toBe('oyinchoq');
  });
});
