import { describe, expect, it } from 'vitest';
import { postPendingLedgers } from '../../../workers/ledger/public';
import { buy } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { insertOrder, insertUser, markPaid, markRefunded } from './facts';
import { category, entriesOf, expectedCommission, product, sellerOrdersOf, withDeps } from './helpers';

describe('commission over several categories', () => {
  it('applies each line’s rate to its share of the seller order total, rounded once', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const [low, high] = [await category(admin, 500), await category(admin, 1500)];
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [
      [await product(seller, low.id, 2500), 1],
      [await product(seller, high.id, 2500), 1],
    ]);
    const [so] = await sellerOrdersOf(placed.order.id);
    expect(so?.commissionBps).toBe(1000);
    expect(so?.commission).toBe(expectedCommission(so?.total ?? 0, 1000));
  });
});

describe('cron catch-up', () => {
  it('posts paid orders and refunds the ledger has not booked, and nothing twice', async () => {
    const buyerId = await insertUser('customer');
    const seller = await insertUser('seller');
    const order = await insertOrder(buyerId, [{ sellerId: seller, total: 12_345, bps: 1_000 }]);
    await markPaid(order);
    await markRefunded(order, order.sellerOrders[0]?.id ?? '', 345, `return:${crypto.randomUUID()}`);
    expect(await entriesOf(order.orderId)).toEqual([]);

    expect(await withDeps((deps) => postPendingLedgers(deps))).toBeGreaterThanOrEqual(1);
    const entries = await entriesOf(order.orderId);
    expect(entries.map((e) => e.kind).sort()).toEqual(['commission', 'commission_refund', 'refund', 'sale']);
    await withDeps((deps) => postPendingLedgers(deps));
    expect(await entriesOf(order.orderId)).toHaveLength(4);
  });
});

describe('GET /ledger/entries', () => {
  it('a seller pages through its own entries only, filtered by kind; an admin filters by seller', async () => {
    const admin = await createUser('admin');
    const [a, b] = [await createUser('seller'), await createUser('seller')];
    const buyerId = await insertUser('customer');
    for (let i = 0; i < 3; i++) {
      const order = await insertOrder(buyerId, [
        { sellerId: a.id, total: 1000 + i, bps: 1000 },
        { sellerId: b.id, total: 2000 + i, bps: 1000 },
      ]);
      await markPaid(order);
      await withDeps((deps) => deps.postLedger(order.orderId));
    }
    const seen: Array<{ sellerId: string; kind: string }> = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api('GET', `/ledger/entries?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: a.accessToken });
      expect(res.status, await res.clone().text()).toBe(200);
      const page: { data: Array<{ sellerId: string; kind: string }>; nextCursor: string | null } = await res.json();
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(seen.every((e) => e.sellerId === a.id)).toBe(true);

    const sales = await api('GET', '/ledger/entries?kind=sale', { token: a.accessToken });
    expect((await sales.json<{ data: Array<{ kind: string; amount: number }> }>()).data.map((e) => e.amount).sort()).toEqual([1000, 1001, 1002]);
    const ofB = await api('GET', `/ledger/entries?sellerId=${b.id}&kind=sale`, { token: admin.accessToken });
    expect((await ofB.json<{ data: Array<{ amount: number }> }>()).data.map((e) => e.amount).sort()).toEqual([2000, 2001, 2002]);
    expect((await api('GET', `/ledger/entries?sellerId=${b.id}`, { token: a.accessToken })).status).toBe(404);
    expect((await api('GET', '/ledger/entries?cursor=not-a-cursor', { token: a.accessToken })).status).toBe(400);
  });
});
