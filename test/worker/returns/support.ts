import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { orderItems, sellerOrders } from '../../../shared/db/schema';
import { type Problem } from '../../support/app';
import { buy, payAndSettle, type Placed } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { delivered, ship } from '../marketplace/helpers';

let shipper: TestUser | undefined;

/**
 * Delivers a seller order as a seller would (through an admin here): every unit in one
 * shipment, then that shipment delivered. `at` moves the delivery back in time (the return
 * window counts from it), straight in the database.
 */
export async function markDelivered(sellerOrderId: string, at?: Date): Promise<void> {
  const [so] = await withDb((db) => db.select({ status: sellerOrders.status }).from(sellerOrders).where(eq(sellerOrders.id, sellerOrderId)));
  if (so?.status !== 'delivered') {
    shipper ??= await createUser('admin', 'returns-shipper');
    const lines = await withDb((db) => db.select({ id: orderItems.id, quantity: orderItems.quantity }).from(orderItems).where(eq(orderItems.sellerOrderId, sellerOrderId)));
    const shipped = await ship(shipper, sellerOrderId, lines.map((l) => ({ orderItemId: l.id, quantity: l.quantity })));
    expect(shipped.status, await shipped.clone().text()).toBe(201);
    const { shipments } = await shipped.json<{ shipments: Array<{ id: string }> }>();
    const done = await delivered(shipper, shipments[0]?.id ?? '');
    expect(done.status, await done.clone().text()).toBe(200);
  }
  if (at) await withDb((db) => db.update(sellerOrders).set({ deliveredAt: at }).where(eq(sellerOrders.id, sellerOrderId)));
}

export interface DeliveredOrder {
  placed: Placed;
  orderId: string;
  /** The seller order of each seller, by seller id. */
  sellerOrders: Map<string, { id: string; subtotal: number; tax: number; shipping: number; total: number; refundedAmount: number }>;
  /** The order's lines, by SKU. */
  lines: Map<string, { id: string; sellerOrderId: string; quantity: number; unitPrice: number; lineTotal: number }>;
}

export async function sellerOrdersOf(orderId: string) {
  return withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, orderId)));
}

/** The buyer buys these lines, pays, and every seller order of the order is delivered (at `deliveredAt`). */
export async function deliveredOrder(buyer: TestUser, lines: Array<[sku: string, quantity: number]>, deliveredAt?: Date): Promise<DeliveredOrder> {
  const placed = await buy(buyer, lines);
  await payAndSettle(buyer, placed);
  const orderId = placed.order.id;
  const sos = await sellerOrdersOf(orderId);
  for (const so of sos) await markDelivered(so.id, deliveredAt);
  const items = await withDb((db) => db.select().from(orderItems).where(eq(orderItems.orderId, orderId)));
  return {
    placed,
    orderId,
    sellerOrders: new Map(sos.map((so) => [so.sellerId, so])),
    lines: new Map(items.map((i) => [i.sku, i])),
  };
}

export interface ReturnBody {
  id: string;
  orderId: string;
  orderNumber: string;
  sellerOrderId: string;
  sellerId: string;
  userId: string;
  status: string;
  reason: string;
  rejectReason: string | null;
  refundAmount: number | null;
  refundedAmount: number | null;
  currency: string;
  items: Array<{ id: string; orderItemId: string; sku: string; quantity: number; restockable: boolean | null; restockedAt: string | null }>;
  history: Array<{ from: string | null; to: string; actor: string; note: string | null }>;
}

export function requestReturn(buyer: TestUser, body: Record<string, unknown>) {
  return api('POST', '/returns', { token: buyer.accessToken, body });
}

/** Requests a return of `lines` (SKU, units) of the seller order of `sellerId`; fails unless 201. */
export async function returnOf(buyer: TestUser, order: DeliveredOrder, sellerId: string, lines: Array<[sku: string, quantity: number]>): Promise<ReturnBody> {
  const so = order.sellerOrders.get(sellerId);
  const res = await requestReturn(buyer, {
    orderId: order.orderId,
    sellerOrderId: so?.id,
    items: lines.map(([sku, quantity]) => ({ orderItemId: order.lines.get(sku)?.id, quantity })),
    reason: 'Does not fit',
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<ReturnBody>();
}

export const act = (user: TestUser, returnId: string, step: 'approve' | 'reject' | 'receive' | 'refund', body?: unknown, key = crypto.randomUUID()) =>
  api('POST', `/returns/${returnId}/${step}`, { token: user.accessToken, body, headers: step === 'refund' ? { 'idempotency-key': key } : {} });

/** Moves a return with a 200 answer; returns it. */
export async function step(user: TestUser, returnId: string, name: 'approve' | 'reject' | 'receive' | 'refund', body?: unknown): Promise<ReturnBody> {
  const res = await act(user, returnId, name, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<ReturnBody>();
}

/** Every line of the return with the same restockable mark (or per SKU). */
export const marks = (ret: ReturnBody, restockable: boolean | Record<string, boolean>) => ({
  items: ret.items.map((i) => ({ returnItemId: i.id, restockable: typeof restockable === 'boolean' ? restockable : (restockable[i.sku] ?? false) })),
});

export async function sellerOrderRow(id: string) {
  const [row] = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.id, id)));
  return row;
}

/** Outbox rows of a return, by type. */
export async function returnEventsOf(returnId: string) {
  const rows = await withDb((db) => db.execute<{ type: string; payload: Record<string, unknown> }>(sql`select type, payload from outbox_events where payload->>'returnId' = ${returnId} order by created_at`));
  return rows.rows;
}

export type { Problem };
