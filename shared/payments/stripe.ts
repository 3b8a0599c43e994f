import Stripe from 'stripe';
import type { Config } from '../env';
import { DependencyUnavailable, Misconfigured } from '../errors';

/**
 * The Stripe client for one request: the official SDK over fetch, so it runs
 * in Workers. In development STRIPE_API_BASE points it at the local stand-in
 * (scripts/stack/stripe-standin.ts), which speaks the same protocol.
 */
export function createStripe(config: Config): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw new Misconfigured(['STRIPE_SECRET_KEY']);
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol.replace(':', '') as 'http' | 'https' }
      : {}),
  });
}

export type StripeClient = Stripe;
export type PaymentIntent = Stripe.PaymentIntent;
export type StripeEvent = Stripe.Event;

/** Stripe errors a client can act on (a declined card) versus Stripe being unreachable. */
export function isCardError(err: unknown): err is Stripe.errors.StripeCardError {
  return err instanceof Stripe.errors.StripeCardError;
}

/** Connection failures, timeouts and 5xx from Stripe: a 503 for our client, who may retry. */
export function asStripeOutage(err: unknown): never {
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  ) {
    throw new DependencyUnavailable('Payment provider', err);
  }
  throw err;
}

/** Verifies a webhook's Stripe-Signature with WebCrypto (5-minute tolerance) and parses it. */
export async function verifyWebhook(config: Config, rawBody: string, signature: string | undefined): Promise<Stripe.Event> {
  if (!config.STRIPE_WEBHOOK_SECRET) throw new Misconfigured(['STRIPE_WEBHOOK_SECRET']);
  return Stripe.webhooks.constructEventAsync(
    rawBody,
    signature ?? '',
    config.STRIPE_WEBHOOK_SECRET,
    300,
    Stripe.createSubtleCryptoProvider(),
  );
}
