import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One SMS code sent to a phone (docs/auth.md, "Phone sign-in"). The code is
 * kept only as an HMAC; `attempts` counts tries, `usedAt` makes it single
 * use. `purpose` is `sign_in` (anyone) or `add_phone` (`userId` asked for it).
 */
export const phoneChallenges = pgTable(
  'phone_challenges',
  {
    id: uuid('id').primaryKey(),
    phone: text('phone').notNull(),
    purpose: text('purpose', { enum: ['sign_in', 'add_phone'] }).notNull(),
    userId: uuid('user_id').references(() => users.id),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('phone_challenges_phone_idx').on(t.phone, t.purpose).where(sql`${t.usedAt} is null`)],
);

export type PhoneChallenge = typeof phoneChallenges.$inferSelect;
