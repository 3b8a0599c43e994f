import type { Config } from '../env';
import { type PaymentGateway, PaymentDeclined, type PaymentState, type PaymentWebhookEvent } from './gateway';
import { asStripeOutage, createStripe, isCardError, type PaymentIntent, type StripeEvent, verifyWebhook } from './stripe';

/** Stripe events that can change a payment's state; the rest are recorded and otherwise ignored. */
const PAYMENT_EVENTS = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'charge.refunded',
]);

/** The charge's refunded total, when the intent was fetched with its latest charge. */
function refundedOf(intent: PaymentIntent): number {
  const charge = intent.latest_charge;
  return charge && typeof charge === 'object' ? charge.amount_refunded : 0;
}

function stateOf(intent: PaymentIntent): PaymentState {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    amountReceived: intent.amount_received,
    amountRefunded: refundedOf(intent),
    currency: intent.currency.toUpperCase(),
    clientSecret: intent.client_secret,
    orderId: intent.metadata?.order_id,
    userId: intent.metadata?.user_id,
    lastError: intent.last_payment_error?.message ?? null,
  };
}

function paymentIdOf(event: StripeEvent): string | undefined {
  const object = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
  if (object.object === 'payment_intent') return object.id;
  const pi = object.payment_intent;
  return typeof pi === 'string' ? pi : pi?.id;
}

/** A declined attempt as the event reported it (its amount and reason at that moment). */
function declinedOf(event: StripeEvent): PaymentWebhookEvent['declined'] {
  if (event.type !== 'payment_intent.payment_failed') return undefined;
  const intent = event.data.object as {
    id: string;
    amount?: number;
    currency?: string;
    metadata?: Record<string, string>;
    last_payment_error?: { code?: string; decline_code?: string; message?: string } | null;
  };
  return {
    paymentId: intent.id,
    orderId: intent.metadata?.order_id,
    userId: intent.metadata?.user_id,
    amount: intent.amount ?? null,
    currency: intent.currency?.toUpperCase() ?? null,
    reason: intent.last_payment_error?.message ?? intent.last_payment_error?.decline_code ?? 'declined',
  };
}

/**
 * Stripe behind the payments seam: one SDK client per request's gateway.
 * A payment is a PaymentIntent whose metadata names the order and buyer;
 * refunds are read from its latest charge.
 */
export function stripeGateway(config: Config): PaymentGateway {
  let client: ReturnType<typeof createStripe> | undefined;
  // Built on first use: a missing STRIPE_SECRET_KEY is reported by the call that needs it.
  const stripe = () => (client ??= createStripe(config));

  return {
    provider: 'stripe',

    async createPayment(input, idempotencyKey) {
      const intent = await stripe()
        .paymentIntents.create(
          {
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata: { order_id: input.orderId, user_id: input.userId },
            description: input.description,
          },
          { idempotencyKey },
        )
        .catch(asStripeOutage);
      return stateOf(intent);
    },

    async confirmPayment(paymentId, paymentMethodId) {
      try {
        return stateOf(await stripe().paymentIntents.confirm(paymentId, { payment_method: paymentMethodId }));
      } catch (err) {
        if (isCardError(err)) throw new PaymentDeclined(err.message, err.decline_code ?? err.code ?? null);
        return asStripeOutage(err);
      }
    },

    async cancelPayment(paymentId, reason) {
      await stripe()
        .paymentIntents.cancel(paymentId, reason ? { cancellation_reason: reason } : undefined)
        .catch(asStripeOutage);
    },

    async refundPayment(input, idempotencyKey) {
      const refund = await stripe()
        .refunds.create(
          {
            payment_intent: input.paymentId,
            amount: input.amount,
            ...(input.reason ? { reason: input.reason } : {}),
            metadata: input.metadata,
          },
          { idempotencyKey },
        )
        .catch(asStripeOutage);
      return { id: refund.id, amount: refund.amount };
    },

    async retrievePayment(paymentId) {
      const intent = await stripe().paymentIntents.retrieve(paymentId, { expand: ['latest_charge'] }).catch(asStripeOutage);
      return stateOf(intent);
    },

    async verifyWebhook(rawBody, signature) {
      const event = await verifyWebhook(config, rawBody, signature);
      return {
        id: event.id,
        type: event.type,
        paymentId: PAYMENT_EVENTS.has(event.type) ? paymentIdOf(event) : undefined,
        declined: declinedOf(event),
      };
    },
  };
}
