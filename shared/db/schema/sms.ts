import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A user's choice per notification kind and channel; no row → the kind's default (workers/notifications/preferences.ts). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    channel: text('channel').$type<'email' | 'sms' | 'in_app'>().notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'notification_preferences_pkey', columns: [t.userId, t.kind, t.channel] }),
    check('notification_preferences_channel_check', sql`${t.channel} in ('email', 'sms', 'in_app')`),
  ],
);

/** Development and tests only: the local SMS outbox (shared/sms/outbox.ts), what Eskiz would have sent. */
export const devSms = pgTable(
  'dev_sms',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id').notNull(),
    toPhone: text('to_phone').notNull(),
    text: text('text').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dev_sms_delivery_key').on(t.deliveryId), index('dev_sms_to_idx').on(t.toPhone, t.id)],
);
