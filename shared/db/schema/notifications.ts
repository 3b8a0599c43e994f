import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * In-app notifications: one row per (event, recipient). The unique key makes
 * a redelivered queue message a no-op.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_event_user_key').on(t.eventId, t.userId),
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_unread_idx').on(t.userId, t.id).where(sql`${t.readAt} is null`),
  ],
);

export const emailDeliveryStatus = pgEnum('email_delivery_status', ['pending', 'sent', 'failed']);

/**
 * One email or SMS per (event, template): its rendering, where it went and how
 * delivery went. `failed` rows are what the dead-letter queue left behind; an
 * admin can send them again. SMS rows (`channel` 'sms', template `sms:<kind>`)
 * hold the phone in `to_address` and the provider's delivery report.
 */
export const emailDeliveries = pgTable(
  'email_deliveries',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    userId: uuid('user_id'),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    status: emailDeliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
    failedAt: ts('failed_at'),
    channel: text('channel').$type<'email' | 'sms'>().notNull().default('email'),
    /** The provider's last delivery report (Eskiz: DELIVRD, UNDELIV, REJECTD, EXPIRED…). */
    reportStatus: text('report_status'),
    reportedAt: ts('reported_at'),
  },
  (t) => [
    uniqueIndex('email_deliveries_event_template_key').on(t.eventId, t.template),
    index('email_deliveries_failed_idx').on(t.id).where(sql`${t.status} = 'failed'`),
    index('email_deliveries_provider_message_idx').on(t.providerMessageId).where(sql`${t.channel} = 'sms'`),
    check('email_deliveries_channel_check', sql`${t.channel} in ('email', 'sms')`),
  ],
);

/** Development only: the local email outbox (`GET /api/v1/dev/outbox`), what a real provider would have sent. */
export const devEmails = pgTable(
  'dev_emails',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id'),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('dev_emails_to_idx').on(t.toAddress, t.id)],
);
