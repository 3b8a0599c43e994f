import { SELF } from 'cloudflare:test';
import { inject } from 'vitest';
import type { InboxEntry } from './stripe-inbox';

const inbox = () => inject('stack').STRIPE_INBOX_URL;

/** The webhooks the Stripe stand-in sent for a PaymentIntent, signed as Stripe signs them. */
export async function stripeEvents(paymentIntentId: string): Promise<InboxEntry[]> {
  const res = await fetch(`${inbox()}/events?paymentIntent=${encodeURIComponent(paymentIntentId)}`);
  return res.json<InboxEntry[]>();
}

/** Delivers one event to the Worker exactly as Stripe would (original body and signature). */
export function deliver(entry: InboxEntry, signature = entry.signature): Promise<Response> {
  return SELF.fetch('http://api.test/api/v1/webhooks/stripe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: entry.body,
  });
}

/** Forwards every webhook of a PaymentIntent (optionally shuffled or twice), like `stripe listen`. */
export async function forwardStripeEvents(paymentIntentId: string, options: { shuffle?: boolean; twice?: boolean; types?: string[] } = {}) {
  let entries = (await stripeEvents(paymentIntentId)).filter((e) => !options.types || options.types.includes(e.type));
  if (options.twice) entries = [...entries, ...entries];
  if (options.shuffle) entries = [...entries].sort(() => Math.random() - 0.5);
  const statuses: number[] = [];
  for (const entry of entries) statuses.push((await deliver(entry)).status);
  return { entries, statuses };
}

/**
 * Makes the stand-in fail its next API calls (HTTP 500, or hang until the client times out); with `match`, only calls
 * whose path or body contain it (a PaymentIntent id, a user id in metadata), so parallel suites keep their own faults.
 */
export async function failNextStripeCalls(count: number, kind: '500' | 'timeout' = '500', match?: string): Promise<void> {
  await fetch(`${inbox()}/control/fail-next`, { method: 'POST', body: JSON.stringify({ count, kind, match }) });
}
