import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { products } from './catalog';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The seller's one answer to a review: a small document, written once. */
export interface ReviewReply {
  body: string;
  sellerId: string;
  createdAt: string;
}

/**
 * A buyer's review of a product it received (docs/reviews.md): one per product
 * per buyer. A hidden review (an admin's decision, with a reason its author
 * is shown) leaves public lists and the product's rating.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** The product's seller when the review was written: who may reply, and whose rating it counts in. */
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    stars: smallint('stars').notNull(),
    /** Stored exactly as sent and answered as JSON data: clients escape it (docs/reviews.md). */
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Public image files the author uploaded (POST /files). */
    photoFileIds: uuid('photo_file_ids').array().notNull().default([]),
    /** "Helpful" votes, one per user (review_votes), counted in the vote's transaction. */
    helpfulCount: integer('helpful_count').notNull().default(0),
    reply: jsonb('reply').$type<ReviewReply>(),
    hiddenAt: ts('hidden_at'),
    hiddenReason: text('hidden_reason'),
    hiddenBy: uuid('hidden_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    editedAt: ts('edited_at'),
  },
  (t) => [
    uniqueIndex('reviews_product_author_key').on(t.productId, t.authorId),
    index('reviews_product_newest_idx').on(t.productId, t.id).where(sql`${t.hiddenAt} is null`),
    index('reviews_product_helpful_idx').on(t.productId, t.helpfulCount, t.id).where(sql`${t.hiddenAt} is null`),
    index('reviews_author_idx').on(t.authorId, t.id),
    index('reviews_seller_idx').on(t.sellerId, t.id),
    check('reviews_stars_range', sql`${t.stars} between 1 and 5`),
    check('reviews_hidden_has_reason', sql`(${t.hiddenAt} is null) = (${t.hiddenReason} is null)`),
  ],
);

/** One "helpful" vote per user per review. */
export const reviewVotes = pgTable(
  'review_votes',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] }), index('review_votes_user_idx').on(t.userId)],
);

/** Someone (anonymous too) flagged a review for the admins. */
export const reviewReports = pgTable(
  'review_reports',
  {
    id: uuid('id').primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id),
    reporterId: uuid('reporter_id').references(() => users.id),
    reason: text('reason').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('review_reports_review_idx').on(t.reviewId, t.createdAt)],
);
