import { sql } from 'drizzle-orm';
import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['customer', 'seller', 'admin']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored normalised (trimmed, lower-case); unique among live accounts. Null for an account made by phone sign-in. */
    email: text('email'),
    name: text('name').notNull(),
    /** Null for an account made by phone sign-in until it adds an email and password. */
    passwordHash: text('password_hash'),
    role: userRole('role').notNull().default('customer'),
    disabled: boolean('disabled').notNull().default(false),
    phone: text('phone'),
    locale: text('locale'),
    /** Set when `phone` was proved by an SMS code: it then signs in, and no other live account holds it verified. */
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true, mode: 'date' }),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('users_email_live_key').on(t.email).where(sql`${t.deletedAt} is null`),
    uniqueIndex('users_verified_phone_key').on(t.phone).where(sql`${t.phoneVerifiedAt} is not null and ${t.deletedAt} is null`),
    // Role filters, and analytics' new customers over a range of sign-up dates.
    index('users_role_created_idx').on(t.role, t.createdAt),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
