/**
 * Everything the stand-in's test-mode account holds. The ledger's operations
 * (one module per kind of object) all read and change this one state.
 */
import type Stripe from 'stripe';
import { EventLog } from './events';
import type { StoredPaymentMethod } from './types';

export class LedgerState {
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly paymentMethods = new Map<string, StoredPaymentMethod>();
  /** The return_url of each PaymentIntent's latest confirmation (used after 3-D Secure). */
  readonly returnUrls = new Map<string, string>();
  readonly events: EventLog;

  constructor(apiVersion: string) {
    this.events = new EventLog(apiVersion);
  }
}
