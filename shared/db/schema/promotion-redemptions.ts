import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orderItems, orders, sellerOrders } from './orders';
import { promotions } from './promotions';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * Each promotion's share of an order line (or of a seller order's shipping), and who funds it:
 * the ledger pays a seller the platform-funded part (docs/promotions.md, "Cart, checkout and limits").
 */
export const orderLineDiscounts = pgTable(
  'order_line_discounts',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** The line; null for a shipping discount (then `target` is `shipping`). */
    orderItemId: uuid('order_item_id').references(() => orderItems.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    promotionId: uuid('promotion_id')
      .notNull()
      .references(() => promotions.id),
    codeId: uuid('code_id'),
    target: text('target').$type<'line' | 'shipping'>().notNull(),
    fundedBy: text('funded_by').$type<'platform' | 'seller'>().notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('order_line_discounts_order_idx').on(t.orderId),
    index('order_line_discounts_promotion_idx').on(t.promotionId),
    check('order_line_discounts_target', sql`${t.target} in ('line', 'shipping')`),
    check('order_line_discounts_funded_by', sql`${t.fundedBy} in ('platform', 'seller')`),
    check('order_line_discounts_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** One claim of a promotion's uses by an order; `(order, promotion)` is its idempotency id. */
export interface UsageClaim {
  scope: string;
  limit: number | null;
  promotionId: string;
  reason: 'limit_reached';
}

/**
 * A promotion used by an order. Its `claims` are the usage scopes it counted (`promotion_usage`);
 * `releasedAt` is set, once, when the order is cancelled unpaid or expires, and those counts go back.
 */
export const promotionRedemptions = pgTable(
  'promotion_redemptions',
  {
    id: uuid('id').primaryKey(),
    promotionId: uuid('promotion_id')
      .notNull()
      .references(() => promotions.id),
    codeId: uuid('code_id'),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    discount: money('discount').notNull(),
    currency: text('currency').notNull(),
    claims: jsonb('claims').$type<UsageClaim[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    releasedAt: ts('released_at'),
  },
  (t) => [
    uniqueIndex('promotion_redemptions_order_promotion_key').on(t.orderId, t.promotionId),
    index('promotion_redemptions_promotion_idx').on(t.promotionId, t.createdAt),
    index('promotion_redemptions_user_idx').on(t.userId, t.promotionId),
  ],
);

/**
 * Uses counted per scope (`promotion:<id>`, `code:<id>`, `customer:<promotionId>:<userId>`), raised only
 * by the migration's `claim_promotion_usage()` under each scope's limit and lowered by a release.
 */
export const promotionUsage = pgTable(
  'promotion_usage',
  {
    scope: text('scope').primaryKey(),
    used: integer('used').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('promotion_usage_used_not_negative', sql`${t.used} >= 0`)],
);
