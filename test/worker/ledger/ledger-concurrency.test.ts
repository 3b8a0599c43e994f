import { describe, expect, inject, it } from 'vitest';
import { postLedger } from '../../../workers/ledger/public';
import { api, createUser } from '../../support/users';
import { insertOrder, insertUser, markPaid, markRefunded } from './facts';
import { balanceOf, deliver, entriesOf, payout, withDeps } from './helpers';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

describe.runIf(realPostgres)('ledger under concurrency (real Postgres)', () => {
  it('30 racing payouts never take more than the available balance', { timeout: 120_000 }, async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const buyerId = await insertUser('customer');
    const order = await insertOrder(buyerId, [{ sellerId: seller.id, total: 100_000, bps: 1_000 }]);
    await markPaid(order);
    await withDeps((deps) => postLedger(deps, order.orderId));
    await deliver(order.sellerOrders[0]?.id ?? '', 30);
    const { available } = await balanceOf(seller);
    expect(available).toBe(90_000);

    // Each asks for a quarter plus one: at most three fit, whatever the interleaving.
    const amount = Math.floor(available / 4) + 1;
    const answers = await Promise.all(Array.from({ length: 30 }, () => payout(admin, { sellerId: seller.id, amount })));
    const statuses = await Promise.all(answers.map(async (r) => ({ status: r.status, code: (await r.json<{ code?: string }>()).code })));
    const created = statuses.filter((s) => s.status === 201).length;
    const refused = statuses.filter((s) => s.status === 409 && s.code === 'INSUFFICIENT_BALANCE').length;
    // A request refused for lack of connections (503) is not a payout; every other answer is one of the two.
    expect(created + refused + statuses.filter((s) => s.status === 503).length).toBe(30);
    expect(created).toBe(3);
    const after = await balanceOf(seller);
    expect(after.paidOut).toBe(created * amount);
    expect(after.available).toBe(available - created * amount);
    expect(after.available).toBeGreaterThanOrEqual(0);

    const listed = await api('GET', `/ledger/payouts?sellerId=${seller.id}`, { token: admin.accessToken });
    expect((await listed.json<{ data: unknown[] }>()).data).toHaveLength(created);
  });

  it('racing postLedger calls book every fact once, and a fully refunded seller order gives all its commission back', { timeout: 120_000 }, async () => {
    const buyerId = await insertUser('customer');
    const [a, b] = [await insertUser('seller'), await insertUser('seller')];
    const order = await insertOrder(buyerId, [
      { sellerId: a, total: 10_001, bps: 1_234 },
      { sellerId: b, total: 777, bps: 999 },
    ]);
    const [soA] = order.sellerOrders;
    if (!soA) throw new Error('no seller order');
    await markPaid(order);
    // Three refunds of A's part (a third each, the last one the rest), then everyone posts at once.
    const third = Math.floor(soA.total / 3);
    await markRefunded(order, soA.id, third, `return:${crypto.randomUUID()}`);
    await markRefunded(order, soA.id, third, `return:${crypto.randomUUID()}`);
    const racing = Array.from({ length: 12 }, () => withDeps((deps) => postLedger(deps, order.orderId)));
    await markRefunded(order, soA.id, soA.total - 2 * third, `cancel:${soA.id}`);
    racing.push(...Array.from({ length: 12 }, () => withDeps((deps) => postLedger(deps, order.orderId))));
    const added = await Promise.all(racing);

    const entries = await entriesOf(order.orderId);
    expect(added.reduce((x, y) => x + y, 0)).toBe(entries.length);
    expect(entries).toHaveLength(2 * 2 + 3 * 2);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    const ofA = entries.filter((e) => e.sellerOrderId === soA.id);
    expect(ofA.reduce((x, e) => x + e.amount, 0)).toBe(0);
    expect(ofA.filter((e) => e.kind === 'commission' || e.kind === 'commission_refund').reduce((x, e) => x + e.amount, 0)).toBe(0);
  });
});
