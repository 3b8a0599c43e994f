import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, listProducts, productInput, setPopularity, validationPaths, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let admin: TestUser, seller: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
}, HOOK_TIMEOUT);

interface Known {
  id: string;
  name: string;
  price: number;
  popularity: number;
}

// Ties on every sort key, so pages break inside runs of equal keys.
const SET: Array<Omit<Known, 'id'>> = [
  { name: 'mango', price: 500, popularity: 3 },
  { name: 'Mango', price: 500, popularity: 3 },
  { name: 'kiwi', price: 200, popularity: 0 },
  { name: 'lemon', price: 500, popularity: 3 },
  { name: 'kiwi', price: 800, popularity: 7 },
  { name: 'fig', price: 800, popularity: 7 },
  { name: 'date', price: 100, popularity: 1 },
];

const byId = (a: Known, b: Known) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
type Sort = 'newest' | 'price_asc' | 'price_desc' | 'name' | 'popular';

/** The documented order: the sort key, then the id in the same direction. */
const ORDER: Record<Sort, (a: Known, b: Known) => number> = {
  newest: (a, b) => byId(b, a),
  price_asc: (a, b) => a.price - b.price || byId(a, b),
  price_desc: (a, b) => b.price - a.price || byId(b, a),
  name: (a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : byId(a, b)),
  popular: (a, b) => b.popularity - a.popularity || byId(b, a),
};

/** Products inserted mid-walk: one that sorts before every original, one after (newest has no "after"). */
const INSERTS: Record<Sort, { before: Omit<Known, 'id'>; after?: Omit<Known, 'id'> }> = {
  newest: { before: { name: 'newer', price: 300, popularity: 0 } },
  price_asc: { before: { name: 'cheap', price: 1, popularity: 0 }, after: { name: 'dear', price: 1_000_000, popularity: 0 } },
  price_desc: { before: { name: 'dear', price: 1_000_000, popularity: 0 }, after: { name: 'cheap', price: 1, popularity: 0 } },
  name: { before: { name: 'aaaa', price: 300, popularity: 0 }, after: { name: 'zzzz', price: 300, popularity: 0 } },
  popular: { before: { name: 'hit', price: 300, popularity: 1_000_000 }, after: { name: 'flop', price: 300, popularity: -1 } },
};

async function add(categoryId: string, item: Omit<Known, 'id'>): Promise<Known> {
  const sku = `PG-${crypto.randomUUID().slice(0, 12).toUpperCase()}`;
  const p = await createProduct(seller, productInput(categoryId, { name: item.name, variants: [{ sku, price: item.price, currency: 'USD' }] }));
  if (item.popularity) await setPopularity(p.id, item.popularity);
  return { id: p.id, ...item };
}

async function knownSet(): Promise<{ categoryId: string; items: Known[] }> {
  const { id: categoryId } = await createCategory(admin);
  const items: Known[] = [];
  for (const item of SET) items.push(await add(categoryId, item));
  return { categoryId, items };
}

/** Follows nextCursor to the end, checking page sizes; `between` runs before each later page. */
async function walk(query: string, limit: number, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    if (page > 0) await between?.(page);
    const result = await listProducts(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(result.data.length).toBeLessThanOrEqual(limit);
    seen.push(...result.data.map((p) => p.id));
    cursor = result.nextCursor;
    if (!cursor) return seen;
    expect(result.data).toHaveLength(limit);
  }
  throw new Error('the walk did not end');
}

const SORTS: Sort[] = ['newest', 'price_asc', 'price_desc', 'name', 'popular'];

describe('keyset pagination', () => {
  it.each(SORTS)('sort=%s: every page size walks the set once, in order', async (sort) => {
    const { categoryId, items } = await knownSet();
    const expected = [...items].sort(ORDER[sort]).map((k) => k.id);
    for (const limit of [1, 2, 3, 7, 100]) {
      expect(await walk(`category=${categoryId}&sort=${sort}`, limit), `limit=${limit}`).toEqual(expected);
    }
  }, HOOK_TIMEOUT);

  it.each(SORTS)('sort=%s: products added while paging cause no duplicates and no gaps', async (sort) => {
    const { categoryId, items } = await knownSet();
    const expected = [...items].sort(ORDER[sort]).map((k) => k.id);
    const added: { before: string[]; after: string[] } = { before: [], after: [] };
    const ids = await walk(`category=${categoryId}&sort=${sort}`, 2, async (page) => {
      if (page > 2) return;
      // Before every original: must not appear (it is behind the cursor), nor shift the pages.
      added.before.push((await add(categoryId, INSERTS[sort].before)).id);
      const after = INSERTS[sort].after;
      if (after) added.after.push((await add(categoryId, after)).id);
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => expected.includes(id))).toEqual(expected);
    for (const id of added.before) expect(ids).not.toContain(id);
    // Ahead of the cursor: reached later in the same walk.
    expect(ids.slice(expected.length)).toEqual([...added.after].sort(sort === 'price_desc' || sort === 'popular' ? (a, b) => (a < b ? 1 : -1) : undefined));
    expect(ids).toHaveLength(expected.length + added.after.length);
  }, HOOK_TIMEOUT);
});

describe('invalid paging input', () => {
  const b64 = (value: unknown) => btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

  it('400 for a malformed cursor or a limit out of 1..100', async () => {
    const bad = async (query: string, path: string) => expect(await validationPaths(await api('GET', `/products?${query}`))).toContain(path);
    await bad('cursor=not-a-cursor!!', 'cursor');
    await bad(`cursor=${b64({ id: 'nope' })}`, 'cursor');
    await bad(`cursor=${btoa('not json')}`, 'cursor');
    await bad('limit=0', 'limit');
    await bad('limit=101', 'limit');
    await bad('limit=-5', 'limit');
    await bad('limit=abc', 'limit');
    expect((await api('GET', '/products?limit=100')).status).toBe(200);
  });

  it('400 (not 500) for a cursor whose sort value has the wrong type', async () => {
    const cursor = b64({ id: crypto.randomUUID(), k: 'not-a-price' });
    for (const sort of ['price_asc', 'price_desc', 'popular']) {
      const res = await api('GET', `/products?sort=${sort}&cursor=${cursor}`);
      await expectProblem(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('400 for a cursor from another sort (it lacks the sort value), not a silently empty page', async () => {
    const { categoryId } = await knownSet();
    const first = await listProducts(`category=${categoryId}&sort=newest&limit=2`);
    expect(first.nextCursor).toEqual(expect.any(String));
    const res = await api('GET', `/products?category=${categoryId}&sort=price_asc&limit=2&cursor=${first.nextCursor}`);
    await expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});
