/**
 * Refunds: of a Charge or a PaymentIntent's successful Charge, in full or in part.
 */
import type Stripe from 'stripe';
import { paramError, resourceMissing, stateError } from '../errors';
import { ParamReader, applyMetadata, type FormObject } from '../form';
import { newId, nowSeconds, randomToken } from '../ids';
import { formatAmount } from '../money';
import { REFUND_REASONS } from './payment-intent-params';
import { checkExpand, render } from './render';
import type { LedgerState } from './state';
import type { OperationContext, OperationResult } from './types';

export function refundCharge(
  state: LedgerState,
  ctx: OperationContext,
  charge: Stripe.Charge,
  amount: number,
  reason: Stripe.Refund.Reason | null,
  metadata: Record<string, string>,
): Stripe.Refund {
  const refund: Stripe.Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: newId('txn'),
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference: randomToken(12), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata,
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  state.refunds.set(refund.id, refund);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  state.events.emit(ctx, 'charge.refunded', charge, previous.refunded === charge.refunded ? { amount_refunded: previous.amount_refunded } : previous);
  state.events.emit(ctx, 'refund.created', refund);
  return refund;
}

export function createRefund(state: LedgerState, form: FormObject, ctx: OperationContext): OperationResult {
  const params = new ParamReader(
    form,
    ['amount', 'charge', 'payment_intent', 'reason', 'metadata'],
    ['currency', 'customer', 'instructions_email', 'origin', 'refund_application_fee', 'reverse_transfer'],
  );
  const amountParam = params.integer('amount', { min: 1 });
  const chargeId = params.string('charge') || undefined;
  const paymentIntentId = params.string('payment_intent') || undefined;
  const reason = params.enumeration('reason', REFUND_REASONS) ?? null;
  const metadata = applyMetadata({}, params.metadata());
  const expand = params.expand();
  checkExpand('refund', expand);
  if (!chargeId && !paymentIntentId) {
    throw paramError('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', param: 'payment_intent' });
  }
  let charge: Stripe.Charge | undefined;
  if (paymentIntentId) {
    const pi = state.paymentIntents.get(paymentIntentId);
    if (!pi) throw resourceMissing('payment_intent', paymentIntentId, 'payment_intent', 400);
    charge = typeof pi.latest_charge === 'string' ? state.charges.get(pi.latest_charge) : undefined;
    if (!charge || charge.status !== 'succeeded') {
      throw stateError(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    }
    if (chargeId && chargeId !== charge.id) {
      throw paramError(`The charge ${chargeId} does not belong to the PaymentIntent ${pi.id}.`, { param: 'charge' });
    }
  } else if (chargeId) {
    charge = state.charges.get(chargeId);
    if (!charge) throw resourceMissing('charge', chargeId, 'charge', 400);
    if (charge.status !== 'succeeded') {
      throw stateError(`This PaymentIntent (${String(charge.payment_intent)}) does not have a successful charge to refund.`, { param: 'charge' });
    }
  }
  if (!charge) throw new Error('unreachable: refund without a charge');
  if (!charge.captured) {
    throw stateError(
      `Charge ${charge.id} has not been captured. The local Stripe stand-in does not refund uncaptured charges: cancel the PaymentIntent to release the authorization.`,
      { param: 'charge' },
    );
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw stateError(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = amountParam ?? remaining;
  if (amount > remaining) {
    throw stateError(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const refund = refundCharge(state, ctx, charge, amount, reason, metadata);
  return render(state, refund, expand);
}

export function retrieveRefund(state: LedgerState, id: string, form: FormObject): OperationResult {
  const params = new ParamReader(form, []);
  const refund = state.refunds.get(id);
  if (!refund) throw resourceMissing('refund', id, 'id', 404);
  return render(state, refund, params.expand());
}
