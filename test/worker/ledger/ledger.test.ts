import { describe, expect, it } from 'vitest';
import { refundPart } from '../../../workers/payments/public';
import { expectProblem } from '../../support/app';
import { buy, payAndSettle } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { postLedger } from '../../../workers/ledger/public';
import {
  balanceOf,
  category,
  deliver,
  entriesOf,
  expectedCommission,
  payout,
  product,
  reconcileReport,
  sellerOrdersOf,
  withDeps,
} from './helpers';

const sumOf = (rows: Array<{ amount: number }>) => rows.reduce((a, r) => a + r.amount, 0);

describe('commission fixed at checkout', () => {
  it('takes the seller override over the category rate over the default', async () => {
    const admin = await createUser('admin');
    const [plain, rated, overridden] = await Promise.all([createUser('seller'), createUser('seller'), createUser('seller')]);
    const defaultCategory = await category(admin);
    const cheap = await category(admin, 500);
    const set = await api('PUT', `/ledger/sellers/${overridden.id}/commission`, { token: admin.accessToken, body: { commissionBps: 800 } });
    expect(set.status, await set.clone().text()).toBe(200);

    const skus = [await product(plain, defaultCategory.id, 1999), await product(rated, cheap.id, 3333), await product(overridden, cheap.id, 4545)];
    const buyer = await createUser('customer');
    const placed = await buy(buyer, skus.map((s) => [s, 1] as [string, number]));
    const bySeller = new Map((await sellerOrdersOf(placed.order.id)).map((so) => [so.sellerId, so]));
    const expected: Array<[string, number]> = [
      [plain.id, 1000],
      [rated.id, 500],
      [overridden.id, 800],
    ];
    for (const [sellerId, bps] of expected) {
      const so = bySeller.get(sellerId);
      expect(so?.commissionBps).toBe(bps);
      expect(so?.commission).toBe(expectedCommission(so?.total ?? 0, bps));
    }
  });

  it('a parent category’s rate applies to products of a child category without one', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const parent = await category(admin, 300);
    const child = await category(admin, null);
    const moved = await api('PUT', `/categories/${child.id}`, { token: admin.accessToken, body: { slug: child.slug, name: 'Child', parentId: parent.id } });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [[await product(seller, child.id, 10_000), 1]]);
    const [so] = await sellerOrdersOf(placed.order.id);
    expect(so?.commissionBps).toBe(300);
  });
});

describe('ledger entries', () => {
  it('books sale and commission when paid, refund and its commission share on a partial refund, once', async () => {
    const admin = await createUser('admin');
    const [a, b] = await Promise.all([createUser('seller'), createUser('seller')]);
    const cat = await category(admin, 1000);
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [
      [await product(a, cat.id, 2999), 2],
      [await product(b, cat.id, 1234), 1],
    ]);
    expect(await entriesOf(placed.order.id)).toEqual([]);
    await payAndSettle(buyer, placed);

    const sellerOrders = await sellerOrdersOf(placed.order.id);
    let entries = await entriesOf(placed.order.id);
    expect(entries).toHaveLength(4);
    for (const so of sellerOrders) {
      const own = entries.filter((e) => e.sellerOrderId === so.id);
      expect(own.find((e) => e.kind === 'sale')?.amount).toBe(so.total);
      expect(own.find((e) => e.kind === 'commission')?.amount).toBe(-so.commission);
    }
    expect(sumOf(entries)).toBe(placed.order.total - sumOf(sellerOrders.map((so) => ({ amount: so.commission }))));

    // A third of seller A's part comes back (a return, say); then posting again adds nothing.
    const soA = sellerOrders.find((so) => so.sellerId === a.id);
    if (!soA) throw new Error('no seller order for A');
    const part = Math.floor(soA.total / 3);
    const refunded = await withDeps((deps) => refundPart(deps, placed.order.id, { source: `return:${crypto.randomUUID()}`, sellerOrderId: soA.id, amount: part, actor: admin.id }));
    expect(refunded).toBe(part);
    entries = await entriesOf(placed.order.id);
    expect(entries).toHaveLength(6);
    const refund = entries.find((e) => e.kind === 'refund');
    const back = entries.find((e) => e.kind === 'commission_refund');
    expect(refund?.amount).toBe(-part);
    expect(back?.amount).toBe(Math.round((soA.commission * part) / soA.total));
    expect(await withDeps((deps) => postLedger(deps, placed.order.id))).toBe(0);
    expect(await entriesOf(placed.order.id)).toHaveLength(6);

    // The rest of A's part: the commission comes back in full, to the unit.
    await withDeps((deps) => refundPart(deps, placed.order.id, { source: `cancel:${soA.id}`, sellerOrderId: soA.id, amount: soA.total - part, actor: admin.id }));
    entries = await entriesOf(placed.order.id);
    const ofA = entries.filter((e) => e.sellerOrderId === soA.id);
    expect(sumOf(ofA.filter((e) => e.kind === 'commission' || e.kind === 'commission_refund'))).toBe(0);
    expect(sumOf(ofA)).toBe(0);

    const report = await reconcileReport(admin);
    expect(report.mismatches.filter((m) => m.orderId === placed.order.id)).toEqual([]);
  });
});

describe('balances and payouts', () => {
  it('pending until delivered + hold, then available; payouts up to it, idempotent, 409 beyond', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const cat = await category(admin, 1000);
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [[await product(seller, cat.id, 5000), 1]]);
    await payAndSettle(buyer, placed);
    const [so] = await sellerOrdersOf(placed.order.id);
    if (!so) throw new Error('no seller order');
    const earned = so.total - so.commission;

    expect(await balanceOf(seller)).toEqual({ currency: 'USD', pending: earned, available: 0, paidOut: 0 });
    await deliver(so.id, 3);
    expect(await balanceOf(seller)).toMatchObject({ pending: earned, available: 0 });
    expect(await expectProblem(await payout(admin, { sellerId: seller.id, amount: 1 }), 409, 'INSUFFICIENT_BALANCE')).toMatchObject({ available: 0 });

    await deliver(so.id, 15);
    expect(await balanceOf(seller)).toEqual({ currency: 'USD', pending: 0, available: earned, paidOut: 0 });
    expect(await balanceOf(admin, seller.id)).toEqual({ currency: 'USD', pending: 0, available: earned, paidOut: 0 });

    const key = crypto.randomUUID();
    const first = await payout(admin, { sellerId: seller.id, amount: earned - 100 }, key);
    expect(first.status, await first.clone().text()).toBe(201);
    const body = await first.json<{ id: string }>();
    const again = await payout(admin, { sellerId: seller.id, amount: earned - 100 }, key);
    expect(again.status).toBe(201);
    expect((await again.json<{ id: string }>()).id).toBe(body.id);
    // The key names that payout: asked for another amount, or for another seller, it is refused and pays nothing.
    const otherSeller = await createUser('seller');
    expect((await payout(admin, { sellerId: seller.id, amount: 1 }, key)).status).toBe(409);
    expect((await payout(admin, { sellerId: otherSeller.id, amount: 1 }, key)).status).toBe(409);
    expect((await (await api('GET', '/ledger/payouts', { token: otherSeller.accessToken })).json<{ data: unknown[] }>()).data).toEqual([]);
    expect(await balanceOf(seller)).toEqual({ currency: 'USD', pending: 0, available: 100, paidOut: earned - 100 });

    await expectProblem(await payout(admin, { sellerId: seller.id, amount: 101 }), 409, 'INSUFFICIENT_BALANCE');
    expect((await payout(admin, { sellerId: seller.id, amount: 100 })).status).toBe(201);
    expect(await balanceOf(seller)).toMatchObject({ available: 0, paidOut: earned });

    const mine = await api('GET', '/ledger/payouts', { token: seller.accessToken });
    expect((await mine.json<{ data: Array<{ sellerId: string }> }>()).data.map((p) => p.sellerId)).toEqual([seller.id, seller.id]);
    const other = await createUser('seller');
    const theirs = await api('GET', '/ledger/payouts', { token: other.accessToken });
    expect((await theirs.json<{ data: unknown[] }>()).data).toEqual([]);
    await expectProblem(await api('GET', `/ledger/balance?sellerId=${seller.id}`, { token: other.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await payout(admin, { sellerId: buyer.id, amount: 1 }), 404, 'NOT_FOUND');

    const summary = await api('GET', `/ledger/sellers/${seller.id}/summary`, { token: seller.accessToken });
    expect(summary.status).toBe(200);
    expect((await summary.json<{ currencies: unknown[] }>()).currencies).toEqual([
      expect.objectContaining({ currency: 'USD', sales: so.total, commission: so.commission, refunds: 0, net: earned, payouts: earned, orders: 1 }),
    ]);
  });
});

describe('reconcile', () => {
  it('lists an order whose ledger was tampered with, and only when it is', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const cat = await category(admin);
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [[await product(seller, cat.id, 777), 3]]);
    await payAndSettle(buyer, placed);
    expect((await reconcileReport(admin)).mismatches.map((m) => m.orderId)).not.toContain(placed.order.id);

    const { withDb } = await import('../../support/users');
    const { ledgerEntries } = await import('../../../shared/db/schema');
    const { and, eq, sql } = await import('drizzle-orm');
    await withDb((db) =>
      db.update(ledgerEntries).set({ amount: sql`${ledgerEntries.amount} + 1` }).where(and(eq(ledgerEntries.orderId, placed.order.id), eq(ledgerEntries.kind, 'sale'))),
    );
    const report = await reconcileReport(admin);
    expect(report.consistent).toBe(false);
    expect(report.mismatches.find((m) => m.orderId === placed.order.id)?.difference).toBe(-1);
  });
});
