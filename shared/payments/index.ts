import type { Config } from '../env';
import type { PaymentGateway } from './gateway';
import { stripeGateway } from './stripe-gateway';

export * from './gateway';

/**
 * Whether this configuration can reach a payment provider (jobs that need one skip quietly
 * otherwise): Stripe with its key, or any provider whose payments live in our own tables.
 */
export const paymentsConfigured = (config: Config): boolean =>
  Boolean(config.STRIPE_SECRET_KEY) || config.PAYMENT_PROVIDERS.some((p) => p !== 'stripe');

/**
 * Stripe's gateway for this configuration (STRIPE_API_BASE points it at the
 * local stand-in in development and tests); a test that needs another hands
 * its own to `Deps`. Payme, Click and cash live in workers/payments: their
 * state is in our own tables, so their gateways are built from `Deps`.
 */
export function paymentGatewayFor(config: Config): PaymentGateway {
  return stripeGateway(config);
}
