/**
 * PaymentIntent parameters: the enumerations Stripe accepts, the parameters the
 * stand-in does not model, and the readers shared by create, update and confirm.
 */
import type Stripe from 'stripe';
import { paramError } from '../errors';
import type { ParamReader } from '../form';
import type { PaymentIntentStatus } from './types';

export const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
export const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
export const MUTABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
export const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** Real PaymentIntent parameters this stand-in does not implement (answered with a pointer to this file). */
export const PI_NOT_MODELLED = [
  'application_fee_amount', 'confirmation_token', 'customer', 'customer_account', 'error_on_requires_action', 'excluded_payment_method_types',
  'hooks', 'mandate', 'mandate_data', 'off_session', 'on_behalf_of', 'payment_details', 'payment_method_configuration', 'payment_method_data',
  'payment_method_options', 'radar_options', 'setup_future_usage', 'shipping', 'statement_descriptor', 'transfer_data', 'use_stripe_sdk',
  'amount_details', 'client_secret',
];

/**
 * Whether confirming may send the customer to a redirect-based payment method, in
 * which case Stripe insists on a return_url: automatic payment methods with
 * redirects allowed, unless allowed_payment_method_types narrows them to cards.
 */
export function mayRedirect(pi: Pick<Stripe.PaymentIntent, 'automatic_payment_methods' | 'allowed_payment_method_types'>): boolean {
  const apm = pi.automatic_payment_methods;
  if (!apm?.enabled || apm.allow_redirects === 'never') return false;
  const allowed = pi.allowed_payment_method_types;
  return !allowed || allowed.some((type) => type !== 'card');
}

/**
 * `allowed_payment_method_types` (the current API; the installed SDK only offers
 * this one) or the legacy `payment_method_types`: the stand-in only processes
 * cards, so `card` must be among them.
 */
export function readPaymentMethodTypes(params: ParamReader, name: 'allowed_payment_method_types' | 'payment_method_types'): string[] | undefined {
  const types = params.stringArray(name);
  if (types === undefined) return undefined;
  if (types.length === 0) throw paramError('Invalid array', { param: name });
  if (!types.includes('card')) {
    throw paramError(
      `The local Stripe stand-in only models card payments, so ${name} must include "card" (got ${types.join(', ')}). Use Stripe test mode for other payment method types.`,
      { code: 'payment_intent_invalid_parameter', param: name },
    );
  }
  if (name === 'payment_method_types' && types.some((type) => type !== 'card')) {
    throw paramError(`The local Stripe stand-in only models card payments; payment_method_types may only contain "card" (got ${types.join(', ')}).`, {
      code: 'payment_intent_invalid_parameter',
      param: name,
    });
  }
  return types;
}

/** Stripe rejects a return_url that is not an absolute URL. */
export function readReturnUrl(params: ParamReader): string | undefined {
  const value = params.string('return_url', { maxLength: 2048 }) || undefined;
  if (value !== undefined && !URL.canParse(value)) throw paramError('Not a valid URL', { code: 'url_invalid', param: 'return_url' });
  return value;
}
