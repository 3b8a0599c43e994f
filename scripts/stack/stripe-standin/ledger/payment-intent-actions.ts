/**
 * What moves a PaymentIntent along after creation: confirm, capture, cancel.
 */
import type Stripe from 'stripe';
import { stateError } from '../errors';
import { ParamReader, applyMetadata, type FormObject } from '../form';
import { newId, nowSeconds } from '../ids';
import { attemptPayment, findPaymentIntent, prepareConfirmation } from './confirmation';
import { CANCELABLE, CANCELLATION_REASONS, CAPTURE_METHODS, PI_NOT_MODELLED, readPaymentMethodTypes, readReturnUrl } from './payment-intent-params';
import { refundCharge } from './refunds';
import { checkExpand, render } from './render';
import type { LedgerState } from './state';
import { type OperationContext, type OperationResult, listOf } from './types';

export function confirmPaymentIntent(state: LedgerState, id: string, form: FormObject, ctx: OperationContext): OperationResult {
  const params = new ParamReader(
    form,
    ['allowed_payment_method_types', 'payment_method', 'return_url', 'receipt_email', 'capture_method'],
    [...PI_NOT_MODELLED, 'amount_to_confirm', 'payment_method_types'],
  );
  const pi = findPaymentIntent(state, id);
  const allowedTypes = readPaymentMethodTypes(params, 'allowed_payment_method_types');
  const paymentMethodId = params.string('payment_method') || undefined;
  const returnUrl = readReturnUrl(params);
  const receiptEmail = params.string('receipt_email');
  const captureMethod = params.enumeration('capture_method', CAPTURE_METHODS);
  const expand = params.expand();
  checkExpand('payment_intent', expand);
  const prepared = prepareConfirmation(state, 
    { ...pi, allowed_payment_method_types: allowedTypes ?? pi.allowed_payment_method_types },
    paymentMethodId,
    returnUrl,
  );

  if (allowedTypes !== undefined) pi.allowed_payment_method_types = allowedTypes;
  if (receiptEmail !== undefined) pi.receipt_email = receiptEmail || null;
  if (captureMethod !== undefined) pi.capture_method = captureMethod;
  const declined = attemptPayment(state, ctx, pi, prepared.paymentMethod, returnUrl);
  return declined ?? render(state, pi, expand);
}

export function capturePaymentIntent(state: LedgerState, id: string, form: FormObject, ctx: OperationContext): OperationResult {
  const params = new ParamReader(
    form,
    ['amount_to_capture', 'metadata'],
    ['application_fee_amount', 'final_capture', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'hooks', 'payment_details', 'amount_details'],
  );
  const pi = findPaymentIntent(state, id);
  const amountToCapture = params.integer('amount_to_capture', { min: 1 });
  const metadata = params.metadata();
  const expand = params.expand();
  checkExpand('payment_intent', expand);
  if (pi.status !== 'requires_capture') {
    throw stateError(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const amount = amountToCapture ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw stateError(`The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${pi.amount_capturable}).`, {
      code: 'amount_too_large',
      param: 'amount_to_capture',
    });
  }
  const charge = state.charges.get(pi.latest_charge as string) as Stripe.Charge;
  pi.metadata = applyMetadata(pi.metadata, metadata);
  charge.captured = true;
  charge.amount_captured = amount;
  // Like Stripe, the uncaptured rest of the authorisation is released, which the Charge shows as refunded.
  charge.amount_refunded = charge.amount - amount;
  charge.balance_transaction = newId('txn');
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  pi.status = 'succeeded';
  state.events.emit(ctx, 'charge.captured', charge, { amount_captured: 0, captured: false });
  state.events.emit(ctx, 'payment_intent.succeeded', pi);
  return render(state, pi, expand);
}

export function cancelPaymentIntent(state: LedgerState, id: string, form: FormObject, ctx: OperationContext): OperationResult {
  const params = new ParamReader(form, ['cancellation_reason']);
  const pi = findPaymentIntent(state, id);
  const reason = params.enumeration('cancellation_reason', CANCELLATION_REASONS);
  const expand = params.expand();
  checkExpand('payment_intent', expand);
  if (!CANCELABLE.includes(pi.status)) {
    throw stateError(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ` +
        `${listOf(CANCELABLE)}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  if (pi.status === 'requires_capture') {
    // "For PaymentIntents with a status of requires_capture, the remaining amount_capturable is automatically refunded."
    const charge = state.charges.get(pi.latest_charge as string) as Stripe.Charge;
    refundCharge(state, ctx, charge, charge.amount - charge.amount_refunded, null, {});
  }
  pi.status = 'canceled';
  pi.canceled_at = nowSeconds();
  pi.cancellation_reason = reason ?? null;
  pi.amount_capturable = 0;
  pi.next_action = null;
  state.events.emit(ctx, 'payment_intent.canceled', pi);
  return render(state, pi, expand);
}
