import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orderLineDiscounts, sellerOrders } from '../../../shared/db/schema';
import { percentOf } from '../../../shared/money';
import { expectProblem } from '../../support/app';
import { ADDRESS, addToCart, expireOrderRow, level, openShop, payAndSettle, placeOrder, type Placed, runCron } from '../../support/checkout';
import { createPromotion, enterCode, redemptionsOf, uniqueCode, usageOf } from '../../support/promotion-checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { entriesOf, withDeps } from '../ledger/helpers';

interface CartBody {
  lines: Array<{ sku: string; lineTotal: number; discount: number }>;
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  discount: number;
  promotions: Array<{ promotionId: string; code: string | null; funding: string; amount: number }>;
  codes: Array<{ code: string; applied: boolean; reason: string | null }>;
}
interface OrderWithDiscounts {
  id: string;
  subtotal: number;
  tax: number;
  total: number;
  discount: number;
  items: Array<{ sku: string; lineTotal: number; discount: number; unitPrice: number; quantity: number }>;
}

const cartOf = async (user: TestUser) => (await api('GET', '/cart', { token: user.accessToken })).json<CartBody>();
const tenPercent = { kind: 'percentage', percent: 10 } as const;

/** A shop of one 3000-cent SKU, a buyer with two units in the cart, a 10% platform code and a 5% automatic seller promotion on the product. */
async function discountedCart() {
  const shop = await openShop([3000], 20);
  const sku = shop.skus[0] ?? '';
  const code = await createPromotion({ params: tenPercent, code: uniqueCode('TEN') });
  const automatic = await createPromotion({ params: { kind: 'percentage', percent: 5 }, sellerId: shop.seller.id, productIds: shop.productIds });
  const buyer = await createUser();
  await addToCart(buyer, sku, 2);
  return { shop, sku, code, automatic, buyer };
}

describe('cart discount codes', () => {
  it('keeps a code, prices the cart with it and says why another does not apply; unknown codes are 404 and not kept', async () => {
    const shop = await openShop([3000], 20);
    const code = await createPromotion({ params: tenPercent, code: uniqueCode('TEN') });
    const big = await createPromotion({ params: tenPercent, code: uniqueCode('BIG'), minSubtotal: 1_000_000 });
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 2);

    await expectProblem(await enterCode(buyer, 'NOSUCHCODE123'), 404, 'NOT_FOUND');
    expect((await cartOf(buyer)).codes).toEqual([]);

    const res = await enterCode(buyer, (code.code ?? '').toLowerCase());
    expect(res.status, await res.clone().text()).toBe(200);
    const cart = await res.json<CartBody>();
    expect(cart.codes).toEqual([{ code: code.code, applied: true, reason: null }]);
    expect(cart.promotions).toEqual([expect.objectContaining({ promotionId: code.id, code: code.code, funding: 'platform', amount: 600 })]);
    expect(cart.lines[0]).toMatchObject({ lineTotal: 6000, discount: 600 });
    // Tax on top of the discounted lines; shipping (flat 500 under the threshold) unchanged.
    expect(cart).toMatchObject({ subtotal: 6000, discount: 600, shipping: 500, tax: 648, total: 5400 + 648 + 500 });

    const second = await (await enterCode(buyer, big.code ?? '')).json<CartBody>();
    expect(second.codes).toEqual([
      { code: code.code, applied: true, reason: null },
      { code: big.code, applied: false, reason: 'minimum_not_met' },
    ]);
    expect(second.total).toBe(cart.total);

    const removed = await api('DELETE', `/cart/discounts/${big.code}`, { token: buyer.accessToken });
    expect((await removed.json<CartBody>()).codes.map((c) => c.code)).toEqual([code.code]);
    await expectProblem(await api('DELETE', `/cart/discounts/${big.code}`, { token: buyer.accessToken }), 404, 'NOT_FOUND');

    // An anonymous cart keeps codes the same way, addressed by X-Cart-Id.
    const anon = await api('POST', '/cart/items', { body: { sku: shop.skus[0], quantity: 1 } });
    const cartId = anon.headers.get('x-cart-id') ?? '';
    const anonCart = await (await enterCode(null, code.code ?? '', cartId)).json<CartBody>();
    expect(anonCart).toMatchObject({ discount: 300, codes: [{ code: code.code, applied: true }] });
  });
});

describe('checkout with discounts', () => {
  it('allocates the discounts to lines, takes tax from the discounted amount, records funding and counts redemptions; an unpaid cancel releases them once', async () => {
    const { sku, code, automatic, buyer } = await discountedCart();
    expect((await enterCode(buyer, code.code ?? '')).status).toBe(200);
    const cart = await cartOf(buyer);
    // Automatic 5% first (300, the seller's), then the code's 10% of what is left (570, the platform's).
    expect(cart.promotions.map((p) => [p.promotionId, p.funding, p.amount])).toEqual([
      [automatic.id, 'seller', 300],
      [code.id, 'platform', 570],
    ]);

    const res = await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, expectedTotal: { amount: cart.total, currency: 'USD' } });
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed & { order: OrderWithDiscounts }>();
    const order = placed.order;
    expect(order.items).toEqual([expect.objectContaining({ sku, unitPrice: 3000, quantity: 2, lineTotal: 5130, discount: 870 })]);
    expect(order).toMatchObject({ subtotal: 5130, discount: 870, tax: percentOf({ amount: 5130, currency: 'USD' }, 1200).amount, total: cart.total });

    const shares = await withDb((db) => db.select().from(orderLineDiscounts).where(eq(orderLineDiscounts.orderId, order.id)));
    expect(shares.map((s) => [s.promotionId, s.fundedBy, s.target, s.amount]).sort()).toEqual(
      [[automatic.id, 'seller', 'line', 300], [code.id, 'platform', 'line', 570]].sort(),
    );
    const [so] = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, order.id)));
    expect(so).toMatchObject({ discount: 870, platformDiscount: 570 });
    expect(await usageOf(`promotion:${code.id}`)).toBe(1);
    expect(await usageOf(`code:${code.codeId}`)).toBe(1);
    expect(await usageOf(`customer:${code.id}:${buyer.id}`)).toBe(1);
    expect((await cartOf(buyer)).codes).toEqual([]);

    const cancel = () => api('DELETE', `/orders/${order.id}`, { token: buyer.accessToken });
    expect((await cancel()).status).toBe(200);
    const released = await redemptionsOf(code.id);
    expect(released).toHaveLength(1);
    expect(released[0]?.releasedAt).not.toBeNull();
    expect(await usageOf(`promotion:${code.id}`)).toBe(0);
    expect(await usageOf(`code:${code.codeId}`)).toBe(0);
    expect(await usageOf(`customer:${code.id}:${buyer.id}`)).toBe(0);
    expect(await usageOf(`promotion:${automatic.id}`)).toBe(0);
    // A second cancel gives nothing back twice.
    expect((await cancel()).status).toBe(409);
    expect(await usageOf(`promotion:${code.id}`)).toBe(0);
    expect((await redemptionsOf(code.id))[0]?.releasedAt).toEqual(released[0]?.releasedAt);
  });

  it('pays the seller the platform-funded part, charges commission before it, and a paid cancel refunds what was paid, never more', async () => {
    const { code, automatic, buyer } = await discountedCart();
    await enterCode(buyer, code.code ?? '');
    const res = await placeOrder(buyer);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed & { order: OrderWithDiscounts }>();
    await payAndSettle(buyer, placed);
    await withDeps((deps) => deps.postLedger(placed.order.id));
    const [so] = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.order.id)));
    const total = so?.total ?? 0;
    // Commission on what the sale is worth to the seller: the paid total plus the platform's 570.
    expect(so?.commission).toBe(Math.round(((total + 570) * 1000) / 10_000));
    const sold = await entriesOf(placed.order.id);
    expect(Object.fromEntries(sold.map((e) => [e.kind, e.amount]))).toEqual({ sale: total, commission: -(so?.commission ?? 0), promotion_subsidy: 570 });

    const cancelled = await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect(await cancelled.json()).toMatchObject({ refundedAmount: placed.order.total });
    await withDeps((deps) => deps.postLedger(placed.order.id));
    const entries = await entriesOf(placed.order.id);
    expect(entries.find((e) => e.kind === 'refund')?.amount).toBe(-placed.order.total);
    expect(entries.find((e) => e.kind === 'promotion_subsidy_refund')?.amount).toBe(-570);
    // Everything went back: the seller is owed nothing, and the redemption of a paid order is kept (it was used).
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect((await redemptionsOf(automatic.id))[0]?.releasedAt).toBeNull();
  });

  it('a code whose uses ran out refuses the order with 409 PROMOTION_UNAVAILABLE and holds nothing', async () => {
    const shop = await openShop([3000], 20);
    const sku = shop.skus[0] ?? '';
    const code = await createPromotion({ params: tenPercent, code: uniqueCode('ONCE'), codeLimit: 1 });
    const [first, second] = [await createUser(), await createUser()];
    for (const buyer of [first, second]) {
      await addToCart(buyer, sku, 1);
      expect((await enterCode(buyer, code.code ?? '')).status).toBe(200);
    }
    expect((await placeOrder(first)).status).toBe(201);
    const refused = await expectProblem(await placeOrder(second), 409, 'PROMOTION_UNAVAILABLE');
    expect(refused).toMatchObject({ promotionId: code.id, reason: 'limit_reached', discountCode: code.code });
    expect(await level(sku)).toMatchObject({ onHand: 20, reserved: 1 });
    expect(await usageOf(`code:${code.codeId}`)).toBe(1);
    const cart = await cartOf(second);
    expect(cart.codes).toEqual([{ code: code.code, applied: false, reason: 'limit_reached' }]);
    expect(cart.discount).toBe(0);
  });

  it('an unpaid order that expires gives its uses back, once: a second sweep releases nothing', async () => {
    const shop = await openShop([3000], 20);
    const code = await createPromotion({ params: tenPercent, code: uniqueCode('EXP'), codeLimit: 1 });
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    await enterCode(buyer, code.code ?? '');
    const res = await placeOrder(buyer);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(await usageOf(`code:${code.codeId}`)).toBe(1);

    await expireOrderRow(placed.order.id);
    await runCron();
    const [redemption] = await redemptionsOf(code.id);
    expect(redemption?.releasedAt).not.toBeNull();
    expect(await usageOf(`code:${code.codeId}`)).toBe(0);
    await runCron();
    expect(await usageOf(`code:${code.codeId}`)).toBe(0);
    expect((await redemptionsOf(code.id))[0]?.releasedAt).toEqual(redemption?.releasedAt);
    // The single use is free again: another buyer gets the discount.
    const next = await createUser();
    await addToCart(next, shop.skus[0] ?? '', 1);
    expect((await (await enterCode(next, code.code ?? '')).json<CartBody>()).codes).toEqual([{ code: code.code, applied: true, reason: null }]);
  });
});
