import { eq } from 'drizzle-orm';
import { orderItems, sellerOrders } from '../../../shared/db/schema';
import { api, withDb } from '../../support/users';
import type { Fixtures, Makers } from '../fixtures';
import { type AccessTable, outcomes, ownerOnly, sellerOwned, sellersAndAdmin } from '../types';

const idempotent = () => ({ 'idempotency-key': crypto.randomUUID() });

/** The one seller order of an order (the matrix's orders hold seller A's product only) and its line. */
async function sellerOrderOf(orderId: string): Promise<{ id: string; itemId: string }> {
  const [row] = await withDb((db) =>
    db
      .select({ id: sellerOrders.id, itemId: orderItems.id })
      .from(sellerOrders)
      .innerJoin(orderItems, eq(orderItems.sellerOrderId, sellerOrders.id))
      .where(eq(sellerOrders.orderId, orderId)),
  );
  if (!row) throw new Error(`order ${orderId} has no seller order`);
  return row;
}

/** A new paid order of customer A for seller A's product: its order id and seller order. */
async function paidSellerOrder(make: Makers) {
  const placed = await make.order({ paid: true });
  return { orderId: placed.order.id, ...(await sellerOrderOf(placed.order.id)) };
}

/** A parcel of a new paid order, shipped by seller A. */
async function shipment(fx: Fixtures, make: Makers): Promise<string> {
  const so = await paidSellerOrder(make);
  const res = await api('POST', `/seller-orders/${so.id}/shipments`, {
    token: fx.users.seller.accessToken,
    body: { items: [{ orderItemId: so.itemId, quantity: 1 }], carrier: 'UzPost', trackingNumber: 'UZ-AUTHZ' },
  });
  if (res.status !== 201) throw new Error(`shipment not created: ${res.status} ${await res.text()}`);
  const body = await res.json<{ shipments: Array<{ id: string }> }>();
  return body.shipments[0]?.id ?? '';
}

/** /seller-orders, /shipments and a buyer's cancel of one seller order (docs/marketplace.md). */
export const sellerOrdersTable: AccessTable = {
  'GET /api/v1/seller-orders': {
    request: () => ({}),
    expect: sellersAndAdmin(200),
    note: 'A seller lists its own seller orders (seller B: an empty page), an admin all; customers have none (403).',
  },
  'GET /api/v1/seller-orders/{id}': {
    request: async ({ fx }) => ({ params: { id: (await sellerOrderOf(fx.paidOrder.order.id)).id } }),
    expect: sellerOwned(200),
    note: "Seller A's part of customer A's order: seller B gets 404; customers 403 (they read it inside GET /orders/{id}).",
  },
  'POST /api/v1/seller-orders/{id}/status': {
    request: async ({ fx, make, denied }) => ({
      params: { id: denied ? (await sellerOrderOf(fx.paidOrder.order.id)).id : (await paidSellerOrder(make)).id },
      body: { status: 'processing' },
    }),
    expect: sellerOwned(200),
  },
  'POST /api/v1/seller-orders/{id}/shipments': {
    request: async ({ fx, make, denied }) => {
      const so = denied ? await sellerOrderOf(fx.paidOrder.order.id) : await paidSellerOrder(make);
      return { params: { id: so.id }, body: { items: [{ orderItemId: so.itemId, quantity: 1 }], carrier: 'UzPost', trackingNumber: 'UZ-1' } };
    },
    expect: sellerOwned(201),
  },
  'POST /api/v1/shipments/{id}/delivered': {
    request: async ({ fx, make }) => ({ params: { id: await shipment(fx, make) } }),
    expect: sellerOwned(200),
  },
  'POST /api/v1/orders/{id}/seller-orders/{sellerOrderId}/cancel': {
    request: async ({ fx, make, denied }) => {
      const so = denied ? { orderId: fx.paidOrder.order.id, ...(await sellerOrderOf(fx.paidOrder.order.id)) } : await paidSellerOrder(make);
      return { params: { id: so.orderId, sellerOrderId: so.id }, headers: idempotent() };
    },
    // The buyer, the seller order's own seller (seller A) and an admin may cancel it before it ships; anyone else 404.
    expect: outcomes(ownerOnly(200), { seller: 200 }),
  },
  'POST /api/v1/shipments/{id}/ready-for-pickup': {
    request: async ({ fx, make }) => ({ params: { id: await shipment(fx, make) } }),
    // The matrix's orders ship to the door, not to a pickup point: authorisation passes, then 409 (test/worker/orders/ready-for-pickup.test.ts has the 200).
    expect: sellerOwned(409),
    note: 'Its seller or an admin; seller B 404; customers 403. The fixture parcel is not to a pickup point, so the allowed callers get 409.',
  },
};
