import { eq } from 'drizzle-orm';
import { orderItems, sellerOrders } from '../../../shared/db/schema';
import { ADDRESS, addToCart, placeOrder } from '../../support/checkout';
import { api, withDb } from '../../support/users';
import type { Fixtures } from '../fixtures';
import { type AccessTable, sellerOwned } from '../types';

/** A new cash-on-delivery order of customer A for seller A's product, shipped whole by seller A: its seller order and total. */
async function shippedCashSellerOrder(fx: Fixtures): Promise<{ id: string; total: number }> {
  const buyer = fx.users.customer;
  await api('DELETE', '/cart', { token: buyer.accessToken });
  await addToCart(buyer, fx.sku, 1);
  const placed = await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, payment: { provider: 'cash' } });
  if (placed.status !== 201) throw new Error(`cash order not placed: ${placed.status} ${await placed.text()}`);
  const { order } = await placed.json<{ order: { id: string } }>();
  const [so] = await withDb((db) =>
    db
      .select({ id: sellerOrders.id, total: sellerOrders.total, itemId: orderItems.id })
      .from(sellerOrders)
      .innerJoin(orderItems, eq(orderItems.sellerOrderId, sellerOrders.id))
      .where(eq(sellerOrders.orderId, order.id)),
  );
  if (!so) throw new Error(`order ${order.id} has no seller order`);
  const shipped = await api('POST', `/seller-orders/${so.id}/shipments`, {
    token: fx.users.seller.accessToken,
    body: { items: [{ orderItemId: so.itemId, quantity: 1 }], carrier: 'UzPost', trackingNumber: 'UZ-CASH' },
  });
  if (shipped.status !== 201) throw new Error(`cash order not shipped: ${shipped.status} ${await shipped.text()}`);
  return { id: so.id, total: so.total };
}

/** One shipped cash order every denied actor is refused on (customer A's open cash orders are capped). */
let deniedCase: Promise<{ id: string; total: number }> | undefined;

/** Cash on delivery (docs/cash-on-delivery.md). */
export const cashTable: AccessTable = {
  'POST /api/v1/seller-orders/{id}/cash-collected': {
    request: async ({ fx, denied }) => {
      const so = denied ? await (deniedCase ??= shippedCashSellerOrder(fx)) : await shippedCashSellerOrder(fx);
      return { params: { id: so.id }, body: { amount: so.total } };
    },
    expect: sellerOwned(200),
    note: "Seller A (for its courier) or an admin records the cash of its shipped seller order; seller B 404; customers 403.",
  },
};
