/**
 * PaymentMethods: Stripe's test cards (`pm_card_visa`…) turned into one-use `pm_…` objects.
 */
import type Stripe from 'stripe';
import { resourceMissing, paramError } from '../errors';
import { newId, nowSeconds, randomToken } from '../ids';
import { TEST_PAYMENT_METHODS, type TestCard } from '../cards';
import type { LedgerState } from './state';
import { type OperationResult, type StoredPaymentMethod, clone } from './types';

/** Looks a PaymentMethod up without creating anything (validation phase). */
export function findPaymentMethod(state: LedgerState, id: string, paymentIntentId: string | null): { template: TestCard } | { stored: StoredPaymentMethod } {
  const template = TEST_PAYMENT_METHODS[id];
  if (template) return { template };
  const stored = state.paymentMethods.get(id);
  if (!stored) throw resourceMissing('PaymentMethod', id, 'payment_method', 400);
  if (stored.usedBy !== null && stored.usedBy !== paymentIntentId) {
    throw paramError(
      'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without ' +
        'Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
      { param: 'payment_method' },
    );
  }
  return { stored };
}


/** Stripe turns `pm_card_visa` into a fresh `pm_…` the first time it is used. */
export function materialize(state: LedgerState, found: { template: TestCard } | { stored: StoredPaymentMethod }, paymentIntentId: string): StoredPaymentMethod {
  if ('stored' in found) {
    found.stored.usedBy = paymentIntentId;
    return found.stored;
  }
  const card = found.template;
  const year = new Date().getUTCFullYear() + 1;
  const object: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: card.country,
      display_brand: card.brand === 'amex' ? 'american_express' : card.brand,
      exp_month: 12,
      exp_year: year,
      fingerprint: randomToken(16),
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  const stored: StoredPaymentMethod = { object, card, usedBy: paymentIntentId };
  state.paymentMethods.set(object.id, stored);
  return stored;
}

export function retrievePaymentMethod(state: LedgerState, id: string): OperationResult {
  const stored = state.paymentMethods.get(id);
  if (!stored) throw resourceMissing('PaymentMethod', id, 'payment_method', 404);
  return { status: 200, body: clone(stored.object) };
}
