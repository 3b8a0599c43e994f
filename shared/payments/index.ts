import type { Config } from '../env';
import type { PaymentGateway } from './gateway';
import { stripeGateway } from './stripe-gateway';

export * from './gateway';

/** Whether this configuration names a payment provider (jobs that need one skip quietly otherwise). */
export const paymentsConfigured = (config: Config): boolean => Boolean(config.STRIPE_SECRET_KEY);

/**
 * The payment provider for this configuration. Stripe is the one
 * implementation today (STRIPE_API_BASE points it at the local stand-in in
 * development and tests); a test that needs another hands its own to `Deps`.
 */
export function paymentGatewayFor(config: Config): PaymentGateway {
  return stripeGateway(config);
}
