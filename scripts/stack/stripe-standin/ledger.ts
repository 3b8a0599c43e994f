/**
 * The stand-in's test-mode "account": PaymentIntents, Charges, Refunds, the
 * PaymentMethods made from Stripe's test cards, and the Events all of this
 * produces. Handlers validate everything before they change anything, so a
 * request that fails validation leaves no trace (and emits no event).
 *
 * Objects are typed with the `stripe` package's own resource types, so the
 * compiler checks that their shape matches what the SDK (and our API code)
 * expects from real Stripe.
 */
import type Stripe from 'stripe';
import type { FormObject } from './form';
import { retrieveCharge } from './ledger/charges';
import { completeAuthentication, returnUrlFor } from './ledger/confirmation';
import { cancelPaymentIntent, capturePaymentIntent, confirmPaymentIntent } from './ledger/payment-intent-actions';
import { createPaymentIntent, retrievePaymentIntent, updatePaymentIntent } from './ledger/payment-intents';
import { retrievePaymentMethod } from './ledger/payment-methods';
import { createRefund, retrieveRefund } from './ledger/refunds';
import { LedgerState } from './ledger/state';
import type { OperationContext, OperationResult, PaymentIntentStatus, StripeEvent } from './ledger/types';

export type { OperationContext, OperationResult, StripeEvent, StripeEventType, StripeObject } from './ledger/types';

/** The account's public face: one method per Stripe API operation the server routes, plus what the server needs for 3-D Secure and webhooks. */
export class Ledger {
  private readonly state: LedgerState;

  constructor(apiVersion: string) {
    this.state = new LedgerState(apiVersion);
  }

  allEvents(): StripeEvent[] {
    return this.state.events.all();
  }

  event(id: string): StripeEvent | undefined {
    return this.state.events.get(id);
  }

  retrieveEvent(id: string): OperationResult {
    return this.state.events.retrieve(id);
  }

  retrievePaymentMethod(id: string): OperationResult {
    return retrievePaymentMethod(this.state, id);
  }

  retrieveCharge(id: string, form: FormObject): OperationResult {
    return retrieveCharge(this.state, id, form);
  }

  createPaymentIntent(form: FormObject, ctx: OperationContext): OperationResult {
    return createPaymentIntent(this.state, form, ctx);
  }

  retrievePaymentIntent(id: string, form: FormObject): OperationResult {
    return retrievePaymentIntent(this.state, id, form);
  }

  updatePaymentIntent(id: string, form: FormObject): OperationResult {
    return updatePaymentIntent(this.state, id, form);
  }

  confirmPaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    return confirmPaymentIntent(this.state, id, form, ctx);
  }

  capturePaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    return capturePaymentIntent(this.state, id, form, ctx);
  }

  cancelPaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    return cancelPaymentIntent(this.state, id, form, ctx);
  }

  /**
   * What the customer does on the 3-D Secure page (or Stripe.js does for them):
   * succeed -> the payment goes ahead; fail -> back to requires_payment_method.
   */
  completeAuthentication(id: string, outcome: 'succeed' | 'fail', ctx: OperationContext): Stripe.PaymentIntent {
    return completeAuthentication(this.state, id, outcome, ctx);
  }

  returnUrlFor(id: string): { returnUrl: string | undefined; clientSecret: string | null; status: PaymentIntentStatus } | undefined {
    return returnUrlFor(this.state, id);
  }

  createRefund(form: FormObject, ctx: OperationContext): OperationResult {
    return createRefund(this.state, form, ctx);
  }

  retrieveRefund(id: string, form: FormObject): OperationResult {
    return retrieveRefund(this.state, id, form);
  }
}
