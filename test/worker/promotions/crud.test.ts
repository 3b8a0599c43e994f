import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineCategoriesFrom, lineCategoriesJson, loadPromotionCandidates } from '../../../workers/promotions/public';
import { createCategory, createProduct, productInput, type ProductBody } from '../../support/catalog';
import { api, createUser, type TestUser, withDb } from '../../support/users';

interface PromotionBody {
  id: string;
  kind: string;
  status: string;
  funding: string;
  sellerId: string | null;
  codeCount: number;
  [key: string]: unknown;
}
interface Problem {
  code: string;
  errors?: Array<{ path: string }>;
  taken?: string[];
}

let admin: TestUser;
let seller: TestUser;
let otherSeller: TestUser;
let customer: TestUser;
let mine: ProductBody;
let theirs: ProductBody;
let parent: { id: string };
let child: { id: string };

async function ok<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

const tag = () => crypto.randomUUID().slice(0, 8).toUpperCase();
const percent = (extra: Record<string, unknown> = {}) => ({ name: 'Ten off', activation: 'code', params: { kind: 'percentage', percent: 10 }, ...extra });
const create = (user: TestUser, body: Record<string, unknown>) => api('POST', '/promotions', { token: user.accessToken, body });
const paths = async (res: Response) => ((await ok<Problem>(res, 400)).errors ?? []).map((e) => e.path);

beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
  otherSeller = await createUser('seller');
  customer = await createUser('customer');
  parent = await createCategory(admin);
  child = await createCategory(admin, { parentId: parent.id });
  mine = await createProduct(seller, productInput(child.id));
  theirs = await createProduct(otherSeller, productInput(child.id));
});

describe('promotion CRUD', () => {
  it('an admin creates, reads, changes, lists and archives a platform promotion', async () => {
    const body = {
      name: 'Spend 500 000, get 50 000 off',
      activation: 'automatic',
      currency: 'UZS',
      params: { kind: 'tiered', tiers: [{ minSubtotal: 500_000_00, amount: 50_000_00 }] },
      targets: { categoryIds: [parent.id] },
      startsAt: '2026-12-31T19:00:00Z',
      endsAt: '2027-01-10T19:00:00+05:00',
    };
    const made = await ok<PromotionBody>(await create(admin, body), 201);
    expect(made).toMatchObject({ kind: 'tiered', funding: 'platform', sellerId: null, status: 'active', endsAt: '2027-01-10T14:00:00.000Z', codeCount: 0 });
    expect(await ok<PromotionBody>(await api('GET', `/promotions/${made.id}`, { token: admin.accessToken }), 200)).toEqual(made);

    const paused = await ok<PromotionBody>(await api('PATCH', `/promotions/${made.id}`, { token: admin.accessToken, body: { status: 'paused', priority: 3 } }), 200);
    expect(paused).toMatchObject({ status: 'paused', priority: 3, name: body.name });
    const bad = await api('PATCH', `/promotions/${made.id}`, { token: admin.accessToken, body: { endsAt: '2026-12-01T00:00:00Z' } });
    expect(await paths(bad)).toEqual(['endsAt']);

    await ok(await api('DELETE', `/promotions/${made.id}`, { token: admin.accessToken }), 204);
    const archived = await ok<PromotionBody>(await api('GET', `/promotions/${made.id}`, { token: admin.accessToken }), 200);
    expect(archived.status).toBe('archived');
    const again = await api('PATCH', `/promotions/${made.id}`, { token: admin.accessToken, body: { status: 'active' } });
    expect((await ok<Problem>(again, 409)).code).toBe('CONFLICT');
    const listed = await ok<{ data: PromotionBody[] }>(await api('GET', '/promotions?kind=tiered&limit=100', { token: admin.accessToken }), 200);
    expect(listed.data.some((p) => p.id === made.id)).toBe(false);
  });

  it('rejects invalid rules with the paths at fault, and changes nothing', async () => {
    expect(await paths(await create(admin, percent({ params: { kind: 'percentage', percent: 0 } })))).toEqual(['params.percent']);
    expect(await paths(await create(admin, percent({ params: { kind: 'percentage', percent: 101 } })))).toEqual(['params.percent']);
    expect(await paths(await create(admin, percent({ params: { kind: 'fixed_amount', amount: 100 } })))).toEqual(['currency']);
    expect(await paths(await create(admin, percent({ startsAt: '2027-01-02T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' })))).toEqual(['endsAt']);
    const tiers = { kind: 'tiered', tiers: [{ minSubtotal: 500, amount: 5 }, { minSubtotal: 100, amount: 1 }] };
    expect(await paths(await create(admin, percent({ currency: 'UZS', params: tiers })))).toEqual(['params.tiers.1.minSubtotal']);
    expect(await paths(await create(admin, percent({ params: { kind: 'buy_x_get_y', buyQuantity: 0, getQuantity: 1 } })))).toEqual(['params.buyQuantity']);
    expect(await paths(await create(admin, percent({ targets: { productIds: [crypto.randomUUID()] } })))).toEqual(['targets.productIds.0']);
    expect(await paths(await create(admin, percent({ targets: { categoryIds: [crypto.randomUUID()] } })))).toEqual(['targets.categoryIds.0']);
    expect(await paths(await create(admin, percent({ sellerId: customer.id })))).toEqual(['sellerId']);
    const name = `Invalid ${tag()}`;
    await ok(await create(admin, percent({ name, params: { kind: 'percentage', percent: 0 } })), 400);
    const count = await withDb((db) => db.execute<{ n: number }>(sql`select count(*)::int as n from promotions where name = ${name}`));
    expect(count.rows[0]?.n).toBe(0);
  });
});

describe('seller scoping', () => {
  it('a seller funds its own promotions on its own products only; another seller’s are 404 to it', async () => {
    const own = await ok<PromotionBody>(await create(seller, percent({ targets: { productIds: [mine.id] } })), 201);
    expect(own).toMatchObject({ funding: 'seller', sellerId: seller.id });
    expect(await paths(await create(seller, percent({ targets: { productIds: [theirs.id] } })))).toEqual(['targets.productIds.0']);
    const reward = { kind: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, rewardProductIds: [theirs.id] };
    expect(await paths(await create(seller, percent({ params: reward })))).toEqual(['params.rewardProductIds.0']);
    expect(await paths(await create(seller, percent({ targets: { sellerIds: [otherSeller.id] } })))).toEqual(['targets.sellerIds']);
    expect(await paths(await create(seller, percent({ sellerId: otherSeller.id })))).toEqual(['sellerId']);

    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(method, `/promotions/${own.id}`, { token: otherSeller.accessToken, body: method === 'PATCH' ? { priority: 1 } : undefined });
      expect(res.status, method).toBe(404);
    }
    await ok(await api('GET', `/promotions/${own.id}/codes`, { token: otherSeller.accessToken }), 404);
    const theirList = await ok<{ data: PromotionBody[] }>(await api('GET', '/promotions?limit=100', { token: otherSeller.accessToken }), 200);
    expect(theirList.data.every((p) => p.sellerId === otherSeller.id)).toBe(true);
    expect((await ok<Problem>(await create(customer, percent()), 403)).code).toBe('FORBIDDEN');

    const byAdmin = await ok<PromotionBody>(await create(admin, percent({ sellerId: seller.id, targets: { productIds: [mine.id] } })), 201);
    expect(byAdmin).toMatchObject({ funding: 'seller', sellerId: seller.id });
    expect(await paths(await create(admin, percent({ sellerId: seller.id, targets: { productIds: [theirs.id] } })))).toEqual(['targets.productIds.0']);
    const sellerList = await ok<{ data: PromotionBody[] }>(await api('GET', `/promotions?platform=false&sellerId=${seller.id}&limit=100`, { token: admin.accessToken }), 200);
    expect(sellerList.data.map((p) => p.id)).toEqual(expect.arrayContaining([own.id, byAdmin.id]));
  });
});

describe('codes', () => {
  it('adds codes upper-case and unique; generates a batch of unique codes; lists them with a cursor', async () => {
    const promotion = await ok<PromotionBody>(await create(seller, percent()), 201);
    const code = `Tk${tag()}`;
    const added = await ok<{ data: Array<{ code: string; usageLimit: number | null }> }>(
      await api('POST', `/promotions/${promotion.id}/codes`, { token: seller.accessToken, body: { codes: [{ code: ` ${code} `, usageLimit: 5 }] } }),
      201,
    );
    expect(added.data).toMatchObject([{ code: code.toUpperCase(), usageLimit: 5 }]);
    const fresh = `NEW${tag()}`;
    const clash = await api('POST', `/promotions/${promotion.id}/codes`, { token: admin.accessToken, body: { codes: [{ code: fresh }, { code: code.toLowerCase() }] } });
    expect(await ok<Problem>(clash, 409)).toMatchObject({ code: 'CONFLICT', taken: [code.toUpperCase()] });
    expect(await paths(await api('POST', `/promotions/${promotion.id}/codes`, { token: seller.accessToken, body: { codes: [{ code: 'a b' }] } }))).toEqual(['codes.0.code']);

    const prefix = `B${tag().slice(0, 5)}-`;
    const batch = await ok<{ batchId: string; count: number; codes: string[] }>(
      await api('POST', `/promotions/${promotion.id}/codes/generate`, { token: seller.accessToken, body: { count: 50, prefix: prefix.toLowerCase(), length: 6 } }),
      201,
    );
    expect(batch.count).toBe(50);
    expect(new Set(batch.codes).size).toBe(50);
    for (const c of batch.codes) expect(c).toMatch(new RegExp(`^${prefix}[A-HJ-NP-Z2-9]{6}$`));

    const first = await ok<{ data: Array<{ code: string; batchId: string | null }>; nextCursor: string }>(
      await api('GET', `/promotions/${promotion.id}/codes?limit=30`, { token: seller.accessToken }),
      200,
    );
    const second = await ok<{ data: Array<{ code: string }>; nextCursor: string | null }>(
      await api('GET', `/promotions/${promotion.id}/codes?limit=30&cursor=${first.nextCursor}`, { token: seller.accessToken }),
      200,
    );
    const all = [...first.data, ...second.data].map((c) => c.code);
    expect(new Set(all)).toEqual(new Set([code.toUpperCase(), ...batch.codes]));
    expect(second.nextCursor).toBeNull();
    expect((await ok<PromotionBody>(await api('GET', `/promotions/${promotion.id}`, { token: seller.accessToken }), 200)).codeCount).toBe(51);
    const found = await ok<{ data: PromotionBody[] }>(await api('GET', `/promotions?code=${code.toLowerCase()}`, { token: admin.accessToken }), 200);
    expect(found.data.map((p) => p.id)).toEqual([promotion.id]);

    const automatic = await ok<PromotionBody>(await create(seller, percent({ activation: 'automatic' })), 201);
    const refused = await api('POST', `/promotions/${automatic.id}/codes/generate`, { token: seller.accessToken, body: { count: 1 } });
    expect((await ok<Problem>(refused, 409)).code).toBe('CONFLICT');
  });
});

describe('candidates loader', () => {
  it('reads active automatic promotions and the promotions of entered codes in one query; a line’s categories include ancestors', async () => {
    const created = new Date();
    const live = await ok<PromotionBody>(await create(seller, percent({ activation: 'automatic' })), 201);
    const future = await ok<PromotionBody>(await create(seller, percent({ activation: 'automatic', startsAt: new Date(created.getTime() + 86_400_000).toISOString() })), 201);
    const expiredCode = await ok<PromotionBody>(
      await create(seller, percent({ startsAt: new Date(created.getTime() - 7_200_000).toISOString(), endsAt: new Date(created.getTime() - 3_600_000).toISOString() })),
      201,
    );
    const code = `OLD${tag()}`;
    await ok(await api('POST', `/promotions/${expiredCode.id}/codes`, { token: seller.accessToken, body: { codes: [{ code }] } }), 201);

    const now = new Date(Date.now() + 1000);
    const loaded = await withDb((db) => loadPromotionCandidates(db, { codes: [code.toLowerCase(), 'NO-SUCH-CODE'], now }));
    const ids = loaded.promotions.map((p) => p.id);
    expect(ids).toContain(live.id);
    expect(ids).toContain(expiredCode.id);
    expect(ids).not.toContain(future.id);
    expect(loaded.codes).toMatchObject([{ code, promotionId: expiredCode.id, usageLimit: null }]);
    expect(loaded.promotions.find((p) => p.id === expiredCode.id)?.endsAt).toBeInstanceOf(Date);

    const sku = mine.variants[0]?.sku ?? '';
    const categories = await withDb(async (db) => lineCategoriesFrom((await db.execute<{ c: unknown }>(sql`select ${lineCategoriesJson([sku])} as c`)).rows[0]?.c));
    expect(new Set(categories.get(sku))).toEqual(new Set([child.id, parent.id]));
  });
});
