import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments } from '../../shared/db/schema';
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
  const refund = await deps.paymentGateway.refundPayment(
    { paymentId: payment.id, amount: remaining, reason: options.reason ?? 'requested_by_customer', metadata: options.metadata },
    options.idempotencyKey,
  );
  return refund.amount;
}
