import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCategory,
  createProduct,
  listIds,
  productInput,
  type ProductBody,
  setPopularity,
  setStock,
  validationPaths,
  HOOK_TIMEOUT,
} from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let admin: TestUser, seller: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
}, HOOK_TIMEOUT);

const sku = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
const usd = (price: number, label = 'V') => ({ sku: sku(label), price, currency: 'USD' });
const sorted = (ids: string[]) => [...ids].sort();

describe('filters', () => {
  it('category includes every descendant, not siblings', async () => {
    const root = await createCategory(admin);
    const child = await createCategory(admin, { parentId: root.id });
    const grandchild = await createCategory(admin, { parentId: child.id });
    const sibling = await createCategory(admin, { parentId: root.id });
    const elsewhere = await createCategory(admin);
    const inRoot = await createProduct(seller, productInput(root.id));
    const inChild = await createProduct(seller, productInput(child.id));
    const inGrandchild = await createProduct(seller, productInput(grandchild.id));
    const inSibling = await createProduct(seller, productInput(sibling.id));
    await createProduct(seller, productInput(elsewhere.id));

    expect(sorted(await listIds(`category=${root.id}`))).toEqual(sorted([inRoot.id, inChild.id, inGrandchild.id, inSibling.id]));
    expect(sorted(await listIds(`category=${child.id}`))).toEqual(sorted([inChild.id, inGrandchild.id]));
    expect(await listIds(`category=${grandchild.id}`)).toEqual([inGrandchild.id]);
    expect(await listIds(`category=${sibling.id}`)).toEqual([inSibling.id]);
    expect(await listIds(`category=${crypto.randomUUID()}`)).toEqual([]);
  });

  it('minPrice/maxPrice match a product when any variant is in range (inclusive)', async () => {
    const category = await createCategory(admin);
    const spread = await createProduct(seller, productInput(category.id, { variants: [usd(100), usd(5000)] }));
    const mid = await createProduct(seller, productInput(category.id, { variants: [usd(2000)] }));
    const dear = await createProduct(seller, productInput(category.id, { variants: [usd(9000), usd(9500)] }));
    const q = (range: string) => listIds(`category=${category.id}&sort=price_asc&${range}`);

    // The spread product's cheapest (100) and dearest (5000) are both outside 1000..3000.
    expect(await q('minPrice=1000&maxPrice=3000')).toEqual([mid.id]);
    // Its dearer variant is in range although its minimum price is not.
    expect(await q('minPrice=4000&maxPrice=6000')).toEqual([spread.id]);
    expect(await q('minPrice=2000&maxPrice=2000')).toEqual([mid.id]);
    expect(await q('maxPrice=100')).toEqual([spread.id]);
    expect(await q('maxPrice=99')).toEqual([]);
    expect(await q('minPrice=5000')).toEqual([spread.id, dear.id]);
    expect(await q('minPrice=9501')).toEqual([]);
    expect(await q('minPrice=0')).toEqual([spread.id, mid.id, dear.id]);
  });

  it('seller', async () => {
    const category = await createCategory(admin);
    const other = await createUser('seller');
    const mine = await createProduct(seller, productInput(category.id));
    const theirs = await createProduct(other, productInput(category.id));
    expect(await listIds(`category=${category.id}&seller=${seller.id}`)).toEqual([mine.id]);
    expect(await listIds(`category=${category.id}&seller=${other.id}`)).toEqual([theirs.id]);
    expect(await listIds(`seller=${other.id}`)).toEqual([theirs.id]);
  });

  it('inStock: some variant has available stock', async () => {
    const category = await createCategory(admin);
    const oneInStock = await createProduct(seller, productInput(category.id, { variants: [usd(100, 'OUT'), usd(200, 'IN')] }));
    const allReserved = await createProduct(seller, productInput(category.id, { variants: [usd(100, 'RES')] }));
    const noRows = await createProduct(seller, productInput(category.id, { variants: [usd(100, 'NONE')] }));
    await setStock(oneInStock.variants[0]?.sku as string, 0);
    await setStock(oneInStock.variants[1]?.sku as string, 3);
    await setStock(allReserved.variants[0]?.sku as string, 5, 5);

    expect(await listIds(`category=${category.id}&inStock=true`)).toEqual([oneInStock.id]);
    expect(sorted(await listIds(`category=${category.id}&inStock=false`))).toEqual(sorted([allReserved.id, noRows.id]));

    // The stock read table changes; a writer's fresh read (not cached: no write went through the API) sees it.
    await setStock(allReserved.variants[0]?.sku as string, 6, 5);
    const res = await api('GET', `/products?category=${category.id}&inStock=true&status=published`, {
      token: seller.accessToken,
      headers: { 'cache-control': 'no-cache' },
    });
    expect(sorted((await res.json<{ data: ProductBody[] }>()).data.map((p) => p.id))).toEqual(sorted([oneInStock.id, allReserved.id]));
  });

  it('attributes: text, numeric and boolean values, combined with AND', async () => {
    const category = await createCategory(admin);
    const redBig = await createProduct(seller, productInput(category.id, { attributes: { brand: 'Acme', colour: 'red', storage_gb: 256, refurbished: true } }));
    const blueSmall = await createProduct(seller, productInput(category.id, { attributes: { brand: 'Acme', colour: 'blue', storage_gb: 128 } }));
    const otherRed = await createProduct(seller, productInput(category.id, { attributes: { brand: 'Other Co', colour: 'red' } }));
    const q = (attrs: string[]) => listIds(`category=${category.id}&${attrs.map((a) => `attr=${encodeURIComponent(a)}`).join('&')}`);

    expect(sorted(await q(['brand:Acme']))).toEqual(sorted([redBig.id, blueSmall.id]));
    expect(await q(['brand:Acme', 'colour:red'])).toEqual([redBig.id]);
    expect(await q(['brand:Other Co'])).toEqual([otherRed.id]);
    expect(await q(['storage_gb:256'])).toEqual([redBig.id]);
    expect(await q(['storage_gb:128', 'brand:Acme'])).toEqual([blueSmall.id]);
    expect(await q(['refurbished:true'])).toEqual([redBig.id]);
    expect(await q(['brand:acme'])).toEqual([]);
    expect(await q(['brand:Acme', 'colour:green'])).toEqual([]);
    expect(await q(['material:wool'])).toEqual([]);
  });

  it('combines filters', async () => {
    const category = await createCategory(admin);
    const a = await createProduct(seller, productInput(category.id, { attributes: { brand: 'Acme' }, variants: [usd(500)] }));
    await createProduct(seller, productInput(category.id, { attributes: { brand: 'Acme' }, variants: [usd(5000)] }));
    await createProduct(seller, productInput(category.id, { attributes: { brand: 'Zed' }, variants: [usd(500)] }));
    expect(await listIds(`category=${category.id}&seller=${seller.id}&attr=brand:Acme&maxPrice=1000`)).toEqual([a.id]);
  });

  it('400 for malformed filter values', async () => {
    const bad = async (query: string, path: string) => expect(await validationPaths(await api('GET', `/products?${query}`))).toContain(path);
    await bad('category=not-a-uuid', 'category');
    await bad('seller=42', 'seller');
    await bad('minPrice=-1', 'minPrice');
    await bad('maxPrice=1.5', 'maxPrice');
    await bad('inStock=yes', 'inStock');
    await bad('attr=brand', 'attr.0');
    await bad('sort=cheapest', 'sort');
  });
});

describe('sorts: exact order on a known set', () => {
  let category: { id: string };
  // Created oldest first: [name, price, popularity].
  const spec: Array<[string, number, number]> = [
    ['delta', 300, 5],
    ['Alpha', 100, 0],
    ['charlie', 300, 9],
    ['bravo', 50, 5],
    ['echo', 999, 1],
  ];
  let ids: string[] = [];
  beforeAll(async () => {
    category = await createCategory(admin);
    ids = [];
    for (const [name, price, popularity] of spec) {
      const p = await createProduct(seller, productInput(category.id, { name, variants: [usd(price)] }));
      await setPopularity(p.id, popularity);
      ids.push(p.id);
    }
  }, HOOK_TIMEOUT);
  const order = (...indexes: number[]) => indexes.map((i) => ids[i]);
  const sortedBy = (sort?: string) => listIds(`category=${category.id}${sort ? `&sort=${sort}` : ''}`);

  it('newest (the default): last created first', async () => {
    expect(await sortedBy()).toEqual(order(4, 3, 2, 1, 0));
    expect(await sortedBy('newest')).toEqual(order(4, 3, 2, 1, 0));
  });
  it('price_asc and price_desc by the cheapest variant; ties by id', async () => {
    const [d, c] = [ids[0] as string, ids[2] as string];
    expect(await sortedBy('price_asc')).toEqual([ids[3], ids[1], ...[d, c].sort(), ids[4]]);
    expect(await sortedBy('price_desc')).toEqual([ids[4], ...[d, c].sort().reverse(), ids[1], ids[3]]);
  });
  it('name, case-insensitive', async () => {
    expect(await sortedBy('name')).toEqual(order(1, 3, 2, 0, 4));
  });
  it('popular: most sold first; ties by id, newest first', async () => {
    expect(await sortedBy('popular')).toEqual(order(2, 3, 0, 4, 1));
  });
});
