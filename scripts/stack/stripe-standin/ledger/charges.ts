/**
 * Charges: the record of one payment attempt on a card, and their retrieval.
 */
import type Stripe from 'stripe';
import { sellerMessage, type CardOutcome } from '../cards';
import { resourceMissing } from '../errors';
import { ParamReader, type FormObject } from '../form';
import { newId, nowSeconds, randomToken } from '../ids';
import { render } from './render';
import type { LedgerState } from './state';
import { type OperationResult, type StoredPaymentMethod, clone } from './types';

export function createCharge(state: LedgerState, pi: Stripe.PaymentIntent, pm: StoredPaymentMethod, outcome: CardOutcome): Stripe.Charge {
  const succeeded = outcome.kind !== 'decline';
  const captured = succeeded && pi.capture_method !== 'manual';
  const card = pm.object.card;
  const charge: Stripe.Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? newId('txn') : null,
    billing_details: pm.object.billing_details,
    calculated_statement_descriptor: 'STRIPE STANDIN',
    captured,
    created: nowSeconds(),
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: outcome.kind === 'decline' ? outcome.code : null,
    failure_message: outcome.kind === 'decline' ? outcome.message : null,
    fraud_details: {},
    livemode: false,
    metadata: clone(pi.metadata),
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: succeeded ? 'approved_by_network' : 'declined_by_network',
      reason: outcome.kind === 'decline' ? outcome.declineCode : null,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: sellerMessage(outcome),
      type: succeeded ? 'authorized' : 'issuer_declined',
    },
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: pm.object.id,
    payment_method_details: {
      card: {
        amount_authorized: succeeded ? pi.amount : null,
        authorization_code: succeeded ? randomToken(6).toUpperCase() : null,
        brand: card?.brand ?? null,
        checks: card?.checks ?? null,
        country: card?.country ?? null,
        electronic_commerce_indicator: null,
        exp_month: card?.exp_month ?? 12,
        exp_year: card?.exp_year ?? 2030,
        fingerprint: card?.fingerprint ?? null,
        funding: card?.funding ?? null,
        installments: null,
        last4: card?.last4 ?? null,
        mandate: null,
        network: card?.brand ?? null,
        network_transaction_id: succeeded ? randomToken(15) : null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: pi.transfer_group,
  };
  state.charges.set(charge.id, charge);
  return charge;
}

export function retrieveCharge(state: LedgerState, id: string, form: FormObject): OperationResult {
  const params = new ParamReader(form, []);
  const charge = state.charges.get(id);
  if (!charge) throw resourceMissing('charge', id, 'id', 404);
  return render(state, charge, params.expand());
}
