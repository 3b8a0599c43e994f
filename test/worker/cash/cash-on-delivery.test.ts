import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ledgerEntries, orders, providerTransactions } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, productInput, updateProduct } from '../../support/catalog';
import { ADDRESS, addToCart, expireOrderRow, level, openShop, orderOf, placeOrder, runCron, setStock, type OrderBody } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { withDeps } from '../ledger/helpers';
import { json, sellerOrderOf, ship, type SellerOrderBody } from '../marketplace/helpers';

interface CashPlaced {
  order: OrderBody & { reservationExpiresAt: string; paymentProvider: string; sellerOrders?: Array<{ id: string; sellerId: string; total: number }> };
  payment: { provider: string; paymentIntentId: string; clientSecret: string | null; checkoutUrl: string | null };
}

const CASH = { shippingAddress: ADDRESS, payment: { provider: 'cash' } };

async function buyCash(user: TestUser, lines: Array<[sku: string, quantity: number]>): Promise<CashPlaced> {
  for (const [sku, quantity] of lines) await addToCart(user, sku, quantity);
  return json<CashPlaced>(await placeOrder(user, crypto.randomUUID(), CASH), 201);
}

const collect = (user: TestUser, sellerOrderId: string, amount: number, key?: string) =>
  api('POST', `/seller-orders/${sellerOrderId}/cash-collected`, {
    token: user.accessToken,
    body: { amount },
    headers: key ? { 'idempotency-key': key } : {},
  });

/** Ships everything of the seller order in one parcel; answers the seller order. */
async function shipAll(seller: TestUser, so: SellerOrderBody): Promise<SellerOrderBody> {
  return json<SellerOrderBody>(await ship(seller, so.id, so.items.map((i) => ({ orderItemId: i.id, quantity: i.quantity }))), 201);
}

const cashRows = (orderId: string) => withDb((db) => db.select().from(providerTransactions).where(eq(providerTransactions.orderId, orderId)));
const ledgerOf = (orderId: string) => withDb((db) => db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId)));
const paymentOf = async (user: TestUser, orderId: string) =>
  (await json<{ data: Array<{ status: string; amountReceived: number; provider?: string }> }>(await api('GET', `/payments?orderId=${orderId}`, { token: user.accessToken }), 200)).data[0];
const orderRow = async (orderId: string) => (await withDb((db) => db.select().from(orders).where(eq(orders.id, orderId))))[0];

// Runs in order: the expiry sweep (runCron) is shared by every order in the database.
describe('cash on delivery', () => {
  it('holds the stock past the payment window, ships unpaid, and collecting the cash pays, delivers and books the order', async () => {
    const shop = await openShop([2500], 5);
    const sku = shop.skus[0] as string;
    const buyer = await createUser('customer', 'cash');
    const placed = await buyCash(buyer, [[sku, 2]]);
    expect(placed.payment).toEqual({ provider: 'cash', paymentIntentId: `cash_${placed.order.id}`, clientSecret: null, checkoutUrl: null });
    expect(placed.order).toMatchObject({ status: 'pending_payment', paymentProvider: 'cash' });
    // The stock is held for CASH_HOLD_DAYS (14 by default), not the 15-minute payment window.
    const heldFor = Date.parse(placed.order.reservationExpiresAt) - Date.now();
    expect(heldFor).toBeGreaterThan(13 * 86_400_000);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });

    // The sweep finds nothing to cancel: the order's hold has not run out.
    await runCron();
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 2 });

    // The seller sees the address of an unpaid cash order, prepares it and ships it.
    const so = await sellerOrderOf(shop.seller, placed.order.id);
    expect(so.status).toBe('pending_payment');
    expect(so.shippingAddress).toMatchObject({ city: ADDRESS.city });
    const asSeller = await json<{ shippingAddress: unknown }>(await api('GET', `/orders/${placed.order.id}`, { token: shop.seller.accessToken }), 200);
    expect(asSeller.shippingAddress).toMatchObject({ city: ADDRESS.city });
    await json(await api('POST', `/seller-orders/${so.id}/status`, { token: shop.seller.accessToken, body: { status: 'processing' } }), 200);
    const shipped = await shipAll(shop.seller, so);
    expect(shipped.status).toBe('shipped');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    // Shipping committed the units: they left the shelf.
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });

    // A shipped cash order is never swept, even past its hold; nor can the buyer cancel it.
    await expireOrderRow(placed.order.id);
    await runCron();
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    await expectProblem(await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken }), 409, 'CONFLICT');
    // The gateway itself refuses to close the payment of an order with a parcel on its way (what a racing cancel meets).
    await expect(withDeps((deps) => deps.gatewayFor(placed.payment.paymentIntentId).cancelPayment(placed.payment.paymentIntentId))).rejects.toThrow(/on its way/);
    expect((await orderRow(placed.order.id))?.status).toBe('pending_payment');

    const collected = await json<SellerOrderBody>(await collect(shop.seller, so.id, so.total), 200);
    expect(collected.status).toBe('delivered');
    expect(collected.deliveredAt).not.toBeNull();
    expect(collected.history?.at(-1)).toMatchObject({ from: 'shipped', to: 'delivered', note: 'cash collected on delivery' });
    const order = await orderOf(buyer, placed.order.id);
    expect(order.status).toBe('delivered');
    expect(order.history?.map((h) => h.to)).toEqual(['pending_payment', 'paid', 'delivered']);
    expect((await orderRow(placed.order.id))?.paidAt).not.toBeNull();
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });

    const rows = await cashRows(placed.order.id);
    expect(rows).toEqual([expect.objectContaining({ provider: 'cash', externalId: so.id, paymentId: `cash_${placed.order.id}`, amount: so.total, state: 2 })]);
    const payment = await paymentOf(buyer, placed.order.id);
    expect(payment).toMatchObject({ status: 'succeeded', amountReceived: placed.order.total });
    const ledger = await ledgerOf(placed.order.id);
    expect(ledger.find((e) => e.kind === 'sale')).toMatchObject({ amount: so.total, sellerId: shop.seller.id });

    // A repeat (another key, or none) answers the same and records nothing new.
    const again = await json<SellerOrderBody>(await collect(shop.seller, so.id, so.total, crypto.randomUUID()), 200);
    expect(again.status).toBe('delivered');
    expect(await cashRows(placed.order.id)).toHaveLength(1);
    expect((await ledgerOf(placed.order.id)).length).toBe(ledger.length);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('a wrong amount, another seller, a customer, or an unshipped seller order: refused, nothing changes', async () => {
    const shop = await openShop([1000], 5);
    const other = await createUser('seller', 'other');
    const buyer = await createUser('customer', 'cash');
    const placed = await buyCash(buyer, [[shop.skus[0] as string, 1]]);
    const so = await sellerOrderOf(shop.seller, placed.order.id);

    // Not shipped yet: 409.
    await expectProblem(await collect(shop.seller, so.id, so.total), 409, 'CONFLICT');
    await shipAll(shop.seller, so);
    const wrong = await expectProblem(await collect(shop.seller, so.id, so.total - 1), 409, 'CONFLICT');
    expect(wrong).toMatchObject({ expected: so.total, received: so.total - 1 });
    await expectProblem(await collect(other, so.id, so.total), 404, 'NOT_FOUND');
    await expectProblem(await collect(buyer, so.id, so.total), 403, 'FORBIDDEN');
    const bad = await api('POST', `/seller-orders/${so.id}/cash-collected`, { token: shop.seller.accessToken, body: { amount: 'lots' } });
    await expectProblem(bad, 400, 'VALIDATION_FAILED');

    expect(await cashRows(placed.order.id)).toHaveLength(0);
    expect((await sellerOrderOf(shop.seller, placed.order.id)).status).toBe('shipped');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await ledgerOf(placed.order.id)).toHaveLength(0);

    // An admin may record it for the seller.
    await json(await collect(shop.admin, so.id, so.total), 200);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('delivered');
  });

  it('a card order cannot have cash collected', async () => {
    const shop = await openShop([1000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] as string, 1);
    const placed = await json<CashPlaced>(await placeOrder(buyer), 201);
    const so = await sellerOrderOf(shop.seller, placed.order.id);
    await expectProblem(await collect(shop.seller, so.id, so.total), 409, 'CONFLICT');
  });

  it('cancelling before collection releases the stock, also with a seller order in preparation', async () => {
    const shop = await openShop([1200], 4);
    const sku = shop.skus[0] as string;
    const buyer = await createUser('customer', 'cash');
    const placed = await buyCash(buyer, [[sku, 3]]);
    const so = await sellerOrderOf(shop.seller, placed.order.id);
    await json(await api('POST', `/seller-orders/${so.id}/status`, { token: shop.seller.accessToken, body: { status: 'processing' } }), 200);
    expect(await level(sku)).toMatchObject({ reserved: 3, available: 1 });
    // One seller's part of an unpaid cash order is not cancelled alone.
    const part = await api('POST', `/orders/${placed.order.id}/seller-orders/${so.id}/cancel`, { token: buyer.accessToken, headers: { 'idempotency-key': crypto.randomUUID() } });
    await expectProblem(part, 409, 'CONFLICT');

    const cancelled = await json<OrderBody>(await api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken }), 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'cancelled_by_customer' });
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect((await sellerOrderOf(shop.seller, placed.order.id)).status).toBe('cancelled');
    await expectProblem(await ship(shop.seller, so.id, so.items.map((i) => ({ orderItemId: i.id, quantity: i.quantity }))), 409, 'CONFLICT');
    // No cash can be recorded for it now, and nothing was booked.
    await expectProblem(await collect(shop.seller, so.id, so.total), 409, 'CONFLICT');
    expect(await cashRows(placed.order.id)).toHaveLength(0);
  });

  it('an order never shipped within its hold is cancelled by the sweep and its stock released', async () => {
    const shop = await openShop([900], 3);
    const sku = shop.skus[0] as string;
    const buyer = await createUser('customer', 'cash');
    const placed = await buyCash(buyer, [[sku, 2]]);
    await expireOrderRow(placed.order.id);
    await runCron();
    expect(await orderOf(buyer, placed.order.id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('with two sellers, each collects its own part; the order is paid only with the last one', async () => {
    const first = await openShop([3000], 5);
    const second = await openShop([1700], 5);
    const buyer = await createUser('customer', 'cash');
    const placed = await buyCash(buyer, [
      [first.skus[0] as string, 1],
      [second.skus[0] as string, 2],
    ]);
    const a = await sellerOrderOf(first.seller, placed.order.id);
    const b = await sellerOrderOf(second.seller, placed.order.id);
    expect(a.total + b.total).toBe(placed.order.total);
    await shipAll(first.seller, a);
    await shipAll(second.seller, b);

    // The first seller cannot collect the second's part (404), nor the whole order's total (409).
    await expectProblem(await collect(first.seller, b.id, b.total), 404, 'NOT_FOUND');
    await expectProblem(await collect(first.seller, a.id, placed.order.total), 409, 'CONFLICT');

    await json(await collect(first.seller, a.id, a.total), 200);
    const partly = await orderOf(buyer, placed.order.id);
    expect(partly.status).toBe('pending_payment');
    expect((await sellerOrderOf(first.seller, placed.order.id)).status).toBe('delivered');
    expect((await sellerOrderOf(second.seller, placed.order.id)).status).toBe('shipped');
    const payment = await paymentOf(buyer, placed.order.id);
    expect(payment).toMatchObject({ status: 'processing', amountReceived: a.total });
    expect(await ledgerOf(placed.order.id)).toHaveLength(0);
    // A partly collected order is neither swept nor cancellable.
    await expireOrderRow(placed.order.id);
    await runCron();
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');

    await json(await collect(second.seller, b.id, b.total), 200);
    const paid = await orderOf(buyer, placed.order.id);
    expect(paid.status).toBe('delivered');
    const sales = (await ledgerOf(placed.order.id)).filter((e) => e.kind === 'sale');
    expect(sales.map((e) => e.amount).sort((x, y) => x - y)).toEqual([a.total, b.total].sort((x, y) => x - y));
  });

  it('a product whose seller refuses cash: a cash checkout is 409 naming its SKU; paying online still works', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const category = await createCategory(admin);
    const refusing = `CASHNO-${crypto.randomUUID().slice(0, 8)}`;
    const taking = `CASHOK-${crypto.randomUUID().slice(0, 8)}`;
    const product = await createProduct(seller, productInput(category.id, { variants: [{ sku: refusing, price: 800, currency: 'USD' }], cashOnDelivery: false }));
    expect(product).toMatchObject({ cashOnDelivery: false });
    const okProduct = await createProduct(seller, productInput(category.id, { variants: [{ sku: taking, price: 800, currency: 'USD' }] }));
    expect(okProduct).toMatchObject({ cashOnDelivery: true });
    await setStock(seller, refusing, 5);
    await setStock(seller, taking, 5);

    const buyer = await createUser('customer', 'cash');
    await addToCart(buyer, refusing, 1);
    await addToCart(buyer, taking, 1);
    const refused = await expectProblem(await placeOrder(buyer, crypto.randomUUID(), CASH), 409, 'PAYMENT_PROVIDER_UNAVAILABLE');
    expect(refused).toMatchObject({ provider: 'cash', skus: [refusing] });
    expect(await level(refusing)).toMatchObject({ reserved: 0 });
    expect(await level(taking)).toMatchObject({ reserved: 0 });
    await json(await placeOrder(buyer), 201);

    // The seller turns cash back on: the product answers it, and a cash checkout goes through.
    const updated = await updateProduct(seller, product.id, productInput(category.id, { variants: [{ sku: refusing, price: 800, currency: 'USD' }], cashOnDelivery: true }));
    expect(updated).toMatchObject({ cashOnDelivery: true });
    const again = await createUser('customer', 'cash');
    await buyCash(again, [[refusing, 1]]);
  });

  it('caps open cash orders per customer (CASH_MAX_OPEN_ORDERS), apart from the unpaid-order cap', async () => {
    const shop = await openShop([500], 50);
    const sku = shop.skus[0] as string;
    const buyer = await createUser('customer', 'cash');
    const first = await buyCash(buyer, [[sku, 1]]);
    await buyCash(buyer, [[sku, 1]]);
    await addToCart(buyer, sku, 1);
    const capped = await expectProblem(await placeOrder(buyer, crypto.randomUUID(), CASH), 409, 'TOO_MANY_CASH_ORDERS');
    expect(capped).toMatchObject({ limit: 2 });
    expect(await level(sku)).toMatchObject({ reserved: 2 });
    // Cash orders do not count against MAX_UNPAID_ORDERS: a card order still goes through.
    await json(await placeOrder(buyer), 201);

    // A delivered (collected) cash order is no longer open.
    const so = await sellerOrderOf(shop.seller, first.order.id);
    await shipAll(shop.seller, so);
    await json(await collect(shop.seller, so.id, so.total), 200);
    await addToCart(buyer, sku, 1);
    await json(await placeOrder(buyer, crypto.randomUUID(), CASH), 201);
  });
});
