import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { intentAtStripe, level, movements, openShop } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { act, deliveredOrder, marks, returnOf, type ReturnBody, sellerOrderRow, step } from './support';

describe('a return through its steps', () => {
  it('only the seller of the seller order or an admin moves it: its buyer 403, another seller 404; impossible moves 409', async () => {
    const shop = await openShop([1500], 50);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns');
    const otherSeller = await createUser('seller', 'returns-other-seller');
    const otherBuyer = await createUser('customer', 'returns-other-buyer');
    const order = await deliveredOrder(buyer, [[sku, 2]]);
    const ret = await returnOf(buyer, order, shop.seller.id, [[sku, 1]]);

    await expectProblem(await act(otherSeller, ret.id, 'approve'), 404, 'NOT_FOUND');
    await expectProblem(await act(buyer, ret.id, 'approve'), 403, 'FORBIDDEN');
    await expectProblem(await act(otherBuyer, ret.id, 'approve'), 403, 'FORBIDDEN');
    await expectProblem(await api('GET', `/returns/${ret.id}`, { token: otherSeller.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', `/returns/${ret.id}`, { token: otherBuyer.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await act(shop.seller, ret.id, 'refund', {}), 409, 'CONFLICT');
    await expectProblem(await act(shop.seller, ret.id, 'receive', marks(ret, true)), 409, 'CONFLICT');

    const approved = await step(shop.seller, ret.id, 'approve');
    expect(approved.status).toBe('approved');
    await expectProblem(await act(shop.seller, ret.id, 'approve'), 409, 'CONFLICT');
    await expectProblem(await act(shop.admin, ret.id, 'reject', { reason: 'Too late to change' }), 409, 'CONFLICT');

    // A second return, rejected by an admin with a reason the buyer reads.
    const second = await returnOf(buyer, order, shop.seller.id, [[sku, 1]]);
    const rejected = await step(shop.admin, second.id, 'reject', { reason: 'The box was opened' });
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: 'The box was opened' });
    expect(rejected.history.map((h) => h.to)).toEqual(['requested', 'rejected']);
    await expectProblem(await act(shop.seller, second.id, 'approve'), 409, 'CONFLICT');

    // Lists: the buyer and the seller see both, another seller none; filters by status and order.
    const list = async (user: typeof buyer, query = '') => (await (await api('GET', `/returns${query}`, { token: user.accessToken })).json<{ data: ReturnBody[] }>()).data;
    expect((await list(buyer, `?orderId=${order.orderId}`)).map((r) => r.id)).toEqual([second.id, ret.id]);
    expect((await list(shop.seller, `?orderId=${order.orderId}&status=approved`)).map((r) => r.id)).toEqual([ret.id]);
    expect(await list(otherSeller, `?orderId=${order.orderId}`)).toEqual([]);
    expect((await list(shop.admin, `?orderId=${order.orderId}&status=rejected`)).map((r) => r.id)).toEqual([second.id]);
    const firstPage = await (await api('GET', `/returns?orderId=${order.orderId}&limit=1`, { token: buyer.accessToken })).json<{ data: ReturnBody[]; nextCursor: string }>();
    expect(firstPage.data.map((r) => r.id)).toEqual([second.id]);
    const nextPage = await list(buyer, `?orderId=${order.orderId}&limit=1&cursor=${firstPage.nextCursor}`);
    expect(nextPage.map((r) => r.id)).toEqual([ret.id]);
  });

  it('receive with mixed marks puts back only the restockable units, once, however often it is repeated', async () => {
    const shop = await openShop([1500, 2500], 20);
    const [keep, scrap] = shop.skus as [string, string];
    const buyer = await createUser('customer', 'returns');
    const order = await deliveredOrder(buyer, [
      [keep, 3],
      [scrap, 2],
    ]);
    const before = { keep: (await level(keep)).onHand, scrap: (await level(scrap)).onHand };
    expect(before).toEqual({ keep: 17, scrap: 18 });
    const ret = await returnOf(buyer, order, shop.seller.id, [
      [keep, 2],
      [scrap, 2],
    ]);
    await step(shop.seller, ret.id, 'approve');

    const mixed = marks(ret, { [keep]: true, [scrap]: false });
    await expectProblem(await act(shop.seller, ret.id, 'receive', { items: mixed.items.slice(0, 1) }), 400, 'VALIDATION_FAILED');
    const received = await step(shop.seller, ret.id, 'receive', mixed);
    expect(received.status).toBe('received');
    expect(Object.fromEntries(received.items.map((i) => [i.sku, [i.restockable, i.restockedAt !== null]]))).toEqual({ [keep]: [true, true], [scrap]: [false, false] });
    expect((await level(keep)).onHand).toBe(19);
    expect((await level(scrap)).onHand).toBe(18);

    // Repeated with the same marks: the same answer, nothing moves; with other marks: 409.
    await step(shop.seller, ret.id, 'receive', mixed);
    await expectProblem(await act(shop.seller, ret.id, 'receive', marks(ret, true)), 409, 'CONFLICT');
    // The refund runs the restock again (for a receive whose restock failed): still once.
    await step(shop.seller, ret.id, 'refund', {});
    expect((await level(keep)).onHand).toBe(19);
    expect((await level(scrap)).onHand).toBe(18);
    const returned = (await movements(keep)).filter((m) => m.reason === 'adjust:returned');
    expect(returned.map((m) => [m.delta, m.actor])).toEqual([[2, `return:${ret.id}`]]);
  });

  it('refunds lines plus their tax share, shipping only with the last units, exactly once, summing to the seller order total', async () => {
    // Subtotal 3×1234 + 999 = 4701; tax 12% = 564 (lines' shares by allocate: 444 and 120); shipping 500 (under 10000).
    const shop = await openShop([1234, 999], 20);
    const [a, b] = shop.skus as [string, string];
    const buyer = await createUser('customer', 'returns');
    const order = await deliveredOrder(buyer, [
      [a, 3],
      [b, 1],
    ]);
    const so = order.sellerOrders.get(shop.seller.id);
    expect(so).toMatchObject({ subtotal: 4701, tax: 564, shipping: 500, total: 5765 });
    const intent = order.placed.payment.paymentIntentId;

    // One unit of A: 1234 + floor(444 / 3) = 1382.
    const first = await returnOf(buyer, order, shop.seller.id, [[a, 1]]);
    await step(shop.seller, first.id, 'approve');
    const key = crypto.randomUUID();
    const refundedFirst = await act(shop.seller, first.id, 'refund', marks(first, true), key);
    expect(refundedFirst.status, await refundedFirst.clone().text()).toBe(200);
    expect(await refundedFirst.json()).toMatchObject({ status: 'refunded', refundAmount: 1382, refundedAmount: 1382 });
    expect((await intentAtStripe(intent)).amountRefunded).toBe(1382);
    expect((await sellerOrderRow(so?.id ?? ''))?.refundedAmount).toBe(1382);

    // Twice: the same key replays the answer, a new key is a 409; the provider refunded once.
    const replay = await act(shop.seller, first.id, 'refund', marks(first, true), key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await expectProblem(await act(shop.admin, first.id, 'refund', {}), 409, 'CONFLICT');
    expect((await intentAtStripe(intent)).amountRefunded).toBe(1382);
    expect((await sellerOrderRow(so?.id ?? ''))?.refundedAmount).toBe(1382);

    // The rest (2 of A, all of B): 2468 + 999 goods, (444 − 148) + 120 tax, and the 500 shipping = 4383.
    const rest = await returnOf(buyer, order, shop.seller.id, [
      [a, 2],
      [b, 1],
    ]);
    await step(shop.seller, rest.id, 'approve');
    await step(shop.seller, rest.id, 'receive', marks(rest, false));
    const refundedRest = await step(shop.admin, rest.id, 'refund', {});
    expect(refundedRest).toMatchObject({ status: 'refunded', refundAmount: 4383, refundedAmount: 4383 });
    expect(1382 + 4383).toBe(5765);
    expect((await intentAtStripe(intent)).amountRefunded).toBe(5765);
    expect((await sellerOrderRow(so?.id ?? ''))?.refundedAmount).toBe(5765);
    // The order follows the provider: all of its money is back.
    const orderNow = await (await api('GET', `/orders/${order.orderId}`, { token: buyer.accessToken })).json<{ refundedAmount: number; status: string }>();
    expect(orderNow).toMatchObject({ refundedAmount: 5765, status: 'refunded' });
  });
});
