import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippingMethods } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { type Client, createCategory, createProduct, HOOK_TIMEOUT, isolatedClient, productInput, type ProductBody, roundTrips } from '../../support/catalog';
import { setStock } from '../../support/checkout';
import { createUser, type TestUser, withDb } from '../../support/users';
import { createMethod, createZone, type MethodBody, methodBody, TEST_COUNTRY, uniqueRegion } from '../shipping/support';

// The reads that name things to a shopper beyond products, categories and search: recommendations,
// cart lines and shipping methods answer in the reader's locale, fall back to the default (uz) and
// never serve one locale's cached answer to another (docs/catalog.md "Locales").

const UZ = 'Yogʻoch qoshiq';
const RU = 'Деревянная ложка';

let admin: TestUser, seller: TestUser;
let spoon: ProductBody, neighbour: ProductBody;

beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
  const category = await createCategory(admin);
  // Russian and no English: an English reader gets the Uzbek name.
  spoon = await createProduct(seller, productInput(category.id, { name: UZ, translations: { ru: { name: RU } } }));
  neighbour = await createProduct(seller, productInput(category.id));
  await setStock(seller, spoon.variants[0]?.sku ?? '', 10);
}, HOOK_TIMEOUT);

interface Read<T> {
  language: string | null;
  vary: string;
  trips: number;
  body: T;
}

async function read<T>(client: Client, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}, status = 200): Promise<Read<T>> {
  const res = await client(method, path, options);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return { language: res.headers.get('content-language'), vary: res.headers.get('vary') ?? '', trips: roundTrips(res), body: JSON.parse(text) as T };
}

describe('recommendations', () => {
  type Recs = { data: Array<{ id: string; name: string }> };
  const spoonName = (r: Read<Recs>) => r.body.data.find((p) => p.id === spoon.id)?.name;

  it('name products in the reader’s locale, fall back to the default, and cache one answer per locale', async () => {
    const client = isolatedClient('locale-reads-recs');
    const path = `/recommendations?productId=${neighbour.id}&limit=5`;
    const ru = await read<Recs>(client, 'GET', path, { headers: { 'accept-language': 'ru-RU, en;q=0.5' } });
    expect(ru.language).toBe('ru');
    expect(ru.vary).toMatch(/Accept-Language/);
    expect(spoonName(ru)).toBe(RU);
    // The cached Russian answer is not what an Uzbek reader gets; each locale's answer is cached on its own.
    const uz = await read<Recs>(client, 'GET', `${path}&locale=uz`, { headers: { 'accept-language': 'ru' } });
    expect(uz.language).toBe('uz');
    expect(spoonName(uz)).toBe(UZ);
    const en = await read<Recs>(client, 'GET', path, { headers: { 'accept-language': 'en' } });
    expect(en.language).toBe('en');
    expect(spoonName(en)).toBe(UZ);
    const again = await read<Recs>(client, 'GET', path, { headers: { 'accept-language': 'ru' } });
    expect(again.trips).toBe(0);
    expect(spoonName(again)).toBe(RU);
    expect(spoonName(await read<Recs>(client, 'GET', `${path}&locale=uz`))).toBe(UZ);
    await expectProblem(await client('GET', `${path}&locale=fr`), 400, 'VALIDATION_FAILED');
  });
});

describe('cart lines', () => {
  type Cart = { lines: Array<{ id: string; sku: string; name: string | null }> };
  const sku = () => spoon.variants[0]?.sku ?? '';

  it('the cart and its changes name lines in the reader’s locale from one cached entry per SKU', async () => {
    const client = isolatedClient('locale-reads-cart');
    const buyer = await createUser();
    const token = buyer.accessToken;
    const added = await read<Cart>(client, 'POST', '/cart/items', { token, body: { sku: sku(), quantity: 1 }, headers: { 'accept-language': 'ru' } }, 201);
    expect(added.language).toBe('ru');
    expect(added.body.lines[0]?.name).toBe(RU);
    // The SKU's entry is cached now: every locale reads it with no database round trip.
    const uz = await read<Cart>(client, 'GET', '/cart?locale=uz', { token, headers: { 'accept-language': 'ru' } });
    expect(uz).toMatchObject({ language: 'uz', trips: 0 });
    expect(uz.vary).toMatch(/Accept-Language/);
    expect(uz.body.lines[0]?.name).toBe(UZ);
    const ru = await read<Cart>(client, 'GET', '/cart', { token, headers: { 'accept-language': 'fr, ru;q=0.7' } });
    expect(ru).toMatchObject({ language: 'ru', trips: 0 });
    expect(ru.body.lines[0]?.name).toBe(RU);
    const en = await read<Cart>(client, 'GET', '/cart', { token, headers: { 'accept-language': 'en' } });
    expect(en.language).toBe('en');
    expect(en.body.lines[0]?.name).toBe(UZ);
    const changed = await read<Cart>(client, 'PATCH', `/cart/items/${added.body.lines[0]?.id}?locale=ru`, { token, body: { quantity: 2 } });
    expect(changed.language).toBe('ru');
    expect(changed.body.lines[0]?.name).toBe(RU);
    expect((await read<Cart>(client, 'GET', '/cart', { token })).body.lines[0]?.name).toBe(UZ);
    await expectProblem(await client('GET', '/cart?locale=*', { token }), 400, 'VALIDATION_FAILED');
  });
});

describe('shipping methods', () => {
  type Option = { methodId: string; name: string; names: Record<string, string> };
  type Options = { groups: Array<{ options: Option[] }> };
  let region: string, method: MethodBody, buyer: TestUser;

  beforeAll(async () => {
    region = uniqueRegion();
    const zone = await createZone(admin, TEST_COUNTRY, [region]);
    method = await createMethod(admin, methodBody(zone.id));
    // A method stored before every locale was required: no English name.
    await withDb((db) => db.update(shippingMethods).set({ names: { uz: 'Kuryer', ru: 'Курьер' } as never }).where(eq(shippingMethods.id, method.id)));
    buyer = await createUser();
    const client = isolatedClient('locale-reads-shipping');
    await read(client, 'POST', '/cart/items', { token: buyer.accessToken, body: { sku: spoon.variants[0]?.sku, quantity: 1 } }, 201);
  }, HOOK_TIMEOUT);

  it('options for the cart name each method in the reader’s locale, else the default', async () => {
    const client = isolatedClient('locale-reads-shipping');
    const path = `/shipping/options?country=${TEST_COUNTRY}&regionCode=${region}`;
    const optionOf = (r: Read<Options>) => r.body.groups.flatMap((g) => g.options).find((o) => o.methodId === method.id);
    const ru = await read<Options>(client, 'GET', path, { token: buyer.accessToken, headers: { 'accept-language': 'ru' } });
    expect(ru.language).toBe('ru');
    expect(ru.vary).toMatch(/Accept-Language/);
    expect(optionOf(ru)).toMatchObject({ name: 'Курьер', names: { uz: 'Kuryer', ru: 'Курьер' } });
    const en = await read<Options>(client, 'GET', `${path}&locale=en`, { token: buyer.accessToken, headers: { 'accept-language': 'ru' } });
    expect(en.language).toBe('en');
    expect(optionOf(en)?.name).toBe('Kuryer');
    expect(optionOf(await read<Options>(client, 'GET', path, { token: buyer.accessToken }))?.name).toBe('Kuryer');
  });

  it('the method and the method list name it in the reader’s locale', async () => {
    const client = isolatedClient('locale-reads-methods');
    const one = await read<{ name: string }>(client, 'GET', `/shipping/methods/${method.id}`, { headers: { 'accept-language': 'ru' } });
    expect(one).toMatchObject({ language: 'ru', body: { name: 'Курьер' } });
    const list = await read<{ data: Array<{ id: string; name: string }> }>(client, 'GET', '/shipping/methods?platform=true&limit=100&locale=en');
    expect(list.language).toBe('en');
    expect(list.body.data.find((m) => m.id === method.id)?.name).toBe('Kuryer');
    const uz = await read<{ name: string }>(client, 'GET', `/shipping/methods/${method.id}?locale=uz`, { headers: { 'accept-language': 'ru' } });
    expect(uz).toMatchObject({ language: 'uz', body: { name: 'Kuryer' } });
  });
});
