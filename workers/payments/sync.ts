import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments } from '../../shared/db/schema';
import { asStripeOutage, createStripe, type PaymentIntent } from '../../shared/payments/stripe';
import { loadOrderRow, releaseReservations, secureAndCommit, transition } from '../orders/lifecycle';

/** The charge's refunded total, when the intent was fetched with its latest charge. */
function refundedOf(intent: PaymentIntent): number {
  const charge = intent.latest_charge;
  return charge && typeof charge === 'object' ? charge.amount_refunded : 0;
}

/** The intent as Stripe has it now, with its charge: events may arrive late, twice or out of order. */
export async function fetchIntent(deps: Deps, paymentIntentId: string): Promise<PaymentIntent> {
  return createStripe(deps.config)
    .paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] })
    .catch(asStripeOutage);
}

/**
 * Brings an order and its payment in line with the PaymentIntent's current
 * state. Every step is guarded by the order's status or idempotent, so
 * running it for any event, any number of times, in any order, ends in the
 * same place:
 * - succeeded: stock secured and committed, the order paid — also after the
 *   order expired, when the units are still there; otherwise refunded in full.
 *   Refunds on the charge then set refunded / partially_refunded.
 * - canceled: an unpaid order is cancelled and its stock released.
 * - a failed attempt is recorded on the payment; the order stays payable.
 */
export async function syncOrderWithIntent(deps: Deps, intent: PaymentIntent, actor: string): Promise<void> {
  const orderId = intent.metadata?.order_id;
  if (!orderId) return;
  const loaded = await loadOrderRow(deps, orderId);
  if (!loaded) return;
  const { order, items } = loaded;
  const refunded = refundedOf(intent);

  await deps.db
    .update(payments)
    .set({
      status: intent.status,
      amountReceived: intent.amount_received,
      amountRefunded: sql`greatest(${payments.amountRefunded}, ${refunded})`,
      lastError: intent.last_payment_error?.message ?? null,
      updatedAt: sql`now()`,
    })
    .where(eq(payments.paymentIntentId, intent.id));

  if (intent.status === 'canceled') {
    if (await transition(deps, orderId, ['pending_payment'], 'cancelled', actor, { note: 'payment cancelled', set: { cancelled_at: true, cancel_reason: 'payment_cancelled' } })) {
      await releaseReservations(deps, items);
    }
    return;
  }
  if (intent.status !== 'succeeded') return;

  const awaitingStock = order.status === 'pending_payment' || (order.status === 'cancelled' && order.cancelReason === 'expired');
  if (awaitingStock) {
    const secured = await secureAndCommit(deps, orderId, items);
    if (secured.ok) {
      const note = secured.late || order.status === 'cancelled' ? 'paid after the reservation expired; the stock was still available' : undefined;
      await transition(deps, orderId, ['pending_payment', 'cancelled'], 'paid', actor, {
        note,
        set: { paid_at: true, cancel_reason: null, cancelled_at: null },
      });
    } else {
      await refundInFull(deps, intent, orderId, 'out_of_stock_after_expiry');
      await transition(deps, orderId, ['pending_payment', 'cancelled'], 'refunded', actor, {
        note: 'paid after the reservation expired and the stock was gone: refunded automatically',
        set: { refunded_amount: intent.amount_received, cancelled_at: true, cancel_reason: 'refunded_out_of_stock' },
      });
      return;
    }
  } else if (order.status === 'cancelled') {
    // Cancelled by the customer or the payment flow, then paid anyway: give the money back.
    await refundInFull(deps, intent, orderId, 'order_cancelled');
    return;
  }

  if (refunded > order.refundedAmount) {
    const full = refunded >= intent.amount_received;
    await transition(deps, orderId, ['paid', 'processing', 'shipped', 'delivered', 'partially_refunded'], full ? 'refunded' : 'partially_refunded', actor, {
      note: `refunded ${refunded} of ${intent.amount_received}`,
      set: { refunded_amount: refunded },
    });
  }
}

async function refundInFull(deps: Deps, intent: PaymentIntent, orderId: string, reason: string): Promise<void> {
  const remaining = intent.amount_received - refundedOf(intent);
  if (remaining <= 0) return;
  await createStripe(deps.config)
    .refunds.create(
      { payment_intent: intent.id, amount: remaining, reason: 'requested_by_customer', metadata: { order_id: orderId, reason } },
      { idempotencyKey: `auto-refund:${orderId}` },
    )
    .catch(asStripeOutage);
}
