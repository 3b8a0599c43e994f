import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { outboxEvents, webhookEvents } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { type DomainEvent, publishAfterResponse } from '../../shared/outbox';
import { Misconfigured, ValidationFailed } from '../../shared/errors';
import { apiProblems, createRouter } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { type StripeEvent, verifyWebhook } from '../../shared/payments/stripe';
import { fetchIntent, syncOrderWithIntent } from '../payments/sync';

const HANDLED = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'charge.refunded',
]);

function intentIdOf(event: StripeEvent): string | undefined {
  const object = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
  if (object.object === 'payment_intent') return object.id;
  const pi = object.payment_intent;
  return typeof pi === 'string' ? pi : pi?.id;
}

/**
 * Applies a verified Stripe event. Already-applied event ids are a no-op.
 * The id is recorded only after the effects succeeded, so a failure makes
 * Stripe retry instead of losing the event; the effects themselves are
 * idempotent, so a concurrent duplicate is harmless.
 */
export async function handleStripeEvent(deps: Deps, event: StripeEvent): Promise<{ replay: boolean }> {
  const [seen] = await deps.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.id, event.id));
  if (seen) return { replay: true };
  const intentId = HANDLED.has(event.type) ? intentIdOf(event) : undefined;
  if (intentId) await syncOrderWithIntent(deps, await fetchIntent(deps, intentId), `stripe:${event.type}`);
  const failure = paymentFailedEvent(event);
  // The event id and its `payment.failed` outbox row commit together: a concurrent duplicate records neither twice.
  const recorded = await deps.db.execute(sql`
    with w as (insert into ${webhookEvents} (id, type) values (${event.id}, ${event.type}) on conflict do nothing returning id)
    insert into ${outboxEvents} (id, type, payload)
    select ${failure?.id ?? null}::uuid, ${failure?.type ?? null}, ${JSON.stringify(failure?.payload ?? null)}::jsonb from w
    where ${failure !== undefined}`);
  if (failure && recorded.rowCount) publishAfterResponse(deps, [failure]);
  return { replay: false };
}

/** A declined attempt becomes a `payment.failed` domain event (the order stays payable; the customer is told). */
function paymentFailedEvent(event: StripeEvent): DomainEvent | undefined {
  if (event.type !== 'payment_intent.payment_failed') return undefined;
  const intent = event.data.object as {
    id: string;
    amount?: number;
    currency?: string;
    metadata?: Record<string, string>;
    last_payment_error?: { code?: string; decline_code?: string; message?: string } | null;
  };
  const orderId = intent.metadata?.order_id;
  const userId = intent.metadata?.user_id;
  if (!orderId || !userId) return undefined;
  return {
    id: newId(),
    type: 'payment.failed',
    payload: {
      orderId,
      userId,
      paymentIntentId: intent.id,
      amount: intent.amount ?? null,
      currency: intent.currency?.toUpperCase() ?? null,
      reason: intent.last_payment_error?.message ?? intent.last_payment_error?.decline_code ?? 'declined',
    },
  };
}

const route = defineRoute({
  method: 'post',
  path: '/stripe',
  auth: 'none',
  tags: ['Webhooks'],
  summary: 'Stripe webhook endpoint',
  description:
    'Verifies `Stripe-Signature` (HMAC-SHA256, 5-minute tolerance) and applies payment events. A replayed event answers 200 and changes nothing.',
  request: { headers: z.object({ 'stripe-signature': z.string().min(1).openapi({ description: 't=…,v1=…' }) }) },
  responses: {
    200: {
      description: 'Applied (or already applied)',
      content: { 'application/json': { schema: z.object({ received: z.boolean(), replay: z.boolean() }) } },
    },
    ...apiProblems,
  },
});

export const stripeWebhook = createRouter();

stripeWebhook.openapi(route, async (c) => {
  const deps = c.get('deps');
  const raw = await c.req.text();
  let event: StripeEvent;
  try {
    event = await verifyWebhook(deps.config, raw, c.req.header('stripe-signature'));
  } catch (err) {
    if (err instanceof Misconfigured) throw err;
    throw new ValidationFailed([{ path: 'Stripe-Signature', message: 'invalid, forged or too old' }], 'The webhook signature does not verify.');
  }
  const { replay } = await handleStripeEvent(deps, event);
  return c.json({ received: true, replay }, 200);
});
