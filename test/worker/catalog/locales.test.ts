import { beforeAll, describe, expect, it } from 'vitest';
import { forgetIsolateMemory } from '../../../shared/colo-cache';
import { expectProblem } from '../../support/app';
import { type Client, createCategory, createProduct, HOOK_TIMEOUT, isolatedClient, productInput, roundTrips } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

// Content in uz (the default), ru and en: negotiation, fallback, headers, writes per locale, and a cache
// key per locale in every tier (docs/catalog.md).

let admin: TestUser, seller: TestUser;
let categoryId: string;
let product: { id: string; slug: string };
const UZ = 'Bolalar oʻyinchogʻi';
const RU = 'Детская игрушка';

beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
  const category = await createCategory(admin, { name: 'Oʻyinchoqlar', translations: { ru: { name: 'Игрушки' }, en: { name: 'Toys' } } });
  categoryId = category.id;
  product = await createProduct(
    seller,
    productInput(categoryId, {
      name: UZ,
      description: 'Yogʻochdan.',
      attributes: { brand: 'Acme', material: 'wood' },
      translations: {
        uz: { attributeLabels: { brand: 'Brend', material: 'Material' } },
        ru: { name: RU, description: 'Из дерева.', attributeLabels: { brand: 'Бренд' } },
        en: { name: 'Kids’ toy' },
      },
    }),
  );
}, HOOK_TIMEOUT);

interface Read {
  status: number;
  language: string | null;
  vary: string;
  trips: number;
  body: { name: string; description: string; attributeLabels: Record<string, string>; translations?: unknown };
}

async function read(client: Client, path: string, headers: Record<string, string> = {}): Promise<Read> {
  const res = await client('GET', path, { headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { status: res.status, language: res.headers.get('content-language'), vary: res.headers.get('vary') ?? '', trips: roundTrips(res), body: JSON.parse(text) };
}

describe('negotiation and fallback', () => {
  it('Accept-Language with q-values picks the locale; ?locale= wins; the default otherwise', async () => {
    const client = isolatedClient('locales-negotiate');
    const path = `/products/${product.id}`;
    const ru = await read(client, path, { 'accept-language': 'fr;q=1, ru-RU;q=0.8, en;q=0.5' });
    expect(ru).toMatchObject({ language: 'ru', body: { name: RU, description: 'Из дерева.' } });
    expect(ru.vary).toMatch(/Accept-Language/);
    expect((await read(client, path, { 'accept-language': 'en;q=0.3, ru;q=0.9' })).language).toBe('ru');
    expect((await read(client, path, { 'accept-language': 'ru;q=0, en' })).body.name).toBe('Kids’ toy');
    const wins = await read(client, `${path}?locale=uz`, { 'accept-language': 'ru' });
    expect(wins).toMatchObject({ language: 'uz', body: { name: UZ } });
    expect((await read(client, path, { 'accept-language': 'de, fr' })).language).toBe('uz');
    expect((await read(client, path)).body.name).toBe(UZ);
  });

  it('a field missing in the chosen locale falls back to the default locale, labels key by key', async () => {
    const client = isolatedClient('locales-fallback');
    const en = await read(client, `/products/${product.slug}?locale=en`);
    expect(en.language).toBe('en');
    expect(en.body.name).toBe('Kids’ toy');
    expect(en.body.description).toBe('Yogʻochdan.');
    expect(en.body.attributeLabels).toEqual({ brand: 'Brend', material: 'Material' });
    const ru = await read(client, `/products/${product.slug}?locale=ru`);
    expect(ru.body.attributeLabels).toEqual({ brand: 'Бренд', material: 'Material' });
    expect(ru.body).not.toHaveProperty('translations');
    const all = await read(client, `/products/${product.slug}?locale=*`);
    expect(all.language).toBe('uz');
    expect(all.body.name).toBe(UZ);
    expect(all.body.translations).toMatchObject({ ru: { name: RU }, en: { name: 'Kids’ toy' } });
  });

  it('listings and the category tree answer in the locale too', async () => {
    const client = isolatedClient('locales-lists');
    const list = await client('GET', `/products?category=${categoryId}&locale=ru`);
    expect(list.headers.get('content-language')).toBe('ru');
    expect(((await list.json()) as { data: Array<{ name: string }> }).data.map((p) => p.name)).toEqual([RU]);
    const tree = await client('GET', '/categories', { headers: { 'accept-language': 'en-GB' } });
    expect(tree.headers.get('content-language')).toBe('en');
    expect(JSON.stringify(await tree.json())).toContain('"Toys"');
  });

  it('refuses an unknown ?locale= (400) and a default-locale name under translations (nothing written)', async () => {
    await expectProblem(await api('GET', `/products/${product.id}?locale=de`), 400, 'VALIDATION_FAILED');
    const body = productInput(categoryId, { translations: { uz: { name: 'Ikkinchi nom' } } });
    const problem = await expectProblem(await api('POST', '/products', { token: seller.accessToken, body }), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(problem)).toContain('translations.uz.name');
    const unchanged = await api('GET', `/products?category=${categoryId}`);
    expect(((await unchanged.json()) as { data: unknown[] }).data).toHaveLength(1);
  });
});

describe('writes per locale', () => {
  it('a locale left out keeps its texts, null removes them, a single-string write changes the default locale only', async () => {
    const own = await createProduct(seller, productInput(categoryId, { name: 'Toʻp', translations: { ru: { name: 'Мяч' }, en: { name: 'Ball' } } }));
    const put = (body: Record<string, unknown>) => api('PUT', `/products/${own.id}`, { token: seller.accessToken, body });
    const base = productInput(categoryId, { variants: [{ sku: own.variants[0]?.sku, price: 1999, currency: 'USD' }] });

    const legacy = await put({ ...base, name: 'Katta toʻp' });
    expect(legacy.status).toBe(200);
    expect(await legacy.json()).toMatchObject({ name: 'Katta toʻp', translations: { ru: { name: 'Мяч' }, en: { name: 'Ball' } } });

    const perLocale = await put({ ...base, name: 'Katta toʻp', translations: { ru: { name: 'Большой мяч' }, en: null } });
    const answer = (await perLocale.json()) as { translations: Record<string, unknown> };
    expect(answer.translations).toEqual({ ru: { name: 'Большой мяч' } });
    const en = await read(isolatedClient('locales-writes'), `/products/${own.id}?locale=en`);
    expect(en.body.name).toBe('Katta toʻp');
  });
});

describe('every cache tier keys on the locale', () => {
  /** Reads ru then uz then en (the first fills the tier), twice: each answer stays in its own locale. */
  async function crossReads(client: Client, path: string) {
    const expected = { ru: RU, uz: UZ, en: 'Kids’ toy' } as const;
    for (const round of [1, 2]) {
      for (const [locale, name] of Object.entries(expected)) {
        const got = await read(client, path, { 'accept-language': locale });
        expect(got.body.name, `round ${round}, ${locale}`).toBe(name);
        expect(got.language).toBe(locale);
        if (round === 2) expect(got.trips, `round ${round}, ${locale} served from the cache`).toBe(0);
      }
    }
  }

  it('the versioned Redis tier (colo tiers off)', async () => {
    await crossReads(isolatedClient('locales-redis'), `/products/${product.id}`);
  });

  it("the isolate's memory and the colo's Cache API", async () => {
    const client = isolatedClient('locales-colo', { CATALOG_FRESH_SECONDS: '60', CATALOG_STALE_SECONDS: '0' });
    // Round 1 fills memory; round 2 is served from memory.
    await crossReads(client, `/products/${product.id}`);
    // A new isolate of the same colo: memory empty, the Cache API answers each locale with its own entry.
    forgetIsolateMemory();
    const colo = await Promise.all(
      (['uz', 'ru'] as const).map((locale) => read(client, `/products/${product.id}`, { 'accept-language': locale })),
    );
    expect(colo.map((r) => [r.language, r.body.name, r.trips])).toEqual([
      ['uz', UZ, 0],
      ['ru', RU, 0],
    ]);
  });
});
