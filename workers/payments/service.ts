import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { orders, payments, refunds, type Payment as PaymentRow } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, PaymentFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate } from '../../shared/pagination';
import { PaymentDeclined, type PaymentState, type RefundReason } from '../../shared/payments';
import type { ListPaymentsQuery, Payment } from './schemas';
import { recordDecline, refundableOf } from './state';

const toPayment = (row: PaymentRow): Payment => ({
  ...row,
  closedAt: row.closedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

async function ownOrder(deps: Deps, auth: Principal, orderId: string) {
  const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order || (order.userId !== auth.userId && auth.role !== 'admin')) throw new NotFound('order', orderId);
  return order;
}

/** The order's PaymentIntent (its client secret lets Stripe.js confirm it in the browser). */
export async function paymentIntentFor(deps: Deps, auth: Principal, orderId: string) {
  const order = await ownOrder(deps, auth, orderId);
  if (!order.paymentIntentId) throw new Conflict('The order has no payment.');
  const gateway = deps.gatewayFor(order.paymentIntentId);
  const payment = await gateway.retrievePayment(order.paymentIntentId);
  return { provider: gateway.provider, paymentIntentId: payment.id, clientSecret: payment.clientSecret, checkoutUrl: payment.checkoutUrl ?? null, status: payment.status };
}

/**
 * Confirms the order's PaymentIntent server-side with a payment method. A
 * decline answers 402 and leaves the order payable (until its reservation
 * expires). Success is applied at once; the webhook then finds nothing to do.
 */
export async function processPayment(deps: Deps, auth: Principal, orderId: string, paymentMethodId: string) {
  const order = await ownOrder(deps, auth, orderId);
  if (order.status !== 'pending_payment' || !order.paymentIntentId) {
    throw new Conflict(`The order is ${order.status}; it cannot be paid now.`, { orderStatus: order.status });
  }
  const gateway = deps.gatewayFor(order.paymentIntentId);
  if (!gateway.confirmPayment) {
    throw new Conflict(`The order is paid with ${gateway.provider}: the buyer pays on its checkout page.`, { provider: gateway.provider });
  }
  let confirmed: PaymentState;
  try {
    confirmed = await gateway.confirmPayment(order.paymentIntentId, paymentMethodId);
  } catch (err) {
    if (!(err instanceof PaymentDeclined)) throw err;
    await recordDecline(deps, order.paymentIntentId, err.message);
    throw new PaymentFailed(err.message, { declineCode: err.declineCode });
  }
  await deps.applyPaymentState(await gateway.retrievePayment(confirmed.id), auth.userId);
  if (confirmed.status === 'requires_action') {
    throw new PaymentFailed('The card needs authentication; confirm with Stripe.js using the client secret.', {
      paymentStatus: confirmed.status,
      clientSecret: confirmed.clientSecret,
    });
  }
  return { paymentIntentId: confirmed.id, status: confirmed.status, orderId };
}

export async function getPayment(deps: Deps, auth: Principal, id: string): Promise<Payment> {
  const [row] = await deps.db.select().from(payments).where(eq(payments.id, id));
  if (!row || (row.userId !== auth.userId && auth.role !== 'admin')) throw new NotFound('payment', id);
  return toPayment(row);
}

export async function listPayments(deps: Deps, auth: Principal, query: ListPaymentsQuery) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(payments)
    .where(
      and(
        auth.role === 'admin' ? undefined : eq(payments.userId, auth.userId),
        query.orderId ? eq(payments.orderId, query.orderId) : undefined,
        after ? lt(payments.id, after.id) : undefined,
      ),
    )
    .orderBy(desc(payments.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (p) => ({ id: p.id }));
  return { data: page.data.map(toPayment), nextCursor: page.nextCursor };
}

/**
 * Admin refund, full or partial; never more than what was captured minus what
 * was already refunded. The Idempotency-Key (required) also keys Stripe's
 * refund, so a retry cannot refund twice.
 */
export async function refundPayment(deps: Deps, auth: Principal, id: string, input: { amount?: number; reason?: string }, idempotencyKey: string) {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin refunds payments.');
  const [payment] = await deps.db.select().from(payments).where(eq(payments.id, id));
  if (!payment) throw new NotFound('payment', id);
  const gateway = deps.gatewayFor(payment.paymentIntentId);
  const refundable = refundableOf(await gateway.retrievePayment(payment.paymentIntentId));
  const amount = input.amount ?? refundable;
  if (refundable <= 0) throw new Conflict('Nothing left to refund.', { refundable: 0 });
  if (amount > refundable) throw new Conflict(`At most ${refundable} can be refunded.`, { refundable });
  const refund = await gateway.refundPayment(
    {
      paymentId: payment.paymentIntentId,
      amount,
      ...(input.reason ? { reason: input.reason as RefundReason } : {}),
      metadata: { order_id: payment.orderId, payment_id: id },
    },
    `refund:${id}:${idempotencyKey}`,
  );
  await deps.db
    .insert(refunds)
    .values({ id: newId(), paymentId: id, providerRefundId: refund.id, amount: refund.amount, reason: input.reason ?? null, createdBy: auth.userId })
    .onConflictDoNothing();
  await deps.applyPaymentState(await gateway.retrievePayment(payment.paymentIntentId), auth.userId);
  return getPayment(deps, auth, id);
}
