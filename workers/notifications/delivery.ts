import { and, eq, ne, sql } from 'drizzle-orm';
import { type EmailedTokenPurpose, emailedToken } from '../../shared/auth/emailed-tokens';
import { type Deps, runWithDeps } from '../../shared/context';
import { emailDeliveries, notifications, users } from '../../shared/db/schema';
import { emailProviderFor, EmailSendFailed } from '../../shared/email';
import type { Bindings, Config } from '../../shared/env';
import { type DomainEvent, parseDomainEvent } from '../../shared/events';
import { newId } from '../../shared/ids';
import type { QueueEvent } from '../../shared/queue';
import { formatMoney, type Locale, type NotifiedEvent, type Rendered, renderNotification, resolveLocale } from './templates';

/** Payload members that never go into an in-app row: the token's id (and any token), and the copy of who the user is. */
const PRIVATE_PAYLOAD_KEYS = new Set(['token', 'tokenId', 'email', 'name', 'userId']);
/** Events whose email carries a single-use token, and the token's purpose. */
const TOKEN_PURPOSE: Partial<Record<NotifiedEvent, EmailedTokenPurpose>> = {
  'auth.verify_email': 'verify_email',
  'auth.password_reset_requested': 'reset_password',
};
/** Where the web app takes the links emails carry (relative to its origin). */
const LINK_PATHS: Partial<Record<NotifiedEvent, string>> = {
  'auth.verify_email': '/verify-email',
  'auth.password_reset_requested': '/reset-password',
};
/** Events told to someone other than the payload's `userId` (the buyer): the seller of a seller order. */
const RECIPIENT_KEY: Partial<Record<NotifiedEvent, 'sellerId'>> = {
  'seller_order.paid': 'sellerId',
  'seller_order.cancelled': 'sellerId',
  'return.requested': 'sellerId',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Recipient {
  id: string;
  email: string;
  name: string;
  locale: string | null;
}

interface Prepared {
  recipient: Recipient;
  rendered: Rendered;
  delivery: { id: string; status: 'pending' | 'sent' | 'failed'; attempts: number };
}

/**
 * The link in a verify/reset email: the web app's page (`APP_URL`, else the
 * first CORS origin) with the token. Without either there is nowhere to link,
 * so the email shows the token itself to paste.
 */
function linkFor(config: Config, type: NotifiedEvent, token: string | undefined): string {
  const path = LINK_PATHS[type];
  if (!path || !token) return '';
  const origin = config.APP_URL ?? config.CORS_ORIGINS[0];
  return origin ? `${origin.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}` : token;
}

/**
 * The token a verify/reset email carries, derived from the token id in the
 * event (the event never holds the token itself: see
 * shared/auth/emailed-tokens.ts). Derived again on a retry, it is the same
 * token, so a resent email carries a link that still works.
 */
async function tokenOf(config: Config, event: DomainEvent, userId: string): Promise<string | undefined> {
  const purpose = TOKEN_PURPOSE[event.type as NotifiedEvent];
  const tokenId = (event.payload as Record<string, unknown>).tokenId;
  if (!purpose || typeof tokenId !== 'string' || !tokenId) return undefined;
  return emailedToken(config.JWT_SECRET, purpose, userId, tokenId);
}

function render(config: Config, event: DomainEvent, recipient: Pick<Recipient, 'name' | 'locale'>, token: string | undefined): Rendered {
  const p: Record<string, unknown> = event.payload;
  const locale: Locale = resolveLocale(recipient.locale);
  const amount = typeof p.total === 'number' ? p.total : typeof p.amount === 'number' ? p.amount : undefined;
  const currency = typeof p.currency === 'string' ? p.currency : undefined;
  return renderNotification(event.type as NotifiedEvent, locale, {
    name: recipient.name,
    // A person reads the order by its number; events from before numbers existed name its id.
    orderId: typeof p.number === 'string' ? p.number : typeof p.orderId === 'string' ? p.orderId : '',
    total: amount !== undefined && currency ? formatMoney(amount, currency, locale) : '',
    reason: typeof p.reason === 'string' ? p.reason : '',
    link: linkFor(config, event.type as NotifiedEvent, token),
    number: typeof p.number === 'string' ? p.number : typeof p.orderId === 'string' ? p.orderId : '',
    tracking: trackingLine(p),
  });
}

/** "UzPost UZ123 https://…", from a shipment event's payload. */
const trackingLine = (p: Record<string, unknown>) =>
  [p.carrier, p.trackingNumber, p.trackingUrl].filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'unspecified').join(' ');

const inAppData = (payload: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(payload).filter(([key]) => !PRIVATE_PAYLOAD_KEYS.has(key)));

/**
 * Finds the recipient, renders, and records the in-app row and the email's
 * delivery row in one statement (each a no-op when this event was seen
 * before). Returns the delivery as it stands, or nothing when there is nobody
 * to notify (no such user, or deleted).
 */
async function prepare(deps: Deps, message: QueueEvent): Promise<Prepared | undefined> {
  // Read with the event's own schema: a payload that does not fit it is logged, not retried forever.
  const parsed = parseDomainEvent(message);
  if ('error' in parsed) {
    deps.logger.warn('notification event does not match its schema; nothing to deliver', { type: message.type, eventId: message.id, error: parsed.error });
    return undefined;
  }
  const event = parsed.event;
  const key = RECIPIENT_KEY[event.type as NotifiedEvent] ?? 'userId';
  const payload: Record<string, unknown> = event.payload;
  const userId = payload[key];
  if (typeof userId !== 'string' || !UUID.test(userId)) {
    deps.logger.warn('notification event without a user; nothing to deliver', { type: event.type, eventId: event.id });
    return undefined;
  }
  const [recipient] = await deps.db
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!recipient || recipient.deletedAt) {
    deps.logger.info('notification skipped: user gone', { type: event.type, eventId: event.id, userId });
    return undefined;
  }
  const rendered = render(deps.config, event, recipient, await tokenOf(deps.config, event, recipient.id));
  if (recipient.email === null) {
    // An account made by phone sign-in has no email until it adds one: the in-app row only.
    await deps.db
      .insert(notifications)
      .values({ id: newId(), userId: recipient.id, eventId: event.id, type: event.type, title: rendered.title, body: rendered.body, data: inAppData(event.payload) })
      .onConflictDoNothing();
    return undefined;
  }
  const withEmail = { ...recipient, email: recipient.email };
  const template = event.type;
  const result = await deps.db.execute<{ id: string; status: Prepared['delivery']['status']; attempts: number }>(sql`
    with n as (
      insert into ${notifications} (id, user_id, event_id, type, title, body, data)
      values (${newId()}, ${recipient.id}, ${event.id}, ${event.type}, ${rendered.title}, ${rendered.body}, ${JSON.stringify(inAppData(event.payload))}::jsonb)
      on conflict (event_id, user_id) do nothing
    ), d as (
      insert into ${emailDeliveries} (id, event_id, event_type, user_id, to_address, template, locale, subject)
      values (${newId()}, ${event.id}, ${event.type}, ${recipient.id}, ${recipient.email}, ${template}, ${rendered.locale}, ${rendered.subject})
      on conflict (event_id, template) do nothing
      returning id, status, attempts
    )
    select id, status, attempts from d
    union all
    select id, status, attempts from ${emailDeliveries} where event_id = ${event.id} and template = ${template}`);
  // Empty only when a concurrent copy inserted the row after this statement's snapshot: read it now.
  const [delivery] = result.rows.length
    ? result.rows
    : await deps.db
        .select({ id: emailDeliveries.id, status: emailDeliveries.status, attempts: emailDeliveries.attempts })
        .from(emailDeliveries)
        .where(and(eq(emailDeliveries.eventId, event.id), eq(emailDeliveries.template, template)));
  if (!delivery) throw new Error(`email delivery for event ${event.id} neither inserted nor found`);
  return { recipient: withEmail, rendered, delivery: { ...delivery, attempts: Number(delivery.attempts) } };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1_000);

/**
 * Sends the email unless it was sent already. The claim (attempts + 1 only if
 * nobody else bumped it since we read it) makes two copies of one message
 * running at once send once; the delivery id as Idempotency-Key covers a crash
 * between the provider's answer and our bookkeeping.
 */
async function send(deps: Deps, { recipient, rendered, delivery }: Prepared): Promise<void> {
  if (delivery.status === 'sent') return;
  const claimed = await deps.db
    .update(emailDeliveries)
    .set({ attempts: sql`${emailDeliveries.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, 'sent'), eq(emailDeliveries.attempts, delivery.attempts)))
    .returning({ id: emailDeliveries.id });
  if (!claimed.length) {
    deps.logger.debug('email delivery claimed by another consumer', { deliveryId: delivery.id });
    return;
  }
  try {
    const provider = emailProviderFor(deps.config, deps.db);
    const sent = await provider.send({
      from: deps.config.EMAIL_FROM,
      to: recipient.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      idempotencyKey: delivery.id,
    });
    await deps.db
      .update(emailDeliveries)
      .set({ status: 'sent', providerMessageId: sent.id, sentAt: sql`now()`, failedAt: null, lastError: null, updatedAt: sql`now()` })
      .where(eq(emailDeliveries.id, delivery.id));
  } catch (err) {
    // A rejection that retrying cannot fix (bad address, bad key) goes straight to the failed list.
    const final = err instanceof EmailSendFailed && !err.retryable;
    await deps.db
      .update(emailDeliveries)
      .set({ lastError: errorText(err), updatedAt: sql`now()`, ...(final ? { status: 'failed' as const, failedAt: sql`now()` } : {}) })
      .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, 'sent')));
    if (!final) throw err;
    deps.logger.error('email rejected; left in the failed list', { deliveryId: delivery.id, error: errorText(err) });
  }
}

const withDeps = (env: Bindings, event: QueueEvent, task: (deps: Deps) => Promise<void>) =>
  runWithDeps(env, { event: event.id, type: event.type }, task);

/** Queue consumer: the in-app row and the email for one event; throws (so the queue retries) while the email is not out. */
export const deliverNotification = (event: QueueEvent, env: Bindings) =>
  withDeps(env, event, async (deps) => {
    const prepared = await prepare(deps, event);
    if (prepared) await send(deps, prepared);
  });

/**
 * Dead-letter consumer: the event ran out of retries. Its rows are made sure
 * of (the failure may have come before they existed) and the email is marked
 * failed, keeping the last error, so it shows in GET /notifications/failed.
 */
export const recordUndeliverable = (event: QueueEvent, env: Bindings) =>
  withDeps(env, event, async (deps) => {
    const prepared = await prepare(deps, event);
    if (!prepared) return;
    const failed = await deps.db
      .update(emailDeliveries)
      .set({
        status: 'failed',
        failedAt: sql`now()`,
        updatedAt: sql`now()`,
        lastError: sql`coalesce(${emailDeliveries.lastError}, 'ran out of retries')`,
      })
      .where(and(eq(emailDeliveries.id, prepared.delivery.id), ne(emailDeliveries.status, 'sent')))
      .returning({ lastError: emailDeliveries.lastError });
    if (failed[0]) {
      deps.logger.error('email delivery failed for good; listed for an admin retry', { deliveryId: prepared.delivery.id, error: failed[0].lastError });
    }
  });
