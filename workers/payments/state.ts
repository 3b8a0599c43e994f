import { and, desc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments, refundAllocations, refunds } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import type { PaymentState, RefundReason } from '../../shared/payments';

/**
 * The payment row follows the provider: status, amount received, refunds
 * (which only ever grow, so a stale read cannot shrink them) and the last
 * error. Safe to run for any event, any number of times.
 */
export async function recordPaymentState(deps: Deps, payment: PaymentState): Promise<void> {
  await deps.db
    .update(payments)
    .set({
      status: payment.status,
      amountReceived: payment.amountReceived,
      amountRefunded: sql`greatest(${payments.amountRefunded}, ${payment.amountRefunded})`,
      lastError: payment.lastError,
      updatedAt: sql`now()`,
    })
    .where(eq(payments.paymentIntentId, payment.id));
}

/** A declined attempt is kept on the payment row; the order stays payable. */
export async function recordDecline(deps: Deps, paymentId: string, message: string): Promise<void> {
  await deps.db
    .update(payments)
    .set({ status: 'requires_payment_method', lastError: message, updatedAt: sql`now()` })
    .where(eq(payments.paymentIntentId, paymentId));
}

/** What a payment still holds: received minus already refunded. */
export const refundableOf = (payment: PaymentState): number => payment.amountReceived - payment.amountRefunded;

/**
 * Refunds what is left of a payment, if anything (a cancelled paid order, a
 * payment that came too late for its stock). Keyed by `idempotencyKey`, so a
 * retried step refunds once. Returns the amount refunded by this call's
 * request (0 when nothing was left).
 */
export async function refundRemainder(
  deps: Deps,
  payment: PaymentState,
  options: { idempotencyKey: string; reason?: RefundReason; metadata: Record<string, string> },
): Promise<number> {
  const remaining = refundableOf(payment);
  if (remaining <= 0) return 0;
  const refund = await deps.gatewayFor(payment.id).refundPayment(
    { paymentId: payment.id, amount: remaining, reason: options.reason ?? 'requested_by_customer', metadata: options.metadata },
    options.idempotencyKey,
  );
  return refund.amount;
}

/** One part of an order's money going back: a cancelled seller order, a returned parcel. */
export interface PartRefund {
  /** The step's idempotency id, e.g. `cancel:<sellerOrderId>`, `return:<returnId>`. */
  source: string;
  sellerOrderId: string;
  amount: number;
  reason?: RefundReason;
  actor: string;
}

/**
 * Refunds one part of an order's payment through its provider, once per
 * `source`: a step already booked answers its first amount without calling
 * the provider again; the provider's idempotency key is the source, and the
 * refund and allocation rows are unique, so a retried or doubled step
 * refunds and books once. Callers claim their step first (a conditional
 * status update), so two racing calls never both reach here with different
 * amounts. Never more than the payment still holds; 0 when the order was
 * never paid. The order follows through `applyPaymentState`.
 */
export async function refundPart(deps: Deps, orderId: string, part: PartRefund): Promise<number> {
  const [booked] = await deps.db
    .select({ amount: refundAllocations.amount })
    .from(refundAllocations)
    .where(and(eq(refundAllocations.source, part.source), eq(refundAllocations.sellerOrderId, part.sellerOrderId)));
  if (booked) return booked.amount;
  const [payment] = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), sql`${payments.amountReceived} > 0`))
    .orderBy(desc(payments.amountReceived))
    .limit(1);
  if (!payment) return 0;
  const gateway = deps.gatewayFor(payment.paymentIntentId);
  const amount = Math.min(part.amount, refundableOf(await gateway.retrievePayment(payment.paymentIntentId)));
  if (amount <= 0) return 0;
  const refund = await gateway.refundPayment(
    {
      paymentId: payment.paymentIntentId,
      amount,
      reason: part.reason ?? 'requested_by_customer',
      metadata: { order_id: orderId, seller_order_id: part.sellerOrderId, source: part.source },
    },
    `refund:${part.source}`,
  );
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(refunds)
      .values({ id: newId(), paymentId: payment.id, providerRefundId: refund.id, amount: refund.amount, reason: part.source, createdBy: part.actor })
      .onConflictDoNothing();
    await tx
      .insert(refundAllocations)
      .values({
        id: newId(),
        source: part.source,
        paymentId: payment.id,
        providerRefundId: refund.id,
        orderId,
        sellerOrderId: part.sellerOrderId,
        amount: refund.amount,
        currency: payment.currency,
      })
      .onConflictDoNothing();
  });
  await deps.applyPaymentState(await gateway.retrievePayment(payment.paymentIntentId), part.actor);
  return refund.amount;
}
