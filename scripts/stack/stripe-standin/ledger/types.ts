/**
 * The shapes the ledger's parts share: the Stripe objects it keeps, the Events
 * they produce, and what an operation receives and answers.
 */
import type Stripe from 'stripe';
import type { TestCard } from '../cards';

export type StripeObject = Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund;

export type StripeEventType =
  | 'payment_intent.created'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.requires_action'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.captured'
  | 'charge.refunded'
  | 'refund.created';

/** An Event exactly as Stripe sends it to webhook endpoints (and returns from GET /v1/events/:id). */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: StripeEventType;
}

/** Per request: who asked (for `event.request`) and where the stand-in lives (for redirect URLs). */
export interface OperationContext {
  requestId: string | null;
  idempotencyKey: string | null;
  baseUrl: string;
  /** Events produced by this operation, in order; the server hands them to the webhook dispatcher. */
  events: StripeEvent[];
}

/** A handler's answer: success bodies and executed errors (declines) alike. */
export interface OperationResult {
  status: number;
  body: unknown;
}

export interface StoredPaymentMethod {
  object: Stripe.PaymentMethod;
  card: TestCard;
  /** A PaymentMethod without a Customer can only ever be used with one PaymentIntent. */
  usedBy: string | null;
}

export type PaymentIntentStatus = Stripe.PaymentIntent.Status;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function listOf(values: readonly string[]): string {
  return values.join(', ');
}
