import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { emailedToken } from '../../../shared/auth/emailed-tokens';
import { signAccessToken, type Role } from '../../../shared/auth/tokens';
import { devEmails, emailDeliveries, notifications, outboxEvents, users } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import { newId } from '../../../shared/ids';
import worker from '../../../workers/index';
import type { QueueEvent } from '../../../workers/queue';
import { NOTIFIED_EVENTS, type NotifiedEvent } from '../../../workers/notifications/templates';
import { testEnv } from '../../support/app';
import { uniqueEmail, withDb } from '../../support/users';

export { NOTIFIED_EVENTS, type NotifiedEvent };

export const QUEUE = 'ultramarket-notifications-dev';
export const DLQ = 'ultramarket-notifications-dlq-dev';

const stand = testEnv as Bindings & { EMAIL_STANDIN_URL: string; EMAIL_STANDIN_KEY: string };
export const STANDIN_URL = stand.EMAIL_STANDIN_URL;

/** Bindings that pick the HTTP provider, pointed at the email stand-in (the run's own env uses the local outbox). */
export const httpEnv = { ...testEnv, EMAIL_PROVIDER_URL: `${STANDIN_URL}/emails`, EMAIL_PROVIDER_KEY: stand.EMAIL_STANDIN_KEY } as Bindings;

export interface QuietUser {
  id: string;
  email: string;
  name: string;
  accessToken: string;
}

/**
 * A user written straight to the database, with a signed access token: unlike
 * registering through the API it queues no events, so what a test counts is
 * only what the test itself caused.
 */
/** A user written straight to the table; English unless `locale` says otherwise (null: none stored, so the deployment's default). */
export async function quietUser(options: { role?: Role; locale?: string | null; name?: string } = {}): Promise<QuietUser> {
  const user = { id: newId(), email: uniqueEmail('notify'), name: options.name ?? 'Ada Lovelace' };
  await withDb((db) =>
    db.insert(users).values({ ...user, passwordHash: '!', role: options.role ?? 'customer', locale: options.locale === undefined ? 'en' : options.locale }),
  );
  const { token } = await signAccessToken(testEnv.JWT_SECRET ?? '', { userId: user.id, role: options.role ?? 'customer', sessionId: newId() });
  return { ...user, accessToken: token };
}

/** A payload like the one its domain records, for `userId`. */
export function payloadFor(type: NotifiedEvent, user: { id: string; email: string; name: string }): Record<string, unknown> {
  if (type.startsWith('auth.') || type === 'user.registered') {
    // Token emails name their token by id only; the consumer derives the token (see `tokenOf`).
    if (type === 'auth.verify_email' || type === 'auth.password_reset_requested') return { userId: user.id, tokenId: newId() };
    return { userId: user.id, email: user.email, name: user.name };
  }
  if (type === 'payment.failed') {
    return { orderId: newId(), userId: user.id, paymentIntentId: 'pi_test', amount: 2599, currency: 'USD', reason: 'Your card was declined.' };
  }
  if (type.startsWith('seller_order.')) {
    // The user is both seller and buyer here, so whichever of them the type notifies is this user.
    const base = { orderId: newId(), number: 'UM-2026-000001', sellerOrderId: newId(), sellerId: user.id, userId: user.id, total: 2599, currency: 'USD' };
    if (type === 'seller_order.shipped') return { ...base, shipmentId: newId(), carrier: 'UzPost', trackingNumber: 'UZ123', trackingUrl: 'https://track.example.uz/UZ123', complete: true };
    if (type === 'seller_order.cancelled') return { ...base, refunded: 2599 };
    if (type === 'seller_order.ready_for_pickup') {
      return { ...base, shipmentId: newId(), pickupPoint: { id: newId(), name: 'Chilonzor', address: 'Toshkent, Chilonzor 9-kvartal, 12', hours: '09–20' }, pickupCode: 'UZ123' };
    }
    return base;
  }
  if (type.startsWith('return.')) {
    // The seller hears of a request (sellerId), the buyer of the rest (userId): both are the user here.
    const ref = { orderId: newId(), number: 'UM-2026-000123', returnId: newId(), sellerOrderId: newId(), sellerId: user.id, userId: user.id };
    if (type === 'return.requested' || type === 'return.rejected') return { ...ref, reason: 'The zip is broken' };
    if (type === 'return.refunded') return { ...ref, amount: 2599, currency: 'USD' };
    return ref;
  }
  if (type.startsWith('wishlist.')) {
    const item = { userId: user.id, itemId: newId(), sku: 'WL-1', productId: newId(), productName: 'Desk lamp' };
    return type === 'wishlist.price_dropped' ? { ...item, price: 1999, previousPrice: 2599, currency: 'USD' } : item;
  }
  if (type === 'payout.created') {
    return { payoutId: newId(), sellerId: user.id, userId: user.id, amount: 2599, currency: 'USD', reference: 'PP-1' };
  }
  return { orderId: newId(), userId: user.id, status: type.slice('order.'.length), total: 2599, currency: 'USD' };
}

/** The token a verify/reset event's email carries, derived as the consumer derives it. */
export async function tokenOf(event: QueueEvent): Promise<string> {
  const purpose = event.type === 'auth.verify_email' ? 'verify_email' : 'reset_password';
  return emailedToken(testEnv.JWT_SECRET ?? '', purpose, String(event.payload.userId), String(event.payload.tokenId));
}

/** An event as a domain would commit it: in the outbox (where an admin retry finds it) and ready for the queue. */
export async function recordedEvent(type: NotifiedEvent, user: { id: string; email: string; name: string }): Promise<QueueEvent> {
  const event = { id: newId(), type, payload: payloadFor(type, user) };
  await withDb((db) => db.insert(outboxEvents).values(event));
  return event;
}

/** Runs the Worker's queue handler on one message, as the platform would; answers what happened to it. */
export async function deliver(event: QueueEvent, options: { env?: Bindings; queue?: string; attempts?: number } = {}) {
  const batch = createMessageBatch<QueueEvent>(options.queue ?? QUEUE, [
    { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: options.attempts ?? 1, body: event },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, options.env ?? testEnv);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length === 1, retried: result.retryMessages.length === 1, result };
}

/** What one event left behind. */
export async function traceOf(eventId: string) {
  return withDb(async (db) => {
    const inApp = await db.select().from(notifications).where(eq(notifications.eventId, eventId));
    const deliveries = await db.select().from(emailDeliveries).where(eq(emailDeliveries.eventId, eventId));
    const outbox = deliveries[0] ? await db.select().from(devEmails).where(eq(devEmails.deliveryId, deliveries[0].id)) : [];
    return { inApp, deliveries, outbox };
  });
}

export async function standinEmails(to: string): Promise<Array<{ id: string; subject: string; text: string; html: string; idempotencyKey: string }>> {
  const res = await fetch(`${STANDIN_URL}/emails?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${stand.EMAIL_STANDIN_KEY}` } });
  return (await res.json<{ data: Array<{ id: string; subject: string; text: string; html: string; idempotencyKey: string }> }>()).data;
}

export async function standinRequests(to: string): Promise<number> {
  const res = await fetch(`${STANDIN_URL}/control/requests?to=${encodeURIComponent(to)}`);
  return (await res.json<{ count: number }>()).count;
}

/** Makes the stand-in fail sends to `to` (forever unless `count`). */
export async function failSendsTo(to: string, rule: { count?: number; status?: number } = {}): Promise<void> {
  const res = await fetch(`${STANDIN_URL}/control/failures`, { method: 'POST', body: JSON.stringify({ to, ...rule }) });
  if (!res.ok) throw new Error(`stand-in control failed: ${res.status}`);
}

export async function stopFailingSendsTo(to: string): Promise<void> {
  await fetch(`${STANDIN_URL}/control/failures?to=${encodeURIComponent(to)}`, { method: 'DELETE' });
}
