import { sql } from 'drizzle-orm';
import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['customer', 'seller', 'admin']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored normalised (trimmed, lower-case); unique among live accounts. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('customer'),
    disabled: boolean('disabled').notNull().default(false),
    phone: text('phone'),
    locale: text('locale'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('users_email_live_key').on(t.email).where(sql`${t.deletedAt} is null`),
    // Role filters, and analytics' new customers over a range of sign-up dates.
    index('users_role_created_idx').on(t.role, t.createdAt),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
