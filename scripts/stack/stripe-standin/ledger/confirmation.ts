/**
 * Confirming a PaymentIntent: checks before anything changes, the payment
 * attempt (3-D Secure or the card network's answer), and the customer's answer
 * on the 3-D Secure page.
 */
import type Stripe from 'stripe';
import type { TestCard } from '../cards';
import { docUrl, paramError, resourceMissing, stateError, type StripeErrorPayload } from '../errors';
import { newId } from '../ids';
import { createCharge } from './charges';
import { CONFIRMABLE, mayRedirect } from './payment-intent-params';
import { findPaymentMethod, materialize } from './payment-methods';
import type { LedgerState } from './state';
import { type OperationContext, type OperationResult, type PaymentIntentStatus, type StoredPaymentMethod, clone, listOf } from './types';

export function findPaymentIntent(state: LedgerState, id: string): Stripe.PaymentIntent {
  const pi = state.paymentIntents.get(id);
  if (!pi) throw resourceMissing('payment_intent', id, 'intent', 404);
  return pi;
}

/** Validation shared by create(confirm=true) and /confirm: nothing is changed here. */
export function prepareConfirmation(
  state: LedgerState,
  pi: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'payment_method' | 'automatic_payment_methods' | 'allowed_payment_method_types'>,
  paymentMethodId: string | undefined,
  returnUrl: string | undefined,
): { paymentMethod: { template: TestCard } | { stored: StoredPaymentMethod } } {
  if (pi.status === 'succeeded') {
    throw stateError('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.', {
      code: 'payment_intent_unexpected_state',
    });
  }
  if (!CONFIRMABLE.includes(pi.status)) {
    throw stateError(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ` +
        `${listOf(['requires_confirmation', 'requires_payment_method', 'requires_action'])}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const methodId = paymentMethodId || (typeof pi.payment_method === 'string' ? pi.payment_method : undefined);
  if (!methodId) {
    throw stateError(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method " +
        'and then confirm it again, or confirm it again directly with a payment method.',
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const paymentMethod = findPaymentMethod(state, methodId, pi.id || null);
  if (mayRedirect(pi) && !returnUrl) {
    throw paramError(
      'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your ' +
        "customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set " +
        '`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
    );
  }
  return { paymentMethod };
}

/** Runs a payment attempt on a prepared PaymentIntent; returns the 402 body on a decline. */
export function attemptPayment(
  state: LedgerState,
  ctx: OperationContext,
  pi: Stripe.PaymentIntent,
  found: { template: TestCard } | { stored: StoredPaymentMethod },
  returnUrl: string | undefined,
): OperationResult | null {
  const pm = materialize(state, found, pi.id);
  pi.payment_method = pm.object.id;
  if (returnUrl) state.returnUrls.set(pi.id, returnUrl);
  if (pm.card.outcome.kind === 'authenticate') {
    pi.status = 'requires_action';
    pi.last_payment_error = null;
    pi.next_action = returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url: `${ctx.baseUrl}/standin/authenticate/${pi.id}` } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${ctx.baseUrl}/standin/authenticate/${pi.id}`, source: newId('src') } as Stripe.PaymentIntent.NextAction.UseStripeSdk };
    state.events.emit(ctx, 'payment_intent.requires_action', pi);
    return null;
  }
  return runCharge(state, ctx, pi, pm);
}

/** The card network's answer: a charge either way, then the PaymentIntent moves on. */
export function runCharge(state: LedgerState, ctx: OperationContext, pi: Stripe.PaymentIntent, pm: StoredPaymentMethod): OperationResult | null {
  const outcome = pm.card.outcome;
  const charge = createCharge(state, pi, pm, outcome);
  pi.latest_charge = charge.id;
  pi.next_action = null;
  if (outcome.kind === 'decline') {
    const error: Stripe.PaymentIntent.LastPaymentError = {
      charge: charge.id,
      code: outcome.code as Stripe.PaymentIntent.LastPaymentError.Code,
      decline_code: outcome.declineCode,
      doc_url: docUrl(outcome.code),
      message: outcome.message,
      ...(outcome.param ? { param: outcome.param } : {}),
      payment_method: clone(pm.object),
      type: 'card_error',
    };
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.last_payment_error = error;
    state.events.emit(ctx, 'charge.failed', charge);
    state.events.emit(ctx, 'payment_intent.payment_failed', pi);
    const payload: StripeErrorPayload = { ...error, type: 'card_error', message: outcome.message, payment_intent: clone(pi) };
    return { status: 402, body: { error: payload } };
  }
  pi.last_payment_error = null;
  if (pi.capture_method === 'manual') {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    state.events.emit(ctx, 'charge.succeeded', charge);
    state.events.emit(ctx, 'payment_intent.amount_capturable_updated', pi);
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    state.events.emit(ctx, 'charge.succeeded', charge);
    state.events.emit(ctx, 'payment_intent.succeeded', pi);
  }
  return null;
}

/**
 * What the customer does on the 3-D Secure page (or Stripe.js does for them):
 * succeed -> the payment goes ahead; fail -> back to requires_payment_method.
 */
export function completeAuthentication(state: LedgerState, id: string, outcome: 'succeed' | 'fail', ctx: OperationContext): Stripe.PaymentIntent {
  const pi = state.paymentIntents.get(id);
  if (!pi) throw new Error(`stripe-standin: no PaymentIntent ${id}`);
  if (pi.status !== 'requires_action' || typeof pi.payment_method !== 'string') {
    throw new Error(`stripe-standin: PaymentIntent ${id} has status ${pi.status}; only requires_action can be authenticated`);
  }
  const pm = state.paymentMethods.get(pi.payment_method) as StoredPaymentMethod;
  if (outcome === 'fail') {
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    pi.last_payment_error = {
      code: 'payment_intent_authentication_failure',
      doc_url: docUrl('payment_intent_authentication_failure'),
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: clone(pm.object),
      type: 'invalid_request_error',
    };
    pi.payment_method = null;
    state.events.emit(ctx, 'payment_intent.payment_failed', pi);
    return clone(pi);
  }
  // Authenticated: the issuer approves the charge.
  runCharge(state, ctx, pi, { ...pm, card: { ...pm.card, outcome: { kind: 'succeed' } } });
  return clone(pi);
}

export function returnUrlFor(state: LedgerState, id: string): { returnUrl: string | undefined; clientSecret: string | null; status: PaymentIntentStatus } | undefined {
  const pi = state.paymentIntents.get(id);
  return pi ? { returnUrl: state.returnUrls.get(id), clientSecret: pi.client_secret, status: pi.status } : undefined;
}
