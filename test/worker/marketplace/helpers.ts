import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { outboxEvents, refundAllocations } from '../../../shared/db/schema';
import { api, type TestUser, withDb } from '../../support/users';

/** A seller order as `GET /seller-orders/{id}` answers it. */
export interface SellerOrderBody {
  id: string;
  orderId: string;
  number: string;
  sellerId: string;
  buyerId: string;
  status: string;
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  refundedAmount: number;
  shippingAddress: Record<string, unknown> | null;
  items: Array<{ id: string; sku: string; quantity: number; shippedQuantity: number }>;
  shipments: Array<{ id: string; status: string; carrier: string; trackingNumber: string | null; trackingUrl: string | null; items: Array<{ orderItemId: string; quantity: number }> }>;
  history?: Array<{ from: string | null; to: string; actor: string; note: string | null }>;
  deliveredAt: string | null;
  cancelReason: string | null;
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export const listSellerOrders = async (user: TestUser, query = '') =>
  (await json<{ data: SellerOrderBody[]; nextCursor: string | null }>(await api('GET', `/seller-orders${query}`, { token: user.accessToken }), 200));

export const sellerOrder = async (user: TestUser, id: string) => json<SellerOrderBody>(await api('GET', `/seller-orders/${id}`, { token: user.accessToken }), 200);

/** The seller order of `seller` in the order, as that seller sees it. */
export async function sellerOrderOf(seller: TestUser, orderId: string): Promise<SellerOrderBody> {
  const { data } = await listSellerOrders(seller, `?orderId=${orderId}`);
  expect(data).toHaveLength(1);
  return sellerOrder(seller, (data[0] as SellerOrderBody).id);
}

export const moveSellerOrder = (user: TestUser, id: string, status: string, note?: string) =>
  api('POST', `/seller-orders/${id}/status`, { token: user.accessToken, body: { status, ...(note ? { note } : {}) } });

export const ship = (user: TestUser, id: string, items: Array<{ orderItemId: string; quantity: number }>, tracking = `UZ${Math.floor(Math.random() * 1e9)}`) =>
  api('POST', `/seller-orders/${id}/shipments`, {
    token: user.accessToken,
    body: { items, carrier: 'UzPost', trackingNumber: tracking, trackingUrl: `https://track.example.uz/${tracking}` },
  });

export const delivered = (user: TestUser, shipmentId: string) => api('POST', `/shipments/${shipmentId}/delivered`, { token: user.accessToken });

export const cancelPart = (user: TestUser, orderId: string, sellerOrderId: string, key = crypto.randomUUID()) =>
  api('POST', `/orders/${orderId}/seller-orders/${sellerOrderId}/cancel`, { token: user.accessToken, headers: { 'idempotency-key': key } });

/** The outbox events naming this order, oldest first. */
export const eventsOf = (orderId: string) =>
  withDb((db) =>
    db
      .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(sql`${outboxEvents.payload}->>'orderId' = ${orderId}`)
      .orderBy(outboxEvents.createdAt, outboxEvents.id),
  );

export const allocationsOf = (orderId: string) =>
  withDb((db) => db.select().from(refundAllocations).where(eq(refundAllocations.orderId, orderId)));
