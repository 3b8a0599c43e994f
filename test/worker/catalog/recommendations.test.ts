import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderItems, orders, products, sellerOrders } from '../../../shared/db/schema';
import { createCategory, createProduct, productInput, type ProductBody } from '../../support/catalog';
import { api, createUser, type TestUser, withDb } from '../../support/users';

interface Recs {
  data: Array<{ id: string; status: string; categoryId: string }>;
  strategy: string;
}

describe('GET /recommendations', () => {
  let seller: TestUser;
  let category: { id: string };
  let a: ProductBody, b: ProductBody, c: ProductBody, draft: ProductBody, deleted: ProductBody;

  beforeAll(async () => {
    const admin = await createUser('admin');
    seller = await createUser('seller');
    category = await createCategory(admin);
    a = await createProduct(seller, productInput(category.id));
    b = await createProduct(seller, productInput(category.id));
    c = await createProduct(seller, productInput(category.id));
    draft = await createProduct(seller, productInput(category.id, { status: 'draft' }));
    deleted = await createProduct(seller, productInput(category.id));
    expect((await api('DELETE', `/products/${deleted.id}`, { token: seller.accessToken })).status).toBe(204);
    await withDb(async (db) => {
      await db.update(products).set({ popularity: 5 }).where(eq(products.id, b.id));
      await db.update(products).set({ popularity: 9 }).where(eq(products.id, c.id));
      await db.update(products).set({ popularity: 1_000_000 }).where(inArray(products.id, [draft.id, deleted.id]));
    });
  });

  it('for a product: the same category by popularity first, never itself or hidden products', async () => {
    const res = await api('GET', `/recommendations?productId=${a.id}&limit=10`, { headers: { 'cache-control': 'no-cache' } });
    expect(res.status).toBe(200);
    const recs = await res.json<Recs>();
    expect(recs.strategy).toBe('same_category');
    expect(recs.data.slice(0, 2).map((p) => p.id)).toEqual([c.id, b.id]);
    const ids = recs.data.map((p) => p.id);
    expect(ids).not.toContain(a.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(deleted.id);
    expect(recs.data.every((p) => p.status === 'published')).toBe(true);
  });

  it('for a signed-in shopper: the categories they viewed', async () => {
    const shopper = await createUser();
    expect((await api('GET', `/products/${a.slug}`, { token: shopper.accessToken })).status).toBe(200);
    await expect
      .poll(async () => (await (await api('GET', '/recommendations?limit=3', { token: shopper.accessToken })).json<Recs>()).strategy)
      .toBe('your_categories');
    const recs = await (await api('GET', '/recommendations?limit=3', { token: shopper.accessToken })).json<Recs>();
    expect(recs.data.map((p) => p.categoryId)).toEqual([category.id, category.id, category.id]);
    expect(recs.data.map((p) => p.id)).not.toContain(draft.id);
  });

  it('for anyone else: popular published products, most popular first', async () => {
    const recs = await (await api('GET', '/recommendations?limit=50', { headers: { 'cache-control': 'no-cache' } })).json<Recs>();
    expect(recs.strategy).toBe('popular');
    const ids = recs.data.map((p) => p.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(deleted.id);
    expect(recs.data.every((p) => p.status === 'published')).toBe(true);
  });

  it('for a product: what was bought together with it comes first, only from paid orders', async () => {
    const admin = await createUser('admin');
    const other = await createCategory(admin);
    const anchor = await createProduct(seller, productInput(category.id));
    const companion = await createProduct(seller, productInput(other.id));
    const unpaidCompanion = await createProduct(seller, productInput(other.id));
    const hiddenCompanion = await createProduct(seller, productInput(other.id, { status: 'draft' }));
    const buyer = await createUser();
    const order = (status: 'paid' | 'pending_payment', productIds: string[]) => {
      const id = crypto.randomUUID();
      return withDb(async (db) => {
        await db.insert(orders).values({
          id, userId: buyer.id, status, currency: 'USD', subtotal: 100, tax: 0, shipping: 0, total: 100,
          shippingAddress: { recipientName: 'X', phone: '+998901234567', country: 'UZ', city: 'T', street: 'S' },
          reservationExpiresAt: new Date(),
        });
        const sellerOrderId = crypto.randomUUID();
        await db.insert(sellerOrders).values({
          id: sellerOrderId, orderId: id, sellerId: seller.id, status, currency: 'USD', subtotal: 100, tax: 0, shipping: 0, total: 100,
        });
        await db.insert(orderItems).values(
          productIds.map((productId) => ({
            id: crypto.randomUUID(), orderId: id, sellerOrderId, productId, sellerId: seller.id, sku: `S-${productId}`, name: 'n',
            quantity: 1, unitPrice: 100, lineTotal: 100, currency: 'USD', reservationId: `r-${id}-${productId}`,
          })),
        );
      });
    };
    await order('paid', [anchor.id, companion.id, hiddenCompanion.id]);
    await order('paid', [anchor.id, companion.id]);
    await order('pending_payment', [anchor.id, unpaidCompanion.id]);

    const recs = await (await api('GET', `/recommendations?productId=${anchor.id}&limit=10`)).json<Recs>();
    expect(recs.strategy).toBe('bought_together');
    expect(recs.data[0]?.id).toBe(companion.id);
    const ids = recs.data.map((p) => p.id);
    expect(ids).not.toContain(hiddenCompanion.id);
    // Then the anchor's own category (a, b, c); an unpaid order is not "bought", so its product comes after.
    expect(recs.data.slice(1, 4).map((p) => p.categoryId)).toEqual([category.id, category.id, category.id]);
    expect(ids.indexOf(unpaidCompanion.id) === -1 || ids.indexOf(unpaidCompanion.id) > 3).toBe(true);
  });

  it('validates its parameters', async () => {
    expect((await api('GET', '/recommendations?productId=nope')).status).toBe(400);
    expect((await api('GET', '/recommendations?limit=0')).status).toBe(400);
  });
});
