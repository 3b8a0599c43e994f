import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryLevels } from '../../shared/db/schema';
import { createCategory, createProduct, productInput } from '../support/catalog';
import { securityMatrix } from '../support/security';
import { api, createUser, type TestUser, withDb } from '../support/users';

const alarm = (sku: string) => runDurableObjectAlarm(env.INVENTORY.get(env.INVENTORY.idFromName(`sku:${sku}`)));

describe('inventory endpoints', () => {
  let admin: TestUser, seller: TestUser, otherSeller: TestUser;
  let skus: string[];

  beforeAll(async () => {
    admin = await createUser('admin');
    seller = await createUser('seller');
    otherSeller = await createUser('seller');
    const category = await createCategory(admin);
    const tag = crypto.randomUUID().slice(0, 8).toUpperCase();
    const product = await createProduct(
      seller,
      productInput(category.id, {
        variants: ['A', 'B', 'C'].map((v) => ({ sku: `INV-${tag}-${v}`, price: 1000, currency: 'USD' })),
      }),
    );
    skus = product.variants.map((v) => v.sku);
  });

  it('sets, adjusts, reads and logs stock; the public sees only what can be bought', async () => {
    const sku = skus[0] ?? '';
    expect((await api('PUT', `/inventory/${sku}`, { token: seller.accessToken, body: { onHand: 10 } })).status).toBe(200);
    const adjusted = await api('POST', `/inventory/${sku}/adjust`, { token: seller.accessToken, body: { delta: -2, reason: 'damaged' } });
    expect(await adjusted.json()).toMatchObject({ onHand: 8, reserved: 0, available: 8, inStock: true });
    expect(await (await api('GET', `/inventory/${sku}`)).json()).toEqual({ sku, available: 8, inStock: true });
    const owner = await (await api('GET', `/inventory/${sku}`, { token: seller.accessToken })).json<Record<string, unknown>>();
    expect(owner).toMatchObject({ onHand: 8, reserved: 0, reservations: [] });
    const moves = await (await api('GET', `/inventory/${sku}/movements?limit=1`, { token: seller.accessToken })).json<{
      data: Array<{ delta: number; reason: string }>;
      nextCursor: string | null;
    }>();
    expect(moves.data).toEqual([expect.objectContaining({ delta: -2, reason: 'adjust:damaged' })]);
    const older = await (await api('GET', `/inventory/${sku}/movements?limit=1&cursor=${moves.nextCursor}`, { token: seller.accessToken })).json<{
      data: Array<{ delta: number }>;
    }>();
    expect(older.data.map((m) => m.delta)).toEqual([10]);
  });

  it('refuses bad input, other sellers and customers', async () => {
    const sku = skus[0] ?? '';
    expect((await api('PUT', `/inventory/${sku}`, { token: seller.accessToken, body: { onHand: -1 } })).status).toBe(400);
    expect((await api('POST', `/inventory/${sku}/adjust`, { token: seller.accessToken, body: { delta: 0, reason: 'lost' } })).status).toBe(400);
    expect((await api('PUT', `/inventory/${sku}`, { token: otherSeller.accessToken, body: { onHand: 1 } })).status).toBe(404);
    const customer = await createUser();
    expect((await api('PUT', `/inventory/${sku}`, { token: customer.accessToken, body: { onHand: 1 } })).status).toBe(403);
    expect((await api('GET', '/inventory/NO-SUCH-SKU-XYZ')).status).toBe(404);
  });

  it('lists low stock: a seller its own SKUs, an admin everyone’s', async () => {
    await api('PUT', `/inventory/${skus[1]}`, { token: seller.accessToken, body: { onHand: 2 } });
    await api('PUT', `/inventory/${skus[2]}`, { token: seller.accessToken, body: { onHand: 50 } });
    for (const sku of skus) await alarm(sku);
    const own = await (await api('GET', '/inventory?lowStock=5&limit=100', { token: seller.accessToken })).json<{ data: Array<{ sku: string }> }>();
    expect(own.data.map((r) => r.sku)).toContain(skus[1]);
    expect(own.data.map((r) => r.sku)).not.toContain(skus[2]);
    const theirs = await (await api('GET', '/inventory?lowStock=5&limit=100', { token: otherSeller.accessToken })).json<{ data: Array<{ sku: string }> }>();
    expect(theirs.data.map((r) => r.sku)).not.toContain(skus[1]);
  });

  it('reconcile repairs a deliberately corrupted read table and reports what differed', async () => {
    for (const sku of skus) await alarm(sku);
    const truth = await Promise.all(skus.map(async (sku) => (await (await api('GET', `/inventory/${sku}`, { token: admin.accessToken })).json<{ onHand: number }>()).onHand));
    await withDb(async (db) => {
      await db.update(inventoryLevels).set({ onHand: 999, available: 999 }).where(eq(inventoryLevels.sku, skus[1] ?? ''));
      await db.delete(inventoryLevels).where(eq(inventoryLevels.sku, skus[2] ?? ''));
    });
    const repaired: Array<{ sku: string; table: { onHand: number } | null; actual: { onHand: number } }> = [];
    let cursor: string | null = null;
    do {
      // Only this test's SKUs: other test files write the read table directly.
      const body = { skus, limit: 2, ...(cursor ? { cursor } : {}) };
      const res = await api('POST', '/inventory/reconcile', { token: admin.accessToken, body });
      expect(res.status).toBe(200);
      const report = await res.json<{ repaired: typeof repaired; nextCursor: string | null }>();
      repaired.push(...report.repaired);
      cursor = report.nextCursor;
    } while (cursor);
    const mine = repaired.filter((r) => skus.includes(r.sku));
    expect(mine).toEqual(
      expect.arrayContaining([
        { sku: skus[1], table: expect.objectContaining({ onHand: 999 }), actual: expect.objectContaining({ onHand: truth[1] }) },
        { sku: skus[2], table: null, actual: expect.objectContaining({ onHand: truth[2] }) },
      ]),
    );
    expect(mine.map((r) => r.sku)).not.toContain(skus[0]);
    expect(repaired.every((r) => skus.includes(r.sku))).toBe(true);
    const rows = await withDb((db) => db.select().from(inventoryLevels).where(inArray(inventoryLevels.sku, skus)));
    for (const [i, sku] of skus.entries()) expect(rows.find((r) => r.sku === sku)?.onHand).toBe(truth[i]);
  });

  it('reconcile is for admins only', async () => {
    expect((await api('POST', '/inventory/reconcile', { token: seller.accessToken, body: {} })).status).toBe(403);
  });
});

securityMatrix({ method: 'POST', path: '/inventory/reconcile', body: {}, roles: ['admin'] });
securityMatrix({ method: 'GET', path: '/inventory?lowStock=5', roles: ['seller', 'admin'] });
