/**
 * The search engine contract: one data set, one set of expectations, run
 * against every SearchEngine implementation (Postgres always, Typesense when a
 * server is configured). Each run seeds its own root category, and every query
 * is scoped to it, so other test files writing to the same database cannot
 * change the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSearchDocuments } from '../../../workers/search/documents';
import { FACETS, PRICE_BUCKETS, type SearchEngine, type SearchQuery, type SearchResult } from '../../../workers/search/engine';
import { categories, inventoryLevels, products, productVariants, users } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { uniqueEmail, withDb } from '../../support/users';

export interface EngineHandle {
  engine: SearchEngine;
  close(): Promise<void>;
}

export interface ContractOptions {
  /** Skip the whole contract (e.g. no Typesense server configured). */
  skip?: boolean;
  /** Opens an engine for one call (database handles cannot outlive a test in workerd). */
  open(): Promise<EngineHandle>;
  /** Before seeding (e.g. create the Typesense collection). */
  setup?(): Promise<void>;
  /** After the contract (e.g. drop the collection). */
  teardown?(): Promise<void>;
}

type Key = 'iphone' | 'galaxy' | 'pixel' | 'leather' | 'silicone' | 'macbook' | 'thinkpad' | 'charger';
type CategoryKey = 'root' | 'phones' | 'cases' | 'laptops' | 'toys';

/** Content in uz (the default-locale columns), ru and en, under a root of its own ('toys'), so the counts above stay as they are. */
type LangKey = 'toy' | 'ball' | 'kettle';
const MULTILINGUAL: Array<{ key: LangKey; name: string; description: string; translations: Record<string, { name?: string; description?: string }> }> = [
  {
    key: 'toy',
    name: 'Yogʻoch oʻyinchoq mashina',
    description: 'Bolalar uchun.',
    translations: { ru: { name: 'Деревянная машинка', description: 'Игрушка для детей.' }, en: { name: 'Wooden toy car', description: 'For children.' } },
  },
  { key: 'ball', name: 'Futbol toʻpi', description: 'Charm.', translations: { ru: { name: 'Футбольный мяч' }, en: { name: 'Football' } } },
  { key: 'kettle', name: 'Elektr choynak', description: '', translations: { ru: { name: 'Электрический чайник' } } },
];

interface Spec {
  key: Key | 'draft' | 'deleted';
  name: string;
  category: CategoryKey;
  brand?: string;
  price: number;
  /** available stock; null: no inventory row at all. */
  available: number | null;
  popularity: number;
  description?: string;
  image?: string;
  status?: 'published' | 'draft';
  deleted?: boolean;
  extra?: Record<string, string | number | boolean>;
}

/** Inserted in this order: ids (UUIDv7) and created_at both increase down the list. */
const SPECS: Spec[] = [
  {
    key: 'iphone',
    name: 'Apple iPhone 15 Pro',
    category: 'phones',
    brand: 'Apple',
    price: 99_900,
    available: 5,
    popularity: 50,
    description: 'Titanium smartphone with a 48 MP camera.',
    image: 'https://img.test/iphone.jpg',
    extra: { color: 'black' },
  },
  { key: 'galaxy', name: 'Samsung Galaxy S24', category: 'phones', brand: 'Samsung', price: 79_900, available: 2, popularity: 80 },
  // A row with nothing available (everything reserved) is out of stock.
  { key: 'pixel', name: 'Google Pixel 8', category: 'phones', brand: 'Google', price: 59_900, available: 0, popularity: 30 },
  { key: 'leather', name: 'Leather Case for iPhone', category: 'cases', brand: 'Apple', price: 5_000, available: 10, popularity: 5 },
  // No inventory row at all: out of stock too.
  { key: 'silicone', name: 'Silicone Phone Case', category: 'cases', brand: 'Acme', price: 1_000, available: null, popularity: 5 },
  { key: 'macbook', name: 'MacBook Air 13', category: 'laptops', brand: 'Apple', price: 129_900, available: 1, popularity: 40 },
  {
    key: 'thinkpad',
    name: 'ThinkPad X1 Carbon',
    category: 'laptops',
    brand: 'Lenovo',
    price: 189_900,
    available: 0,
    popularity: 20,
    description: 'Business laptop with a carbon fibre chassis.',
  },
  // No brand, straight under the root.
  { key: 'charger', name: 'USB-C Charger', category: 'root', price: 999, available: 100, popularity: 60, extra: { wattage: 65 } },
  // Never found: a draft and a deleted product.
  { key: 'draft', name: 'Draft MacBook Prototype', category: 'phones', brand: 'Apple', price: 1, available: 9, popularity: 99, status: 'draft' },
  { key: 'deleted', name: 'Deleted MacBook Pro', category: 'laptops', brand: 'Apple', price: 2, available: 9, popularity: 98, deleted: true },
];

interface Dataset {
  sellerId: string;
  category: Record<CategoryKey, string>;
  id: Record<Key, string>;
  createdAt: Record<Key, string>;
  lang: Record<LangKey, string>;
  /** Every product of the set, live and not (for the index). */
  allIds: string[];
}

async function seedDataset(): Promise<Dataset> {
  const tag = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 6)}`;
  const sellerId = newId();
  const category = { root: newId(), phones: newId(), cases: newId(), laptops: newId(), toys: newId() } as Record<CategoryKey, string>;
  const lang = {} as Record<LangKey, string>;
  const id = {} as Record<Key, string>;
  const createdAt = {} as Record<Key, string>;
  const allIds: string[] = [];
  const base = Date.parse('2026-03-01T10:00:00.000Z');

  await withDb(async (db) => {
    await db.insert(users).values({ id: sellerId, email: uniqueEmail('search-seller'), name: 'Search Seller', passwordHash: 'not-a-hash', role: 'seller' });
    await db.insert(categories).values([
      { id: category.root, slug: `search-root-${tag}`, name: 'Search contract root' },
      { id: category.phones, parentId: category.root, slug: `search-phones-${tag}`, name: 'Phones' },
      { id: category.cases, parentId: category.phones, slug: `search-cases-${tag}`, name: 'Cases' },
      { id: category.laptops, parentId: category.root, slug: `search-laptops-${tag}`, name: 'Laptops' },
      { id: category.toys, slug: `search-toys-${tag}`, name: 'Oʻyinchoqlar', translations: { ru: { name: 'Игрушки' } } },
    ]);
    for (const spec of MULTILINGUAL) {
      const productId = newId();
      lang[spec.key] = productId;
      allIds.push(productId);
      await db.insert(products).values({
        id: productId,
        sellerId,
        categoryId: category.toys,
        slug: `${spec.key}-${tag}`,
        name: spec.name,
        description: spec.description,
        translations: spec.translations,
        status: 'published',
        minPrice: 10_000,
        currency: 'UZS',
      });
      await db.insert(productVariants).values({ id: newId(), productId, sku: `SRCH-${tag}-${spec.key}`.toUpperCase(), price: 10_000, currency: 'UZS' });
    }
    for (const [i, spec] of SPECS.entries()) {
      const productId = newId();
      const created = new Date(base + i * 60_000);
      allIds.push(productId);
      if (spec.key !== 'draft' && spec.key !== 'deleted') {
        id[spec.key] = productId;
        createdAt[spec.key] = created.toISOString();
      }
      const sku = `SRCH-${tag}-${spec.key}`.toUpperCase();
      await db.insert(products).values({
        id: productId,
        sellerId,
        categoryId: category[spec.category],
        slug: `${spec.key}-${tag}`,
        name: spec.name,
        description: spec.description ?? '',
        status: spec.status ?? 'published',
        attributes: { ...(spec.brand ? { brand: spec.brand } : {}), ...spec.extra },
        images: spec.image ? [spec.image] : [],
        minPrice: spec.price,
        currency: 'USD',
        popularity: spec.popularity,
        createdAt: created,
        updatedAt: created,
        deletedAt: spec.deleted ? new Date(base + 3_600_000) : null,
      });
      await db.insert(productVariants).values({ id: newId(), productId, sku, price: spec.price, currency: 'USD' });
      if (spec.available !== null) {
        const onHand = spec.available + 3;
        await db.insert(inventoryLevels).values({ sku, onHand, reserved: onHand - spec.available, available: spec.available });
      }
    }
  });
  return { sellerId, category, id, createdAt, lang, allIds };
}

const ids = (result: SearchResult) => result.hits.map((h) => h.id);

export function runSearchContract(name: string, options: ContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`search engine contract: ${name}`, () => {
    let data: Dataset;

    async function withEngine<T>(fn: (engine: SearchEngine) => Promise<T>): Promise<T> {
      const handle = await options.open();
      try {
        return await fn(handle.engine);
      } finally {
        await handle.close();
      }
    }

    /** Scoped to this run's root category unless the query names another. */
    const search = (query: Partial<SearchQuery> = {}) =>
      withEngine((engine) => engine.search({ sort: 'relevance', facets: [], limit: 20, offset: 0, category: data.category.root, ...query }));

    /** The ids of these products, in this order. */
    const of = (...keys: Key[]) => keys.map((k) => data.id[k]);
    const sorted = (values: string[]) => [...values].sort();

    beforeAll(async () => {
      await options.setup?.();
      data = await seedDataset();
      // What the queue consumer and the reindex script do: load documents, give them to the engine.
      const documents = await withDb((db) => loadSearchDocuments(db, data.allIds));
      expect(sorted(documents.map((d) => d.id))).toEqual(sorted([...Object.values(data.id), ...Object.values(data.lang)]));
      await withEngine((engine) => engine.upsert(documents));
    }, 60_000);

    afterAll(async () => {
      await options.teardown?.();
    });

    describe('in uz, ru and en', () => {
      const inToys = (query: Partial<SearchQuery>) => search({ category: data.category.toys, ...query });
      // Typo tolerance may add near words (short names are close to each other): the product meant must be the best hit.
      const found = async (q: string) => ids(await inToys({ q }));
      const best = async (q: string) => (await found(q))[0];

      it('every apostrophe form of Uzbek Latin gives the same answer: oʻ, o\', o`, o’ and none', async () => {
        const forms = ['oʻyinchoq', "o'yinchoq", 'o`yinchoq', 'o’yinchoq', 'o‘yinchoq', 'oyinchoq'];
        const answers = await Promise.all(forms.map(found));
        for (const [i, answer] of answers.entries()) expect(answer, forms[i]).toEqual(answers[0]);
        expect(answers[0]?.[0]).toBe(data.lang.toy);
        expect(await best("to'pi")).toBe(data.lang.ball);
        expect(await found('toʻpi')).toEqual(await found('to`pi'));
      });

      it('Uzbek typed in Cyrillic finds the Latin text (ў → oʻ, ч → ch, қ → q)', async () => {
        expect(await best('ўйинчоқ')).toBe(data.lang.toy);
        expect(await best('чойнак')).toBe(data.lang.kettle);
      });

      it('Russian and English words find their translations, inflected', async () => {
        expect(await best('чайник')).toBe(data.lang.kettle);
        expect(await best('игрушки')).toBe(data.lang.toy);
        expect(await best('мяч')).toBe(data.lang.ball);
        expect(await best('toys')).toBe(data.lang.toy);
        expect(await best('football')).toBe(data.lang.ball);
        expect(await found('электрический чайник')).toEqual([data.lang.kettle]);
      });

      it("names hits in the asked locale, falling back to the default locale's name", async () => {
        const names = async (locale: SearchQuery['locale']) => (await inToys({ sort: 'newest', locale })).hits.map((h) => h.name);
        expect(await names('ru')).toEqual(['Электрический чайник', 'Футбольный мяч', 'Деревянная машинка']);
        expect(await names('en')).toEqual(['Elektr choynak', 'Football', 'Wooden toy car']);
        expect(await names('uz')).toEqual(['Elektr choynak', 'Futbol toʻpi', 'Yogʻoch oʻyinchoq mashina']);
      });
    });

    it(`is the ${name} engine`, async () => {
      await withEngine(async (engine) => expect(engine.name).toBe(name));
    });

    it('finds every live, published product of the category tree, and nothing else', async () => {
      const result = await search();
      expect(result.total).toBe(8);
      expect(sorted(ids(result))).toEqual(sorted(Object.values(data.id)));
    });

    it('tolerates typos: "iphnoe" finds the iPhone', async () => {
      const result = await search({ q: 'iphnoe' });
      expect(ids(result)).toContain(data.id.iphone);
      expect(ids(result)).not.toContain(data.id.galaxy);
    });

    it('matches the name, the description and the brand', async () => {
      expect(ids(await search({ q: 'macbook' }))).toEqual(of('macbook'));
      expect(ids(await search({ q: 'fibre' }))).toEqual(of('thinkpad'));
      const apple = await search({ q: 'apple' });
      expect(sorted(ids(apple))).toEqual(sorted(of('iphone', 'leather', 'macbook')));
      expect(apple.total).toBe(3);
    });

    it('filters on a category including its descendants', async () => {
      expect(sorted(ids(await search({ category: data.category.phones })))).toEqual(sorted(of('iphone', 'galaxy', 'pixel', 'leather', 'silicone')));
      expect(sorted(ids(await search({ category: data.category.cases })))).toEqual(sorted(of('leather', 'silicone')));
      expect(sorted(ids(await search({ category: data.category.laptops })))).toEqual(sorted(of('macbook', 'thinkpad')));
    });

    it('filters on a price range, bounds included', async () => {
      expect(ids(await search({ minPrice: 1_000, maxPrice: 59_900, sort: 'price_asc' }))).toEqual(of('silicone', 'leather', 'pixel'));
      expect(ids(await search({ minPrice: 100_000, sort: 'price_asc' }))).toEqual(of('macbook', 'thinkpad'));
      expect(ids(await search({ maxPrice: 999, sort: 'price_asc' }))).toEqual(of('charger'));
    });

    it('filters on stock, both ways', async () => {
      expect(sorted(ids(await search({ inStock: true })))).toEqual(sorted(of('iphone', 'galaxy', 'leather', 'macbook', 'charger')));
      expect(sorted(ids(await search({ inStock: false })))).toEqual(sorted(of('pixel', 'silicone', 'thinkpad')));
      expect(sorted(ids(await search({ inStock: false, category: data.category.phones })))).toEqual(sorted(of('pixel', 'silicone')));
    });

    it('sorts by price, popularity and age, breaking ties by id', async () => {
      const byPrice = of('charger', 'silicone', 'leather', 'pixel', 'galaxy', 'iphone', 'macbook', 'thinkpad');
      expect(ids(await search({ sort: 'price_asc' }))).toEqual(byPrice);
      expect(ids(await search({ sort: 'price_desc' }))).toEqual([...byPrice].reverse());
      // leather and silicone tie on 5: the later (greater) id first.
      expect(ids(await search({ sort: 'popular' }))).toEqual(of('galaxy', 'charger', 'iphone', 'macbook', 'pixel', 'thinkpad', 'silicone', 'leather'));
      const newest = of('charger', 'thinkpad', 'macbook', 'silicone', 'leather', 'pixel', 'galaxy', 'iphone');
      expect(ids(await search({ sort: 'newest' }))).toEqual(newest);
      // Without words every score is equal: relevance falls back to the tie-break, newest first.
      expect(ids(await search({ sort: 'relevance' }))).toEqual(newest);
    });

    it('answers the hit shape', async () => {
      const [macbook] = (await search({ q: 'macbook' })).hits;
      expect(macbook).toEqual({
        id: data.id.macbook,
        slug: expect.stringMatching(/^macbook-/),
        name: 'MacBook Air 13',
        categoryId: data.category.laptops,
        sellerId: data.sellerId,
        price: 129_900,
        currency: 'USD',
        brand: 'Apple',
        image: null,
        inStock: true,
        popularity: 40,
        createdAt: data.createdAt.macbook,
      });
      const iphone = (await search({ category: data.category.phones, sort: 'price_desc', limit: 1 })).hits[0];
      expect(iphone).toMatchObject({ id: data.id.iphone, image: 'https://img.test/iphone.jpg', brand: 'Apple' });
      const charger = (await search({ sort: 'price_asc', limit: 1 })).hits[0];
      expect(charger).toMatchObject({ id: data.id.charger, brand: null, image: null, inStock: true });
    });

    it('counts every facet over the matched set', async () => {
      const result = await search({ facets: [...FACETS] });
      expect(Object.keys(result.facets).sort()).toEqual([...FACETS].sort());
      expect(result.facets.brand).toEqual([
        { value: 'Apple', count: 3 },
        { value: 'Acme', count: 1 },
        { value: 'Google', count: 1 },
        { value: 'Lenovo', count: 1 },
        { value: 'Samsung', count: 1 },
      ]);
      const [first, second] = sorted([data.category.cases, data.category.laptops]);
      expect(result.facets.category).toEqual([
        { value: data.category.phones, count: 3 },
        { value: first, count: 2 },
        { value: second, count: 2 },
        { value: data.category.root, count: 1 },
      ]);
      expect(result.facets.price).toEqual(
        [1, 1, 1, 0, 3, 2].map((count, i) => ({ from: PRICE_BUCKETS[i]!.from, to: PRICE_BUCKETS[i]!.to, count })),
      );
      expect(result.facets.inStock).toEqual([
        { value: true, count: 5 },
        { value: false, count: 3 },
      ]);
    });

    it('counts inStock without its own filter, the other facets with it', async () => {
      const result = await search({ inStock: true, facets: [...FACETS] });
      expect(result.total).toBe(5);
      expect(result.facets.inStock).toEqual([
        { value: true, count: 5 },
        { value: false, count: 3 },
      ]);
      expect(result.facets.brand).toEqual([
        { value: 'Apple', count: 3 },
        { value: 'Samsung', count: 1 },
      ]);
      expect(result.facets.price?.map((b) => b.count)).toEqual([1, 0, 1, 0, 2, 1]);
      expect(result.facets.category?.[0]).toEqual({ value: data.category.phones, count: 2 });
      expect(result.facets.category?.map((c) => c.count)).toEqual([2, 1, 1, 1]);
    });

    it('counts facets within the words and the price range', async () => {
      const apple = await search({ q: 'apple', facets: ['brand', 'category'] });
      expect(apple.facets.brand).toEqual([{ value: 'Apple', count: 3 }]);
      expect(apple.facets.category?.map((c) => c.count)).toEqual([1, 1, 1]);
      const ranged = await search({ minPrice: 1_000, maxPrice: 59_900, facets: ['price', 'inStock'] });
      expect(ranged.facets.price?.map((b) => b.count)).toEqual([0, 1, 1, 0, 1, 0]);
      expect(ranged.facets.inStock).toEqual([
        { value: true, count: 1 },
        { value: false, count: 2 },
      ]);
    });

    it('answers only the facets asked for', async () => {
      expect(Object.keys((await search({ facets: ['brand'] })).facets)).toEqual(['brand']);
      expect((await search({ facets: [] })).facets).toEqual({});
    });

    it('pages by offset, including offsets that are not a multiple of the limit', async () => {
      const all = ids(await search({ sort: 'price_asc' }));
      expect(all).toHaveLength(8);
      const pages = [];
      for (let offset = 0; offset < 8; offset += 3) pages.push(...ids(await search({ sort: 'price_asc', limit: 3, offset })));
      expect(pages).toEqual(all);
      for (const [offset, limit] of [
        [1, 3],
        [2, 5],
        [5, 2],
        [7, 5],
        [8, 3],
        [3, 1],
      ] as const) {
        const page = await search({ sort: 'price_asc', limit, offset });
        expect(ids(page), `offset ${offset} limit ${limit}`).toEqual(all.slice(offset, offset + limit));
        expect(page.total).toBe(8);
      }
    });
  });
}
