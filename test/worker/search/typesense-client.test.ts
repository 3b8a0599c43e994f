/**
 * TypesenseSearch inside workerd without a Typesense server: the official
 * client really goes out through fetch (axios' fetch adapter), sends what
 * Typesense expects, maps what comes back, and every failure becomes a 503.
 * The HTTP exchange is answered by a stand-in for `fetch`; the engine contract
 * against a real server is in typesense-engine.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AppError, DependencyUnavailable } from '../../../shared/errors';
import { PRICE_BUCKETS, type SearchDocument, type SearchQuery } from '../../../workers/search/engine';
import { TypesenseImportRejected, TypesenseSearch } from '../../../workers/search/typesense';
import { call, DEAD_PORT, expectProblem } from '../../support/app';

const TS = 'http://typesense.test:8108';

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Answers requests to the fake Typesense host with `reply`; everything else goes to the real fetch. */
function fakeTypesense(reply: (req: Seen) => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    if (!request.url.startsWith(TS)) return realFetch(input as RequestInfo, init as RequestInit);
    const entry = { method: request.method, url: new URL(request.url), headers: request.headers, body: request.method === 'GET' ? '' : await request.text() };
    seen.push(entry);
    return reply(entry);
  });
  return seen;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

const engine = () => new TypesenseSearch({ url: TS, apiKey: 'ts-secret-key', collection: 'products' });

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({ sort: 'relevance', facets: [], limit: 20, offset: 0, ...overrides });

const doc: SearchDocument = {
  id: '01930000-0000-7000-8000-00000000000a',
  slug: 'apple-iphone',
  name: 'Apple iPhone',
  description: 'A phone.',
  categoryId: '01930000-0000-7000-8000-0000000000c2',
  categoryPath: ['01930000-0000-7000-8000-0000000000c2', '01930000-0000-7000-8000-0000000000c1'],
  sellerId: '01930000-0000-7000-8000-0000000000e1',
  price: 99_900,
  currency: 'USD',
  brand: 'Apple',
  image: null,
  inStock: true,
  popularity: 3,
  createdAt: '2026-03-01T10:00:00.000Z',
  attributes: { brand: 'Apple', storage: 256, refurbished: false },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TypesenseSearch over fetch (workerd)', () => {
  it('sends one multi_search with the API key header and maps the answer', async () => {
    const seen = fakeTypesense((req) => {
      const { searches } = JSON.parse(req.body) as { searches: Array<Record<string, unknown>> };
      return json({
        results: searches.map((s, i) =>
          i === 0
            ? {
                found: 42,
                // Page 1 of 15: the window [5, 15) is hits 5..14 of it.
                hits: Array.from({ length: 15 }, (_, n) => ({ document: { ...doc, id: `hit-${n}`, createdAt: Date.parse(doc.createdAt) } })),
                facet_counts: [{ field_name: 'brand', counts: [{ value: 'Apple', count: 40 }, { value: 'Acme', count: 2 }] }],
              }
            : s.facet_by === 'inStock'
              ? { found: 50, hits: [], facet_counts: [{ field_name: 'inStock', counts: [{ value: 'true', count: 42 }, { value: 'false', count: 8 }] }] }
              : { found: i, hits: [] },
        ),
      });
    });
    const result = await engine().search(query({ q: 'iphnoe', inStock: true, facets: ['brand', 'inStock', 'price'], limit: 10, offset: 5 }));

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url.pathname).toBe('/multi_search');
    expect(request!.headers.get('x-typesense-api-key')).toBe('ts-secret-key');
    expect(request!.url.search).not.toContain('ts-secret-key');
    const { searches } = JSON.parse(request!.body) as { searches: Array<Record<string, unknown>> };
    expect(searches).toHaveLength(1 + 1 + PRICE_BUCKETS.length);
    expect(searches[0]).toMatchObject({
      collection: 'products',
      q: 'iphnoe',
      query_by: 'name,nameRu,nameEn,description,brand,attributeValues,searchText',
      num_typos: 2,
      filter_by: 'inStock:=true',
      sort_by: '_text_match:desc,sortId:desc',
      facet_by: 'brand',
      page: 1,
      per_page: 15,
    });
    expect(searches[1]).toMatchObject({ facet_by: 'inStock', per_page: 0 });
    expect(searches[1]).not.toHaveProperty('filter_by');

    expect(result.total).toBe(42);
    expect(result.hits.map((h) => h.id)).toEqual(Array.from({ length: 10 }, (_, n) => `hit-${n + 5}`));
    expect(result.facets).toEqual({
      brand: [
        { value: 'Apple', count: 40 },
        { value: 'Acme', count: 2 },
      ],
      inStock: [
        { value: true, count: 42 },
        { value: false, count: 8 },
      ],
      price: PRICE_BUCKETS.map((b, i) => ({ from: b.from, to: b.to, count: i + 2 })),
    });
  });

  it('maps hits back to the API shape (ISO createdAt, nulls for missing brand and image)', async () => {
    fakeTypesense(() =>
      json({ results: [{ found: 1, hits: [{ document: { ...doc, createdAt: Date.parse(doc.createdAt), brand: undefined, description: undefined } }] }] }),
    );
    const result = await engine().search(query());
    expect(result.hits).toEqual([
      {
        id: doc.id,
        slug: doc.slug,
        name: doc.name,
        categoryId: doc.categoryId,
        sellerId: doc.sellerId,
        price: 99_900,
        currency: 'USD',
        brand: null,
        image: null,
        inStock: true,
        popularity: 3,
        createdAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(result.facets).toEqual({});
  });

  it('upserts a batch as JSONL with action=upsert', async () => {
    const seen = fakeTypesense((req) => new Response(req.body.split('\n').map(() => '{"success":true}').join('\n'), { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    await engine().upsert([doc, { ...doc, id: '01930000-0000-7000-8000-00000000000b', brand: null }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url.pathname).toBe('/collections/products/documents/import');
    expect(seen[0]!.url.searchParams.get('action')).toBe('upsert');
    const lines = seen[0]!.body.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: doc.id, sortId: doc.id, createdAt: Date.parse(doc.createdAt), brand: 'Apple', variantPrices: [99_900] });
    expect(lines[0].attributeValues).toEqual(['Apple', '256']);
    expect(lines[1]).not.toHaveProperty('brand');
    expect(lines[0]).not.toHaveProperty('image');
  });

  it('reports documents Typesense refused, naming them', async () => {
    fakeTypesense(() => new Response('{"success":true}\n{"success":false,"code":400,"error":"Field `price` must be an int64.","document":"{\\"id\\":\\"b\\"}"}', { headers: { 'content-type': 'text/plain' } }));
    const err = await engine()
      .upsert([doc, { ...doc, id: 'b' }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(TypesenseImportRejected);
    expect(err.message).toContain('1 of 2');
    expect(err.message).toContain('must be an int64');
  });

  it('does nothing for an empty upsert', async () => {
    const seen = fakeTypesense(() => json({}));
    await engine().upsert([]);
    expect(seen).toHaveLength(0);
  });

  it('removes by id and ignores ids that are not indexed', async () => {
    const seen = fakeTypesense((req) => (req.url.pathname.endsWith('/gone') ? json({ message: 'Could not find a document with id: gone' }, 404) : json({ id: 'x' })));
    await engine().remove(['x', 'gone']);
    expect(seen.map((s) => `${s.method} ${s.url.pathname}`).sort()).toEqual(['DELETE /collections/products/documents/gone', 'DELETE /collections/products/documents/x']);
  });

  it.each([
    ['a 5xx answer', () => json({ message: 'Not Ready or Lagging' }, 503)],
    ['a refused API key', () => json({ message: 'Forbidden - a valid `x-typesense-api-key` header must be sent.' }, 401)],
    ['a missing collection', () => json({ message: 'Not found.' }, 404)],
  ])('turns %s into DependencyUnavailable', async (_label, reply) => {
    fakeTypesense(reply);
    const err = await engine()
      .search(query())
      .catch((e) => e);
    expect(err).toBeInstanceOf(DependencyUnavailable);
    expect((err as AppError).status).toBe(503);
    expect(String((err as Error).cause)).not.toContain('ts-secret-key');
  });

  it('turns a failed search inside a multi_search into DependencyUnavailable', async () => {
    fakeTypesense(() => json({ results: [{ code: 404, error: 'Not found.' }] }));
    await expect(engine().search(query())).rejects.toBeInstanceOf(DependencyUnavailable);
  });

  it('turns an unreachable server into DependencyUnavailable for search, upsert and remove', async () => {
    const down = new TypesenseSearch({ url: `http://127.0.0.1:${DEAD_PORT}`, apiKey: 'k', collection: 'products' });
    await expect(down.search(query())).rejects.toBeInstanceOf(DependencyUnavailable);
    await expect(down.upsert([doc])).rejects.toBeInstanceOf(DependencyUnavailable);
    await expect(down.remove([doc.id])).rejects.toBeInstanceOf(DependencyUnavailable);
  });
});

describe('GET /search with Typesense configured', () => {
  it('answers 503 (never 500) when Typesense is unreachable', async () => {
    const res = await call('/api/v1/search?q=iphone', { env: { TYPESENSE_URL: `http://127.0.0.1:${DEAD_PORT}`, TYPESENSE_API_KEY: 'k' } });
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(problem.dependency).toBe('Search');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('answers from Typesense with engine "typesense"', async () => {
    const seen = fakeTypesense(() =>
      json({
        results: Array.from({ length: 1 + 1 + PRICE_BUCKETS.length }, (_, i) => ({
          found: i === 0 ? 1 : 0,
          hits: i === 0 ? [{ document: { ...doc, createdAt: Date.parse(doc.createdAt) } }] : [],
          facet_counts: [],
        })),
      }),
    );
    const res = await call('/api/v1/search?q=iphone&facets=price,inStock,brand,category&inStock=true', {
      env: { TYPESENSE_URL: TS, TYPESENSE_API_KEY: 'k', TYPESENSE_COLLECTION: 'products_live' },
    });
    const body = await res.json<{ engine: string; total: number; hits: Array<{ id: string }>; nextCursor: string | null; facets: Record<string, unknown> }>();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.engine).toBe('typesense');
    expect(body.total).toBe(1);
    expect(body.hits.map((h) => h.id)).toEqual([doc.id]);
    expect(body.nextCursor).toBeNull();
    expect(Object.keys(body.facets).sort()).toEqual(['brand', 'category', 'inStock', 'price']);
    expect(seen).toHaveLength(1);
    const { searches } = JSON.parse(seen[0]!.body) as { searches: Array<{ collection: string }> };
    expect(new Set(searches.map((s) => s.collection))).toEqual(new Set(['products_live']));
  });
});
