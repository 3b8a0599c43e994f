import type { Deps } from '../../shared/context';
import type { PaymentState } from '../../shared/payments';
import { recordPaymentState, refundRemainder } from '../payments/public';
import { domainEvent } from '../../shared/outbox';
import { loadOrderRow, releaseReservations, secureAndCommit, transition } from './lifecycle';
import { applyRefunds } from './refund-allocation';
import { CANCELLABLE, sellerOrderPayload, sellerOrdersOf } from './seller-orders';
import { cancelPaidSellerOrder } from './cancel';
import { providerOfPaymentId } from '../../shared/payments';

/**
 * The one way a payment provider's news reaches an order (DESIGN §7): brings
 * the order and its payment in line with the payment's current state. Every
 * step is guarded by the order's status or idempotent, so running it for any
 * event, any number of times, in any order, ends in the same place:
 * - succeeded: stock secured and committed, the order paid — also after the
 *   order expired, when the units are still there; otherwise refunded in full.
 *   Refunds then set refunded / partially_refunded.
 * - canceled: an unpaid order is cancelled and its stock released.
 * Its seller orders move with it (paid, cancelled, refunded), and refunds
 * are booked to them (refund-allocation.ts) before the order's status is
 * derived from them (seller-orders.ts).
 * - a failed attempt is recorded on the payment; the order stays payable.
 * The payments domain reaches it through `Deps.applyPaymentState`.
 */
export async function applyPaymentState(deps: Deps, payment: PaymentState, actor: string): Promise<void> {
  const orderId = payment.orderId;
  if (!orderId) return;
  const loaded = await loadOrderRow(deps, orderId);
  if (!loaded) return;
  const { order, items } = loaded;
  const refunded = payment.amountRefunded;

  await recordPaymentState(deps, payment);

  if (payment.status === 'canceled') {
    // A cash order's seller orders may be in preparation (processing) while it is unpaid: they are cancelled with it.
    const from = order.paymentProvider === 'cash' ? (['pending_payment', 'processing'] as const) : (['pending_payment'] as const);
    const cascade = { from: [...from], to: 'cancelled' as const, set: { cancelled_at: true as const, cancel_reason: 'payment_cancelled' } };
    if (await transition(deps, order, ['pending_payment'], 'cancelled', actor, { note: 'payment cancelled', set: { cancelled_at: true, cancel_reason: 'payment_cancelled' }, cascade })) {
      await releaseReservations(deps, items);
    }
    return;
  }
  if (payment.status !== 'succeeded') return;

  const awaitingStock = order.status === 'pending_payment' || (order.status === 'cancelled' && order.cancelReason === 'expired');
  if (awaitingStock) {
    const secured = await secureAndCommit(deps, orderId, items);
    // Seller orders still unpaid, or cancelled with their order when it expired, move with the order.
    const waiting = (await sellerOrdersOf(deps.db, orderId)).filter((so) => so.status === 'pending_payment' || (so.status === 'cancelled' && so.cancelReason === 'expired'));
    if (secured.ok) {
      const note = secured.late || order.status === 'cancelled' ? 'paid after the reservation expired; the stock was still available' : undefined;
      await transition(deps, order, ['pending_payment', 'cancelled'], 'paid', actor, {
        note,
        set: { paid_at: true, cancel_reason: null, cancelled_at: null },
        cascade: {
          from: ['pending_payment', 'cancelled'],
          to: 'paid',
          set: { paid_at: true, cancelled_at: null, cancel_reason: null },
          events: waiting.map((so) => domainEvent({ type: 'seller_order.paid', payload: sellerOrderPayload(so) })),
        },
      });
    } else {
      await refundInFull(deps, payment, orderId, 'out_of_stock_after_expiry');
      await transition(deps, order, ['pending_payment', 'cancelled'], 'refunded', actor, {
        note: 'paid after the reservation expired and the stock was gone: refunded automatically',
        set: { refunded_amount: payment.amountReceived, cancelled_at: true, cancel_reason: 'refunded_out_of_stock' },
        cascade: { from: ['pending_payment', 'cancelled'], to: 'refunded', set: { cancelled_at: true, cancel_reason: 'refunded_out_of_stock', refunded_to_total: true } },
      });
      return;
    }
  } else if (order.status === 'cancelled' && !order.paidAt) {
    // Cancelled by the customer or the payment flow, then paid anyway: give the money back.
    await refundInFull(deps, payment, orderId, 'order_cancelled');
    return;
  }

  // Every time money has gone back (not only when the total grew): a refund booked by a racing call is synced here too.
  if (refunded > 0) await applyRefunds(deps, orderId, refunded, actor);
  await cancelRefundedAtProvider(deps, payment, orderId, actor);
  await postLedgerOf(deps, orderId);
}

/**
 * Payme refunds from its merchant cabinet by cancelling the performed
 * transaction (state -2, docs/payments-payme.md): all the money went back
 * without our API asking. What has not shipped is then cancelled and its
 * units put back on the shelf, as a buyer's cancel of a paid order does
 * (nothing more is refunded: the payment holds nothing any more).
 */
async function cancelRefundedAtProvider(deps: Deps, payment: PaymentState, orderId: string, actor: string): Promise<void> {
  if (providerOfPaymentId(payment.id) !== 'payme' || payment.amountReceived <= 0 || payment.amountRefunded < payment.amountReceived) return;
  const open = (await sellerOrdersOf(deps.db, orderId)).filter((so) => (CANCELLABLE as readonly string[]).includes(so.status));
  const system = { userId: actor, role: 'admin' as const, jti: '', sessionId: '', exp: 0 };
  for (const so of open) await cancelPaidSellerOrder(deps, system, so);
}

/**
 * The paid order's sales and its refunds booked in the sellers' ledger. A
 * failure here must not fail the payment: the ledger's cron catch-up books
 * whatever was missed.
 */
async function postLedgerOf(deps: Deps, orderId: string): Promise<void> {
  try {
    await deps.postLedger(orderId);
  } catch (err) {
    deps.logger.error('ledger not posted after a payment change; the cron catch-up will', { orderId, error: String(err) });
  }
}

/** A payment the order cannot keep: what is left of it goes back, once (keyed by the order). */
const refundInFull = (deps: Deps, payment: PaymentState, orderId: string, reason: string) =>
  refundRemainder(deps, payment, { idempotencyKey: `auto-refund:${orderId}`, metadata: { order_id: orderId, reason } });
