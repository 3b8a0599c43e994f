import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { webhookEvents } from '../../shared/db/schema';
import { Misconfigured, ValidationFailed } from '../../shared/errors';
import { apiProblems, createRouter } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { type DomainEvent, domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import type { PaymentWebhookEvent } from '../../shared/payments';

/**
 * Applies a verified provider event. Already-applied event ids are a no-op.
 * The id is recorded only after the effects succeeded, so a failure makes
 * the provider retry instead of losing the event; the effects themselves are
 * idempotent, so a concurrent duplicate is harmless. The payment's state is
 * read again from the provider (events may be late, doubled or reordered) and
 * handed to the orders domain's handler.
 */
export async function handlePaymentEvent(deps: Deps, event: PaymentWebhookEvent): Promise<{ replay: boolean }> {
  const [seen] = await deps.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.id, event.id));
  if (seen) return { replay: true };
  if (event.paymentId) await deps.applyPaymentState(await deps.paymentGateway.retrievePayment(event.paymentId), `stripe:${event.type}`);
  const failure = paymentFailedEvent(deps, event);
  // The event id and its `payment.failed` outbox row commit together: a concurrent duplicate records neither twice.
  const recorded = await deps.db.execute(sql`
    with w as (insert into ${webhookEvents} (id, type) values (${event.id}, ${event.type}) on conflict do nothing returning id)
    ${failure ? outboxInsert([failure], sql`w`) : sql`select id from w`}`);
  if (failure && recorded.rowCount) publishAfterResponse(deps, [failure]);
  return { replay: false };
}

/** A declined attempt becomes a `payment.failed` domain event (the order stays payable; the customer is told). */
function paymentFailedEvent(deps: Deps, event: PaymentWebhookEvent): DomainEvent | undefined {
  const declined = event.declined;
  if (!declined?.orderId || !declined.userId) return undefined;
  try {
    return paymentFailed({ ...declined, orderId: declined.orderId, userId: declined.userId });
  } catch (err) {
    // Not one of our orders (a payment made outside this API on the same account): nothing to tell anyone.
    deps.logger.warn('payment.failed not recorded: the payment does not name one of our orders', { paymentId: declined.paymentId, error: String(err) });
    return undefined;
  }
}

function paymentFailed(declined: NonNullable<PaymentWebhookEvent['declined']> & { orderId: string; userId: string }): DomainEvent {
  return domainEvent({
    type: 'payment.failed',
    payload: {
      orderId: declined.orderId,
      userId: declined.userId,
      paymentIntentId: declined.paymentId,
      amount: declined.amount,
      currency: declined.currency,
      reason: declined.reason,
    },
  });
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

/**
 * Incoming payment-provider webhooks, mounted at /api/v1/webhooks beside the
 * outgoing-webhook endpoints: `POST /webhooks/stripe`.
 */
export const paymentWebhooks = createRouter();

paymentWebhooks.openapi(route, async (c) => {
  const deps = c.get('deps');
  const raw = await c.req.text();
  let event: PaymentWebhookEvent;
  try {
    const stripe = deps.paymentGateway;
    if (!stripe.verifyWebhook) throw new Misconfigured(['STRIPE_WEBHOOK_SECRET']);
    event = await stripe.verifyWebhook(raw, c.req.header('stripe-signature'));
  } catch (err) {
    if (err instanceof Misconfigured) throw err;
    throw new ValidationFailed([{ path: 'Stripe-Signature', message: 'invalid, forged or too old' }], 'The webhook signature does not verify.');
  }
  const { replay } = await handlePaymentEvent(deps, event);
  return c.json({ received: true, replay }, 200);
});
