import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orders, sellerOrders, shipments } from '../../shared/db/schema';
import { Conflict } from '../../shared/errors';
import { domainEvent } from '../../shared/outbox';
import { recordCashCollected } from '../payments/public';
import { movableSellerOrder } from './fulfilment';
import { afterSettled, moveSellerOrder, type Settled, sellerOrderPayload, settleOrder } from './seller-orders';

/**
 * `POST /seller-orders/{id}/cash-collected` (docs/cash-on-delivery.md): the
 * seller (for its courier) or an admin records the cash of one seller order
 * of a cash order as collected at the door.
 *
 * - Only a cash order's seller order, once everything of it has shipped
 *   (shipped, or delivered already); `amount` must be its total, else 409
 *   and nothing changes.
 * - The collection is a `cash` provider transaction recorded under the
 *   payment's lock (workers/payments/cash.ts): one per seller order, so a
 *   repeat records nothing new and answers the same.
 * - The seller order is delivered (its shipments with it) and its history
 *   says the cash was collected; its `paidAt` is set.
 * - Then the payment's state is applied like any provider's: while other
 *   sellers' parts are still due, the payment is `processing` and the order
 *   waits (unpaid); with the last part, the order is paid (stock committed,
 *   the ledger books the sales) and its status derived from its seller
 *   orders (delivered when all are).
 */
export async function collectCash(deps: Deps, auth: Principal, sellerOrderId: string, input: { amount: number; note?: string }) {
  const so = await movableSellerOrder(deps, auth, sellerOrderId);
  const found = await deps.db.execute<{ payment_intent_id: string | null; payment_provider: string; status: string }>(
    sql`select payment_intent_id, payment_provider, status from ${orders} where id = ${so.orderId}::uuid`,
  );
  const order = found.rows[0];
  if (!order || order.payment_provider !== 'cash' || !order.payment_intent_id) {
    throw new Conflict('This order is not paid in cash on delivery.', { paymentProvider: order?.payment_provider ?? null });
  }
  if (input.amount !== so.total) {
    throw new Conflict(`The cash to collect for this seller order is ${so.total} ${so.currency}; ${input.amount} was reported.`, {
      expected: so.total,
      received: input.amount,
      currency: so.currency,
    });
  }
  if (so.status !== 'shipped' && so.status !== 'delivered') {
    throw new Conflict(`A ${so.status} seller order cannot have its cash collected: ship all of it first.`, { sellerOrderStatus: so.status });
  }

  await recordCashCollected(deps, { paymentId: order.payment_intent_id, orderId: so.orderId, sellerOrderId: so.id, amount: input.amount, actor: auth.userId });

  const note = input.note ?? 'cash collected on delivery';
  const event = domainEvent({ type: 'seller_order.delivered', payload: sellerOrderPayload(so) });
  const delivered = await deps.db.transaction(async (tx) => {
    const left = await moveSellerOrder(tx, so.id, { from: ['shipped'], to: 'delivered', actor: auth.userId, note, set: { delivered_at: true }, events: [event] });
    await tx.execute(sql`update ${sellerOrders} set paid_at = coalesce(paid_at, now()) where id = ${so.id}::uuid`);
    if (!left) return undefined;
    await tx.execute(sql`update ${shipments} set status = 'delivered', delivered_at = now() where seller_order_id = ${so.id}::uuid and status = 'shipped'`);
    return settleOrder(tx, so.orderId, auth.userId, { note });
  });
  if (delivered) afterSettled(deps, so.orderId, delivered, [event]);

  const gateway = deps.gatewayFor(order.payment_intent_id);
  await deps.applyPaymentState(await gateway.retrievePayment(order.payment_intent_id), auth.userId);
  // Paid now: the order's own status follows its seller orders (delivered when every part is).
  const settled: Settled = await deps.db.transaction((tx) => settleOrder(tx, so.orderId, auth.userId));
  afterSettled(deps, so.orderId, settled);
  return so;
}
