import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Shipping addresses. The fields fit Uzbekistan (viloyat, tuman, mahalla,
 * landmark — deliveries there often go by landmark) and anywhere else.
 */
export const addresses = pgTable(
  'addresses',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    recipientName: text('recipient_name').notNull(),
    phone: text('phone').notNull(),
    country: text('country').notNull(),
    region: text('region'),
    /** ISO 3166-2 code for UZ (shared/regions.ts), free text elsewhere; shipping zones match on it. */
    regionCode: text('region_code'),
    district: text('district'),
    city: text('city').notNull(),
    mahalla: text('mahalla'),
    street: text('street').notNull(),
    house: text('house'),
    apartment: text('apartment'),
    postalCode: text('postal_code'),
    landmark: text('landmark'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('addresses_user_idx').on(t.userId, t.id),
    // At most one default per user, enforced by the database.
    uniqueIndex('addresses_one_default_key').on(t.userId).where(sql`${t.isDefault}`),
  ],
);

export type Address = typeof addresses.$inferSelect;
