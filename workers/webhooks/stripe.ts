import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { webhookEvents } from '../../shared/db/schema';
import { Misconfigured, ValidationFailed } from '../../shared/errors';
import { apiProblems, createRouter } from '../../shared/openapi';
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
  await deps.db.execute(sql`insert into ${webhookEvents} (id, type) values (${event.id}, ${event.type}) on conflict do nothing`);
  return { replay: false };
}

const route = createRoute({
  method: 'post',
  path: '/stripe',
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

export const webhooks = createRouter();

webhooks.openapi(route, async (c) => {
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
