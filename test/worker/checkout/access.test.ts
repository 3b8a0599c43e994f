import { inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { buy, openShop, orderOf, type OrderBody, payAndSettle, paymentOf, type Placed, setOrderStatus, type Shop } from '../../support/checkout';

interface Stats {
  currency: string;
  countsByStatus: Record<string, number>;
  revenue: number;
  paidOrders: number;
  averageOrderValue: number;
  days: Array<{ day: string; orders: number; revenue: number }>;
}

const PAID_STATES = ['paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'partially_refunded', 'refunded'];

async function listOf(user: TestUser): Promise<OrderBody[]> {
  const res = await api('GET', '/orders?limit=100', { token: user.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ data: OrderBody[] }>()).data;
}

async function stats(user: TestUser, from: Date, to: Date): Promise<Stats> {
  const res = await api('GET', `/orders/stats?from=${from.toISOString()}&to=${to.toISOString()}`, { token: user.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Stats>();
}

/** What must hold for any stats answer, whatever else is in the range. */
function expectSelfConsistent(s: Stats): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(sum(Object.values(s.countsByStatus))).toBe(sum(s.days.map((d) => d.orders)));
  expect(s.revenue).toBe(sum(s.days.map((d) => d.revenue)));
  expect(s.paidOrders).toBe(sum(PAID_STATES.map((st) => s.countsByStatus[st] ?? 0)));
  expect(s.averageOrderValue).toBe(s.paidOrders ? Math.round(s.revenue / s.paidOrders) : 0);
}

describe('who sees and moves which order', () => {
  let shopA: Shop;
  let shopB: Shop;
  let sellerC: TestUser;
  let buyer1: TestUser;
  let buyer2: TestUser;
  let both: Placed; // buyer1: one line from each seller, paid
  let onlyA: Placed; // buyer2: one line from seller A, unpaid

  beforeAll(async () => {
    [shopA, shopB] = await Promise.all([openShop([1500], 10), openShop([2500], 10)]);
    sellerC = await createUser('seller');
    [buyer1, buyer2] = [await createUser(), await createUser()];
    both = await buy(buyer1, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 2],
    ]);
    await payAndSettle(buyer1, both);
    onlyA = await buy(buyer2, [[shopA.skus[0] ?? '', 3]]);
  });

  it("a customer reading another customer's order gets 404; its list holds only its own orders", async () => {
    await expectProblem(await api('GET', `/orders/${both.order.id}`, { token: buyer2.accessToken }), 404, 'NOT_FOUND');
    // Listing payments by someone else's order id finds none.
    const payments = await api('GET', `/payments?orderId=${both.order.id}`, { token: buyer2.accessToken });
    expect(payments.status).toBe(200);
    expect((await payments.json<{ data: unknown[] }>()).data).toEqual([]);
    const mine = await listOf(buyer2);
    expect(mine.map((o) => o.id)).toEqual([onlyA.order.id]);
    expect(mine.every((o) => o.userId === buyer2.id)).toBe(true);
    expect((await listOf(buyer1)).map((o) => o.id)).toEqual([both.order.id]);
  });

  it('a seller sees the orders with its products, with only its own lines', async () => {
    const asA = await orderOf(shopA.seller, both.order.id);
    const asB = await orderOf(shopB.seller, both.order.id);
    expect(asA.items.map((i) => [i.sku, i.quantity])).toEqual([[shopA.skus[0], 1]]);
    expect(asB.items.map((i) => [i.sku, i.quantity])).toEqual([[shopB.skus[0], 2]]);
    expect(asA.items.every((i) => i.sellerId === shopA.seller.id)).toBe(true);
    // The buyer and an admin see every line.
    expect((await orderOf(buyer1, both.order.id)).items).toHaveLength(2);
    expect((await orderOf(shopA.admin, both.order.id)).items).toHaveLength(2);

    const listA = await listOf(shopA.seller);
    expect(listA.map((o) => o.id).sort()).toEqual([both.order.id, onlyA.order.id].sort());
    for (const o of listA) expect(o.items.every((i) => i.sku === shopA.skus[0])).toBe(true);
    const listB = await listOf(shopB.seller);
    expect(listB.map((o) => o.id)).toEqual([both.order.id]);
    expect(listB[0]?.items.map((i) => i.sku)).toEqual([shopB.skus[0]]);

    await expectProblem(await api('GET', `/orders/${onlyA.order.id}`, { token: shopB.seller.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', `/orders/${both.order.id}`, { token: sellerC.accessToken }), 404, 'NOT_FOUND');
    expect(await listOf(sellerC)).toEqual([]);
  });

  it("a seller cannot move another seller's order (404), nor cancel (403); a customer cannot set a status (403)", async () => {
    await expectProblem(await setOrderStatus(shopB.seller, onlyA.order.id, 'processing'), 404, 'NOT_FOUND');
    await expectProblem(await setOrderStatus(sellerC, both.order.id, 'processing'), 404, 'NOT_FOUND');
    await expectProblem(await setOrderStatus(shopA.seller, both.order.id, 'cancelled'), 403, 'FORBIDDEN');
    await expectProblem(await setOrderStatus(shopA.seller, both.order.id, 'refunded'), 403, 'FORBIDDEN');
    await expectProblem(await setOrderStatus(buyer1, both.order.id, 'processing'), 403, 'FORBIDDEN');
    expect((await orderOf(buyer1, both.order.id)).status).toBe('paid');
  });

  it('illegal transitions are 409: pending_payment → shipped, delivered → processing', async () => {
    const skip = await setOrderStatus(shopA.admin, onlyA.order.id, 'shipped');
    expect(await expectProblem(skip, 409, 'CONFLICT')).toMatchObject({ from: 'pending_payment', to: 'shipped' });
    await expectProblem(await setOrderStatus(shopA.seller, onlyA.order.id, 'processing'), 409, 'CONFLICT');
    expect((await orderOf(buyer2, onlyA.order.id)).status).toBe('pending_payment');

    const order = await buy(buyer1, [[shopB.skus[0] ?? '', 1]]);
    await payAndSettle(buyer1, order);
    for (const status of ['processing', 'shipped', 'delivered']) {
      const res = await setOrderStatus(shopB.seller, order.order.id, status);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await expectProblem(await setOrderStatus(shopB.admin, order.order.id, 'processing'), 409, 'CONFLICT');
    await expectProblem(await setOrderStatus(shopB.seller, order.order.id, 'shipped'), 409, 'CONFLICT');
    const done = await orderOf(buyer1, order.order.id);
    expect(done.status).toBe('delivered');
    expect(done.history?.map((h) => h.to)).toEqual(['pending_payment', 'paid', 'processing', 'shipped', 'delivered']);
  });

  it('GET /orders/stats: admin only; consistent with the orders placed, exact on a day only they occupy', async () => {
    await expectProblem(await api('GET', `/orders/stats?from=${new Date(0).toISOString()}&to=${new Date().toISOString()}`, { token: buyer1.accessToken }), 403, 'FORBIDDEN');
    await expectProblem(await api('GET', `/orders/stats?from=${new Date(0).toISOString()}&to=${new Date().toISOString()}`, { token: shopA.seller.accessToken }), 403, 'FORBIDDEN');

    // Three orders of this test: one delivered, one pending, one partially refunded.
    const buyer3 = await createUser();
    const delivered = await buy(buyer3, [[shopA.skus[0] ?? '', 1]]);
    await payAndSettle(buyer3, delivered);
    for (const status of ['processing', 'shipped', 'delivered']) expect((await setOrderStatus(shopA.seller, delivered.order.id, status)).status).toBe(200);
    const pending = await buy(buyer3, [[shopB.skus[0] ?? '', 1]]);
    const refunded = await buy(buyer3, [[shopB.skus[0] ?? '', 2]]);
    await payAndSettle(buyer3, refunded);
    const payment = await paymentOf(shopA.admin, refunded.order.id);
    const refund = await api('POST', `/payments/${payment.id}/refund`, { token: shopA.admin.accessToken, body: { amount: 700 }, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(refund.status, await refund.clone().text()).toBe(200);
    const mine = [delivered, pending, refunded].map((p) => p.order.id);
    const myRevenue = delivered.order.total + refunded.order.total - 700;

    // A range that includes now: everything of ours is in it (others' orders may be too).
    const now = Date.now();
    const around = await stats(shopA.admin, new Date(now - 3_600_000), new Date(now + 3_600_000));
    expectSelfConsistent(around);
    expect(around.countsByStatus.delivered ?? 0).toBeGreaterThanOrEqual(1);
    expect(around.countsByStatus.pending_payment ?? 0).toBeGreaterThanOrEqual(1);
    expect(around.countsByStatus.partially_refunded ?? 0).toBeGreaterThanOrEqual(1);
    expect(around.paidOrders).toBeGreaterThanOrEqual(2);
    expect(around.revenue).toBeGreaterThanOrEqual(myRevenue);
    expect(around.days.map((d) => d.day)).toContain(new Date().toISOString().slice(0, 10));
    // A range that ends before these orders existed counts none of them.
    const before = await stats(shopA.admin, new Date(now - 3_600_000), new Date(now - 3_500_000));
    expectSelfConsistent(before);

    // Moved to a day of their own in the past, the numbers are exactly ours.
    const day = new Date(Date.UTC(1990 + Math.floor(Math.random() * 30), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28), 12));
    await withDb((db) => db.update(orders).set({ createdAt: day }).where(inArray(orders.id, mine)));
    const start = new Date(day.getTime() - 12 * 3_600_000);
    const exact = await stats(shopA.admin, start, new Date(start.getTime() + 24 * 3_600_000));
    expect(exact).toEqual({
      from: start.toISOString(),
      to: new Date(start.getTime() + 24 * 3_600_000).toISOString(),
      currency: 'USD',
      countsByStatus: { delivered: 1, pending_payment: 1, partially_refunded: 1 },
      revenue: myRevenue,
      paidOrders: 2,
      averageOrderValue: Math.round(myRevenue / 2),
      days: [{ day: day.toISOString().slice(0, 10), orders: 3, revenue: myRevenue }],
    });
    // An order in another currency on that day is counted under its own currency, never summed into USD.
    await withDb((db) => db.update(orders).set({ currency: 'EUR' }).where(inArray(orders.id, [delivered.order.id])));
    expect(await stats(shopA.admin, start, new Date(start.getTime() + 24 * 3_600_000))).toMatchObject({
      currency: 'USD',
      countsByStatus: { pending_payment: 1, partially_refunded: 1 },
      revenue: refunded.order.total - 700,
      paidOrders: 1,
    });
    const eur = await api('GET', `/orders/stats?from=${start.toISOString()}&to=${new Date(start.getTime() + 24 * 3_600_000).toISOString()}&currency=EUR`, {
      token: shopA.admin.accessToken,
    });
    expect(await eur.json()).toMatchObject({ currency: 'EUR', countsByStatus: { delivered: 1 }, revenue: delivered.order.total, paidOrders: 1 });
    // The day after is empty.
    const next = await stats(shopA.admin, new Date(start.getTime() + 24 * 3_600_000), new Date(start.getTime() + 48 * 3_600_000));
    expect(next).toMatchObject({ countsByStatus: {}, revenue: 0, paidOrders: 0, averageOrderValue: 0, days: [] });
  });
});
