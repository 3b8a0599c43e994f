import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { type EmailedTokenPurpose, emailedToken } from '../../shared/auth/emailed-tokens';
import { type Deps, runWithDeps } from '../../shared/context';
import { emailDeliveries, notifications, users } from '../../shared/db/schema';
import type { Bindings, Config } from '../../shared/env';
import { type DomainEvent, parseDomainEvent } from '../../shared/events';
import { newId } from '../../shared/ids';
import type { QueueEvent } from '../../shared/queue';
import { channelsFor } from './preferences';
import { type Delivery, sendEmail, sendSms } from './send';
import { formatMoney, type Locale, type NotifiedEvent, type Rendered, renderNotification, resolveLocale, type TemplateVars } from './templates';
import { isSmsEvent, renderEventSms } from './templates/sms';

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
  /** Null for an account made by phone sign-in: no email then. */
  email: string | null;
  name: string;
  locale: string | null;
  /** E.164; SMS go only to an account with one. */
  phone: string | null;
}

interface Prepared {
  recipient: Recipient;
  rendered: Rendered;
  /** The SMS text, when this event goes out by SMS to this recipient. */
  sms?: string;
  deliveries: Delivery[];
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

function render(config: Config, event: DomainEvent, recipient: Recipient, token: string | undefined): Rendered & { vars: TemplateVars } {
  const p: Record<string, unknown> = event.payload;
  const locale: Locale = resolveLocale(recipient.locale, config.DEFAULT_LOCALE);
  const amount = typeof p.total === 'number' ? p.total : typeof p.amount === 'number' ? p.amount : undefined;
  const currency = typeof p.currency === 'string' ? p.currency : undefined;
  const vars: TemplateVars = {
    name: recipient.name,
    // A person reads the order by its number; events from before numbers existed name its id.
    orderId: typeof p.number === 'string' ? p.number : typeof p.orderId === 'string' ? p.orderId : '',
    total: amount !== undefined && currency ? formatMoney(amount, currency, locale) : '',
    reason: typeof p.reason === 'string' ? p.reason : '',
    link: linkFor(config, event.type as NotifiedEvent, token),
    number: typeof p.number === 'string' ? p.number : typeof p.orderId === 'string' ? p.orderId : '',
    tracking: trackingLine(p),
    product: typeof p.productName === 'string' ? p.productName : '',
    price: typeof p.price === 'number' && currency ? formatMoney(p.price, currency, locale) : '',
    was: typeof p.previousPrice === 'number' && currency ? formatMoney(p.previousPrice, currency, locale) : '',
    ...pickupVars(p),
  };
  return { ...renderNotification(event.type as NotifiedEvent, locale, vars), vars };
}

/** "UzPost UZ123 https://…", from a shipment event's payload. */
const trackingLine = (p: Record<string, unknown>) =>
  [p.carrier, p.trackingNumber, p.trackingUrl].filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'unspecified').join(' ');

/** The pickup point and code of a ready-for-pickup event: "Chilonzor, Toshkent, Chilonzor 9-kvartal, 12 (09–20)". */
function pickupVars(p: Record<string, unknown>): Pick<TemplateVars, 'pickupPoint' | 'pickupPointName' | 'pickupCode'> {
  const point = p.pickupPoint as { name?: unknown; address?: unknown; hours?: unknown } | undefined;
  if (!point || typeof point.name !== 'string') return {};
  const hours = typeof point.hours === 'string' && point.hours ? ` (${point.hours})` : '';
  return {
    pickupPoint: `${[point.name, point.address].filter((v) => typeof v === 'string' && v).join(', ')}${hours}`,
    pickupPointName: point.name,
    pickupCode: typeof p.pickupCode === 'string' ? p.pickupCode : '',
  };
}

const inAppData = (payload: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(payload).filter(([key]) => !PRIVATE_PAYLOAD_KEYS.has(key)));

/**
 * Finds the recipient and the channels this event goes out on for them,
 * renders, and records the in-app row and a delivery row per channel (email,
 * SMS) in one statement, each a no-op when this event was seen before.
 * Returns the deliveries as they stand, or nothing when there is nobody to
 * notify (no such user, or deleted).
 */
async function prepare(deps: Deps, message: QueueEvent): Promise<Prepared | undefined> {
  // Read with the event's own schema: a payload that does not fit it is logged, not retried forever.
  const parsed = parseDomainEvent(message);
  if ('error' in parsed) {
    deps.logger.warn('notification event does not match its schema; nothing to deliver', { type: message.type, eventId: message.id, error: parsed.error });
    return undefined;
  }
  const event = parsed.event;
  const type = event.type as NotifiedEvent;
  const key = RECIPIENT_KEY[type] ?? 'userId';
  const payload: Record<string, unknown> = event.payload;
  const userId = payload[key];
  if (typeof userId !== 'string' || !UUID.test(userId)) {
    deps.logger.warn('notification event without a user; nothing to deliver', { type: event.type, eventId: event.id });
    return undefined;
  }
  const [recipient] = await deps.db
    // Only a phone proved by an SMS code receives SMS: a contact number typed into a profile may be anyone's.
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      locale: users.locale,
      phone: sql<string | null>`case when ${users.phoneVerifiedAt} is not null then ${users.phone} end`,
      deletedAt: users.deletedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!recipient || recipient.deletedAt) {
    deps.logger.info('notification skipped: user gone', { type: event.type, eventId: event.id, userId });
    return undefined;
  }
  const on = await channelsFor(deps, recipient.id, type);
  const rendered = render(deps.config, event, recipient, await tokenOf(deps.config, event, recipient.id));
  const sms = on.sms && recipient.phone && isSmsEvent(type) ? renderEventSms(type, rendered.locale, rendered.vars) : undefined;
  const email = on.email && recipient.email ? recipient.email : undefined;
  const templates = [...(email ? [event.type] : []), ...(sms ? [`sms:${event.type}`] : [])];
  const row = (template: string, channel: 'email' | 'sms', to: string, subject: string) =>
    sql`select ${newId()}::uuid, ${event.id}::uuid, ${event.type}, ${recipient.id}::uuid, ${to}, ${template}, ${rendered.locale}, ${subject}, ${channel}`;
  const rows = [...(email ? [row(event.type, 'email', email, rendered.subject)] : []), ...(sms && recipient.phone ? [row(`sms:${event.type}`, 'sms', recipient.phone, '')] : [])];
  const result = await deps.db.execute<Delivery & Record<string, unknown>>(sql`
    with n as (
      insert into ${notifications} (id, user_id, event_id, type, title, body, data)
      select ${newId()}, ${recipient.id}, ${event.id}, ${event.type}, ${rendered.title}, ${rendered.body}, ${JSON.stringify(inAppData(event.payload))}::jsonb
      where ${on.in_app}
      on conflict (event_id, user_id) do nothing
    )${
      rows.length
        ? sql`, d as (
      insert into ${emailDeliveries} (id, event_id, event_type, user_id, to_address, template, locale, subject, channel)
      ${sql.join(rows, sql` union all `)}
      on conflict (event_id, template) do nothing
      returning id, channel, status, attempts
    )
    select id, channel, status, attempts from d
    union all
    select id, channel, status, attempts from ${emailDeliveries} where event_id = ${event.id} and template in (${sql.join(templates.map((t) => sql`${t}`), sql`, `)})`
        : sql` select null::uuid as id, null as channel, null as status, 0 as attempts where false`
    }`);
  // Fewer rows only when a concurrent copy inserted one after this statement's snapshot: read them now.
  const deliveries = result.rows.length === templates.length || !templates.length
    ? result.rows
    : await deps.db
        .select({ id: emailDeliveries.id, channel: emailDeliveries.channel, status: emailDeliveries.status, attempts: emailDeliveries.attempts })
        .from(emailDeliveries)
        .where(and(eq(emailDeliveries.eventId, event.id), inArray(emailDeliveries.template, templates)));
  if (deliveries.length !== templates.length) throw new Error(`deliveries for event ${event.id} neither inserted nor found`);
  return { recipient, rendered, sms, deliveries: deliveries.map((d) => ({ ...d, attempts: Number(d.attempts) })) };
}

const withDeps = (env: Bindings, event: QueueEvent, task: (deps: Deps) => Promise<void>) =>
  runWithDeps(env, { event: event.id, type: event.type }, task);

/**
 * Queue consumer: the in-app row, the email and the SMS for one event. Each
 * channel is sent at most once; while any is not out, this throws so the queue
 * retries (the ones already sent are skipped then).
 */
export const deliverNotification = (event: QueueEvent, env: Bindings) =>
  withDeps(env, event, async (deps) => {
    const prepared = await prepare(deps, event);
    if (!prepared) return;
    const { recipient, rendered, sms } = prepared;
    const results = await Promise.allSettled(
      prepared.deliveries.map((d) =>
        d.channel === 'sms' ? sendSms(deps, d, recipient.phone ?? '', sms ?? '') : sendEmail(deps, d, recipient.email ?? '', rendered),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

/**
 * Dead-letter consumer: the event ran out of retries. Its rows are made sure
 * of (the failure may have come before they existed) and every delivery not
 * sent is marked failed, keeping the last error, so it shows in
 * GET /notifications/failed.
 */
export const recordUndeliverable = (event: QueueEvent, env: Bindings) =>
  withDeps(env, event, async (deps) => {
    const prepared = await prepare(deps, event);
    if (!prepared?.deliveries.length) return;
    const failed = await deps.db
      .update(emailDeliveries)
      .set({
        status: 'failed',
        failedAt: sql`now()`,
        updatedAt: sql`now()`,
        lastError: sql`coalesce(${emailDeliveries.lastError}, 'ran out of retries')`,
      })
      .where(and(inArray(emailDeliveries.id, prepared.deliveries.map((d) => d.id)), ne(emailDeliveries.status, 'sent')))
      .returning({ id: emailDeliveries.id, channel: emailDeliveries.channel, lastError: emailDeliveries.lastError });
    for (const f of failed) {
      deps.logger.error(`${f.channel} delivery failed for good; listed for an admin retry`, { deliveryId: f.id, error: f.lastError });
    }
  });
