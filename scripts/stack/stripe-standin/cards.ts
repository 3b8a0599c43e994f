/**
 * Stripe's test PaymentMethods (https://docs.stripe.com/testing): the `pm_card_*`
 * IDs work in every Stripe test-mode account, so API code and tests that use them
 * behave the same here and against real Stripe.
 */

export type CardOutcome =
  | { kind: 'succeed' }
  | { kind: 'authenticate' }
  | { kind: 'decline'; code: string; declineCode: string; message: string; param?: string };

export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex';
  last4: string;
  funding: 'credit' | 'debit';
  country: string;
  outcome: CardOutcome;
}

const SUCCEED: CardOutcome = { kind: 'succeed' };
const AUTHENTICATE: CardOutcome = { kind: 'authenticate' };

export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit', country: 'US', outcome: SUCCEED },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit', country: 'US', outcome: SUCCEED },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit', country: 'US', outcome: SUCCEED },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit', country: 'US', outcome: SUCCEED },
  pm_card_chargeDeclined: {
    brand: 'visa', last4: '0002', funding: 'credit', country: 'US',
    outcome: { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa', last4: '9995', funding: 'credit', country: 'US',
    outcome: { kind: 'decline', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa', last4: '0069', funding: 'credit', country: 'US',
    outcome: { kind: 'decline', code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.', param: 'exp_month' },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa', last4: '0127', funding: 'credit', country: 'US',
    outcome: { kind: 'decline', code: 'incorrect_cvc', declineCode: 'incorrect_cvc', message: "Your card's security code is incorrect.", param: 'cvc' },
  },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', funding: 'credit', country: 'US', outcome: AUTHENTICATE },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', funding: 'credit', country: 'US', outcome: AUTHENTICATE },
};

/** What the bank says about a declined charge, for `charge.outcome`. */
export function sellerMessage(outcome: CardOutcome): string {
  if (outcome.kind !== 'decline') return 'Payment complete.';
  return outcome.declineCode === 'generic_decline'
    ? 'The bank did not return any further details with this decline.'
    : `The bank returned the decline code \`${outcome.declineCode}\`.`;
}
