/**
 * The engine contract against a real Typesense server. No server can be
 * installed here, so this runs only when the Worker test env has
 * TEST_TYPESENSE_URL and TEST_TYPESENSE_API_KEY (see docs/search.md); otherwise
 * it is skipped and says so. Each run uses a collection of its own and drops it.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createTypesenseClient, ensureCollection, TypesenseSearch } from '../../../workers/search/typesense';
import { runSearchContract } from './engine-contract';

const vars = env as unknown as Record<string, string | undefined>;
const url = vars.TEST_TYPESENSE_URL || vars.TYPESENSE_URL;
const apiKey = vars.TEST_TYPESENSE_API_KEY || vars.TYPESENSE_API_KEY;
const configured = Boolean(url && apiKey);

if (!configured) {
  console.warn(
    'Typesense tests skipped: set TEST_TYPESENSE_URL and TEST_TYPESENSE_API_KEY (passed to the Worker test env by vitest.config.ts) to run the search contract against a Typesense server.',
  );
}

const collection = `test_products_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 6)}`;
const options = { url: url ?? '', apiKey: apiKey ?? '', collection };
const client = () => createTypesenseClient(options);

runSearchContract('typesense', {
  skip: !configured,
  async setup() {
    expect(await ensureCollection(client(), collection)).toBe('created');
    expect(await ensureCollection(client(), collection)).toBe('exists');
  },
  async open() {
    return { engine: new TypesenseSearch(options), close: async () => {} };
  },
  async teardown() {
    // Best effort: when setup failed there is nothing to drop, and that error is the one to see.
    await client()
      .collections(collection)
      .delete()
      .catch(() => undefined);
  },
});

describe.skipIf(!configured)('Typesense indexing', () => {
  const name = `${collection}_idx`;
  const engine = () => new TypesenseSearch({ ...options, collection: name });
  const doc = {
    id: crypto.randomUUID(),
    slug: 'solo',
    name: 'Solo Widget',
    description: 'Only one.',
    categoryId: crypto.randomUUID(),
    categoryPath: [] as string[],
    sellerId: crypto.randomUUID(),
    price: 1234,
    currency: 'EUR',
    brand: null,
    image: null,
    inStock: false,
    popularity: 0,
    createdAt: '2026-02-03T04:05:06.789Z',
    attributes: { material: 'steel', sealed: true },
  };

  it('upserts (twice is fine), finds, removes, and ignores removing what is not there', async () => {
    await ensureCollection(client(), name);
    try {
      await engine().upsert([doc]);
      await engine().upsert([{ ...doc, popularity: 7 }]);
      const found = await engine().search({ q: 'widget', sort: 'relevance', facets: [], limit: 10, offset: 0 });
      expect(found.total).toBe(1);
      expect(found.hits[0]).toMatchObject({ id: doc.id, popularity: 7, createdAt: doc.createdAt, brand: null, image: null });
      // Attribute values are searchable, like Postgres' tsvector.
      expect((await engine().search({ q: 'steel', sort: 'relevance', facets: [], limit: 10, offset: 0 })).total).toBe(1);
      await engine().remove([doc.id, crypto.randomUUID()]);
      expect((await engine().search({ sort: 'relevance', facets: [], limit: 10, offset: 0 })).total).toBe(0);
    } finally {
      await client().collections(name).delete();
    }
  });
});
