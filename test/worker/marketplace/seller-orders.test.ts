import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { ADDRESS, buy, intentAtStripe, level, movements, openShop, orderOf, payAndSettle, paymentOf, type Placed, type Shop } from '../../support/checkout';
import { api, createUser, type TestUser } from '../../support/users';
import {
  allocationsOf,
  cancelPart,
  delivered,
  eventsOf,
  json,
  listSellerOrders,
  moveSellerOrder,
  sellerOrder,
  sellerOrderOf,
  ship,
  type SellerOrderBody,
} from './helpers';

interface OrderView {
  id: string;
  status: string;
  total: number;
  refundedAmount: number;
  sellerOrders: Array<{ id: string; sellerId: string; status: string; total: number; refundedAmount: number }>;
  shipments: Array<{ id: string; carrier: string; trackingNumber: string | null; trackingUrl: string | null; status: string }>;
}

const orderView = async (user: TestUser, id: string) => (await orderOf(user, id)) as unknown as OrderView;

describe('a two-seller order: seller orders seen, moved, shipped and cancelled by the right people', () => {
  let shopA: Shop;
  let shopB: Shop;
  let buyer: TestUser;
  let placed: Placed;
  let soA: SellerOrderBody;
  let soB: SellerOrderBody;

  beforeAll(async () => {
    [shopA, shopB] = [await openShop([1500], 10), await openShop([2500], 10)];
    buyer = await createUser('customer', 'market-buyer');
    placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 3],
      [shopB.skus[0] ?? '', 2],
    ]);
    soA = await sellerOrderOf(shopA.seller, placed.order.id);
    soB = await sellerOrderOf(shopB.seller, placed.order.id);
  }, 60_000);

  it('each seller lists and reads only its own seller order; the address only once paid; the other’s is 404', async () => {
    expect(soA.items.map((i) => [i.sku, i.quantity])).toEqual([[shopA.skus[0], 3]]);
    expect(soB.items.map((i) => [i.sku, i.quantity])).toEqual([[shopB.skus[0], 2]]);
    expect(soA).toMatchObject({ status: 'pending_payment', orderId: placed.order.id, number: placed.order.number, sellerId: shopA.seller.id, shippingAddress: null });
    const text = JSON.stringify(soA);
    expect(text).not.toContain(shopB.skus[0]);
    expect(text).not.toContain(placed.payment.paymentIntentId);
    expect(text).not.toContain(ADDRESS.phone);

    await expectProblem(await api('GET', `/seller-orders/${soB.id}`, { token: shopA.seller.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', `/seller-orders/${soA.id}`, { token: shopB.seller.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', '/seller-orders', { token: buyer.accessToken }), 403, 'FORBIDDEN');
    expect((await listSellerOrders(shopA.seller)).data.map((s) => s.id)).toEqual([soA.id]);
    // An admin sees both, and can narrow to one seller.
    const asAdmin = await listSellerOrders(shopA.admin, `?orderId=${placed.order.id}`);
    expect(asAdmin.data.map((s) => s.id).sort()).toEqual([soA.id, soB.id].sort());
    expect((await listSellerOrders(shopA.admin, `?orderId=${placed.order.id}&sellerId=${shopB.seller.id}`)).data.map((s) => s.id)).toEqual([soB.id]);
    // The seller's sellerId filter cannot reach another seller's.
    expect((await listSellerOrders(shopA.seller, `?sellerId=${shopB.seller.id}`)).data.map((s) => s.id)).toEqual([soA.id]);

    await payAndSettle(buyer, placed);
    const paidA = await sellerOrder(shopA.seller, soA.id);
    expect(paidA.status).toBe('paid');
    expect(paidA.shippingAddress).toMatchObject({ street: ADDRESS.street, phone: ADDRESS.phone });
    expect((await listSellerOrders(shopB.seller, '?status=paid')).data.map((s) => s.id)).toEqual([soB.id]);
    expect((await listSellerOrders(shopB.seller, '?status=processing')).data).toEqual([]);
    expect((await orderView(buyer, placed.order.id)).sellerOrders.map((s) => s.status)).toEqual(['paid', 'paid']);
  });

  it('a seller moves only its own seller order; impossible moves are 409; the order status follows', async () => {
    await expectProblem(await moveSellerOrder(shopA.seller, soB.id, 'processing'), 404, 'NOT_FOUND');
    await expectProblem(await moveSellerOrder(buyer, soA.id, 'processing'), 403, 'FORBIDDEN');
    // Delivered before it shipped: 409, naming where it is.
    expect(await expectProblem(await moveSellerOrder(shopA.seller, soA.id, 'delivered'), 409, 'CONFLICT')).toMatchObject({ from: 'paid', to: 'delivered' });

    const moved = await json<SellerOrderBody>(await moveSellerOrder(shopA.seller, soA.id, 'processing', 'packing'), 200);
    expect(moved.status).toBe('processing');
    expect(moved.history?.map((h) => h.to)).toEqual(['pending_payment', 'paid', 'processing']);
    expect(moved.history?.at(-1)).toMatchObject({ actor: shopA.seller.id, note: 'packing' });
    await expectProblem(await moveSellerOrder(shopA.seller, soA.id, 'processing'), 409, 'CONFLICT');
    expect((await sellerOrder(shopB.seller, soB.id)).status).toBe('paid');
    expect((await orderView(buyer, placed.order.id)).status).toBe('processing');
  });

  it('the buyer cancels seller B’s part: exactly that part refunded at the provider, its stock back, A untouched', async () => {
    const key = crypto.randomUUID();
    const after = await json<OrderView>(await cancelPart(buyer, placed.order.id, soB.id, key), 200);
    expect(after.status).toBe('partially_refunded');
    expect(after.refundedAmount).toBe(soB.total);
    expect(after.sellerOrders.find((s) => s.id === soB.id)).toMatchObject({ status: 'cancelled', refundedAmount: soB.total });
    expect(after.sellerOrders.find((s) => s.id === soA.id)).toMatchObject({ status: 'processing', refundedAmount: 0 });

    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(soB.total);
    expect(await paymentOf(buyer, placed.order.id)).toMatchObject({ amountRefunded: soB.total });
    expect(await level(shopB.skus[0] ?? '')).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await level(shopA.skus[0] ?? '')).toMatchObject({ onHand: 7, reserved: 0 });
    expect((await allocationsOf(placed.order.id)).map((a) => [a.source, a.sellerOrderId, a.amount])).toEqual([[`cancel:${soB.id}`, soB.id, soB.total]]);
    expect(await sellerOrder(shopB.seller, soB.id)).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled_by_customer', shippingAddress: expect.anything() });

    // The same key replays; a new key finds it cancelled already: no second refund, no second restock.
    expect((await cancelPart(buyer, placed.order.id, soB.id, key)).status).toBe(200);
    expect((await cancelPart(buyer, placed.order.id, soB.id)).status).toBe(200);
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(soB.total);
    expect((await movements(shopB.skus[0] ?? '')).filter((m) => m.reason === 'adjust:returned')).toHaveLength(1);
    // Nobody else may cancel it, and a cancelled seller order does not ship.
    const stranger = await createUser('customer', 'market-stranger');
    await expectProblem(await cancelPart(stranger, placed.order.id, soA.id), 404, 'NOT_FOUND');
    await expectProblem(await cancelPart(shopB.seller, placed.order.id, soA.id), 404, 'NOT_FOUND');
    await expectProblem(await ship(shopB.seller, soB.id, [{ orderItemId: soB.items[0]?.id ?? '', quantity: 1 }]), 409, 'CONFLICT');
  });

  it('seller A ships in two parcels, then each arrives: partially shipped, shipped, delivered; the buyer sees the tracking', async () => {
    const line = soA.items[0]?.id ?? '';
    // More than the line has, or a line of another seller order: refused, nothing shipped.
    await expectProblem(await ship(shopA.seller, soA.id, [{ orderItemId: line, quantity: 4 }]), 409, 'CONFLICT');
    await expectProblem(await ship(shopA.seller, soA.id, [{ orderItemId: soB.items[0]?.id ?? '', quantity: 1 }]), 400, 'VALIDATION_FAILED');
    await expectProblem(await ship(shopB.seller, soA.id, [{ orderItemId: line, quantity: 1 }]), 404, 'NOT_FOUND');

    const first = await json<SellerOrderBody>(await ship(shopA.seller, soA.id, [{ orderItemId: line, quantity: 2 }], 'UZ-FIRST'), 201);
    expect(first).toMatchObject({ status: 'partially_shipped', items: [{ quantity: 3, shippedQuantity: 2 }] });
    await expectProblem(await ship(shopA.seller, soA.id, [{ orderItemId: line, quantity: 2 }]), 409, 'CONFLICT');
    // Cancelled B and partly shipped A: money went back on a live order.
    expect((await orderView(buyer, placed.order.id)).status).toBe('partially_refunded');
    // Not fully shipped: it cannot be marked delivered yet.
    await expectProblem(await moveSellerOrder(shopA.seller, soA.id, 'delivered'), 409, 'CONFLICT');
    // Nor can the buyer cancel what has started to ship.
    await expectProblem(await cancelPart(buyer, placed.order.id, soA.id), 409, 'CONFLICT');

    const second = await json<SellerOrderBody>(await ship(shopA.seller, soA.id, [{ orderItemId: line, quantity: 1 }], 'UZ-SECOND'), 201);
    expect(second).toMatchObject({ status: 'shipped', items: [{ shippedQuantity: 3 }] });
    expect(second.shipments.map((s) => [s.trackingNumber, s.status])).toEqual([
      ['UZ-FIRST', 'shipped'],
      ['UZ-SECOND', 'shipped'],
    ]);
    const buyerView = await orderView(buyer, placed.order.id);
    expect(buyerView.shipments.map((s) => [s.carrier, s.trackingNumber, s.trackingUrl])).toEqual([
      ['UzPost', 'UZ-FIRST', 'https://track.example.uz/UZ-FIRST'],
      ['UzPost', 'UZ-SECOND', 'https://track.example.uz/UZ-SECOND'],
    ]);

    const [one, two] = second.shipments;
    await expectProblem(await delivered(shopB.seller, one?.id ?? ''), 404, 'NOT_FOUND');
    expect((await json<SellerOrderBody>(await delivered(shopA.seller, one?.id ?? ''), 200)).status).toBe('shipped');
    // Twice is harmless.
    expect((await json<SellerOrderBody>(await delivered(shopA.seller, one?.id ?? ''), 200)).status).toBe('shipped');
    const done = await json<SellerOrderBody>(await delivered(shopA.admin, two?.id ?? ''), 200);
    expect(done.status).toBe('delivered');
    expect(done.deliveredAt).not.toBeNull();
    expect(done.history?.map((h) => h.to)).toEqual(['pending_payment', 'paid', 'processing', 'partially_shipped', 'shipped', 'delivered']);
    // The admin sees who did it; to the seller, the admin's id is `other`.
    expect(done.history?.at(-1)?.actor).toBe(shopA.admin.id);
    expect((await sellerOrder(shopA.seller, soA.id)).history?.at(-1)?.actor).toBe('other');
    expect((await orderView(buyer, placed.order.id)).status).toBe('partially_refunded');
  });

  it('every step wrote its event, with the order number, seller and buyer', async () => {
    const events = await eventsOf(placed.order.id);
    const of = (type: string) => events.filter((e) => e.type === type).map((e) => e.payload as Record<string, unknown>);
    const base = { orderId: placed.order.id, number: placed.order.number, userId: buyer.id };
    expect(of('seller_order.paid')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...base, sellerOrderId: soA.id, sellerId: shopA.seller.id, total: soA.total }),
        expect.objectContaining({ ...base, sellerOrderId: soB.id, sellerId: shopB.seller.id, total: soB.total }),
      ]),
    );
    expect(of('seller_order.paid')).toHaveLength(2);
    expect(of('seller_order.cancelled')).toEqual([expect.objectContaining({ ...base, sellerOrderId: soB.id, refunded: soB.total })]);
    expect(of('seller_order.shipped').map((p) => [p.trackingNumber, p.complete, p.carrier])).toEqual([
      ['UZ-FIRST', false, 'UzPost'],
      ['UZ-SECOND', true, 'UzPost'],
    ]);
    expect(of('seller_order.delivered')).toEqual([expect.objectContaining({ ...base, sellerOrderId: soA.id, sellerId: shopA.seller.id })]);
    expect(events.filter((e) => e.type === 'order.partially_refunded').length).toBeGreaterThanOrEqual(1);
  });
});

describe('whole-order moves and cancels act on seller orders', () => {
  let shopA: Shop;
  let shopB: Shop;

  beforeAll(async () => {
    [shopA, shopB] = [await openShop([1000], 20), await openShop([3000], 20)];
  }, 60_000);

  it('a seller who bought from another seller is that order’s buyer: it cannot move it', async () => {
    const sellerBuyer = shopB.seller;
    const placed = await buy(sellerBuyer, [[shopA.skus[0] ?? '', 1]]);
    await payAndSettle(sellerBuyer, placed);
    const so = await sellerOrderOf(shopA.seller, placed.order.id);
    await expectProblem(await moveSellerOrder(sellerBuyer, so.id, 'processing'), 404, 'NOT_FOUND');
    await expectProblem(await api('PUT', `/orders/${placed.order.id}/status`, { token: sellerBuyer.accessToken, body: { status: 'processing' } }), 404, 'NOT_FOUND');
    expect((await listSellerOrders(sellerBuyer, `?orderId=${placed.order.id}`)).data).toEqual([]);
    // It still reads its purchase as a buyer, and may cancel it.
    expect((await orderView(sellerBuyer, placed.order.id)).status).toBe('paid');
    expect((await cancelPart(sellerBuyer, placed.order.id, so.id)).status).toBe(200);
    expect((await orderView(sellerBuyer, placed.order.id)).status).toBe('cancelled');
  });

  it('PUT /orders/{id}/status by a seller moves only its seller order; DELETE cancels only what has not shipped', async () => {
    const buyer = await createUser('customer', 'market-whole');
    const placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 1],
    ]);
    await payAndSettle(buyer, placed);
    const res = await api('PUT', `/orders/${placed.order.id}/status`, { token: shopA.seller.accessToken, body: { status: 'shipped' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const soA = await sellerOrderOf(shopA.seller, placed.order.id);
    const soB = await sellerOrderOf(shopB.seller, placed.order.id);
    expect([soA.status, soB.status]).toEqual(['shipped', 'paid']);
    expect(soA.shipments).toMatchObject([{ carrier: 'unspecified', trackingNumber: null }]);
    expect((await orderView(buyer, placed.order.id)).status).toBe('partially_shipped');

    const before = await intentAtStripe(placed.payment.paymentIntentId);
    const cancelled = await json<OrderView>(await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken }), 200);
    expect(cancelled.sellerOrders.map((s) => [s.id, s.status])).toEqual(
      [
        [soA.id, 'shipped'],
        [soB.id, 'cancelled'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(cancelled.status).toBe('partially_refunded');
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded - before.amountRefunded).toBe(soB.total);
    await expectProblem(await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken }), 409, 'CONFLICT');
  });

  it('an admin refund naming no seller order is shared over the seller orders by what each still holds, once', async () => {
    const buyer = await createUser('customer', 'market-refund');
    const placed = await buy(buyer, [
      [shopA.skus[0] ?? '', 1],
      [shopB.skus[0] ?? '', 1],
    ]);
    await payAndSettle(buyer, placed);
    const payment = await paymentOf(buyer, placed.order.id);
    const refund = await api('POST', `/payments/${payment.id}/refund`, { token: shopA.admin.accessToken, body: { amount: 1001 }, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(refund.status, await refund.clone().text()).toBe(200);
    const soA = await sellerOrderOf(shopA.seller, placed.order.id);
    const soB = await sellerOrderOf(shopB.seller, placed.order.id);
    const allocations = await allocationsOf(placed.order.id);
    expect(allocations).toHaveLength(2);
    expect(allocations.every((a) => a.source.startsWith('provider:'))).toBe(true);
    expect(allocations.reduce((sum, a) => sum + a.amount, 0)).toBe(1001);
    // In proportion to the totals (1 : 3 before tax), exactly.
    const share = (id: string) => allocations.find((a) => a.sellerOrderId === id)?.amount ?? 0;
    expect(Math.abs(share(soB.id) - 3 * share(soA.id))).toBeLessThanOrEqual(4);
    expect([soA.refundedAmount, soB.refundedAmount]).toEqual([share(soA.id), share(soB.id)]);
    expect((await orderView(buyer, placed.order.id)).status).toBe('partially_refunded');

    // The webhooks of that refund change nothing more.
    const { forwardStripeEvents } = await import('../../support/stripe');
    await forwardStripeEvents(placed.payment.paymentIntentId, { twice: true });
    expect(await allocationsOf(placed.order.id)).toHaveLength(2);

    // Refunding the rest ends both seller orders as refunded, and the order too.
    const rest = await api('POST', `/payments/${payment.id}/refund`, { token: shopA.admin.accessToken, body: {}, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(rest.status, await rest.clone().text()).toBe(200);
    const view = await orderView(buyer, placed.order.id);
    expect(view.status).toBe('refunded');
    expect(view.sellerOrders.map((s) => s.status)).toEqual(['refunded', 'refunded']);
    expect(view.sellerOrders.map((s) => s.refundedAmount - s.total)).toEqual([0, 0]);
  });
});
