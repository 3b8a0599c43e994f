import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/** What a promotion gives (docs/promotions.md). */
export const PROMOTION_KINDS = ['percentage', 'fixed_amount', 'free_shipping', 'buy_x_get_y', 'tiered'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];
export const promotionKind = pgEnum('promotion_kind', PROMOTION_KINDS);

/** `automatic`: applies whenever its rule matches; `code`: only when the buyer enters one of its codes. */
export const PROMOTION_ACTIVATIONS = ['automatic', 'code'] as const;
export type PromotionActivation = (typeof PROMOTION_ACTIVATIONS)[number];
export const promotionActivation = pgEnum('promotion_activation', PROMOTION_ACTIVATIONS);

/** `paused` and `archived` never apply; `archived` is what DELETE leaves (orders keep pointing at it). */
export const PROMOTION_STATUSES = ['active', 'paused', 'archived'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];
export const promotionStatus = pgEnum('promotion_status', PROMOTION_STATUSES);

/** Kind-specific parameters, amounts in the promotion's currency (minor units). */
export type PromotionParams =
  | { kind: 'percentage'; percent: number; maxDiscount?: number | null }
  | { kind: 'fixed_amount'; amount: number }
  | { kind: 'free_shipping' }
  | {
      kind: 'buy_x_get_y';
      buyQuantity: number;
      getQuantity: number;
      /** The products given; empty: the cheapest of the targeted units themselves. */
      rewardProductIds: string[];
      /** Share of each rewarded unit taken off, 1..100 (100 = free). */
      rewardPercent: number;
      /** At most this many rewards per order; null = as many as the cart earns. */
      maxApplications?: number | null;
    }
  | { kind: 'tiered'; tiers: Array<{ minSubtotal: number; amount: number }> };

/** Who a promotion reaches; an empty list does not restrict. Categories match with their descendants. */
export interface PromotionTargets {
  productIds: string[];
  categoryIds: string[];
  sellerIds: string[];
  customerIds: string[];
}

/**
 * A promotion: its rule, window, stacking and limits. Funded by the platform
 * (seller_id null) or by one seller (seller_id), who then reaches only its own
 * products. Redemption counts live with checkout (migration 0015); the limits
 * live here.
 */
export const promotions = pgTable(
  'promotions',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    kind: promotionKind('kind').notNull(),
    activation: promotionActivation('activation').notNull(),
    status: promotionStatus('status').notNull().default('active'),
    /** The funding seller; null = the platform funds it. */
    sellerId: uuid('seller_id').references(() => users.id),
    /** The cart currency it applies to and its amounts are in; null = any (percentage, free shipping, buy X get Y without amounts). */
    currency: text('currency'),
    params: jsonb('params').$type<PromotionParams>().notNull(),
    targets: jsonb('targets').$type<PromotionTargets>().notNull(),
    minSubtotal: money('min_subtotal'),
    minQuantity: integer('min_quantity'),
    firstOrderOnly: boolean('first_order_only').notNull().default(false),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    exclusive: boolean('exclusive').notNull().default(false),
    /** Higher applies earlier within its stage (docs/promotions.md, application order). */
    priority: integer('priority').notNull().default(0),
    /** Redemptions in total; null = unlimited. */
    usageLimit: integer('usage_limit'),
    /** Redemptions per customer; null = unlimited. */
    perCustomerLimit: integer('per_customer_limit'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('promotions_seller_idx').on(t.sellerId, t.id),
    index('promotions_automatic_idx')
      .on(t.startsAt)
      .where(sql`${t.activation} = 'automatic' and ${t.status} = 'active'`),
    check('promotions_window', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
    check('promotions_limits', sql`(${t.usageLimit} is null or ${t.usageLimit} > 0) and (${t.perCustomerLimit} is null or ${t.perCustomerLimit} > 0)`),
    check('promotions_minimums', sql`(${t.minSubtotal} is null or ${t.minSubtotal} >= 0) and (${t.minQuantity} is null or ${t.minQuantity} > 0)`),
  ],
);

/** A code that activates a promotion: stored upper-case, unique across all promotions. */
export const promotionCodes = pgTable(
  'promotion_codes',
  {
    id: uuid('id').primaryKey(),
    promotionId: uuid('promotion_id')
      .notNull()
      .references(() => promotions.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    /** Redemptions of this code; null = only the promotion's limits. */
    usageLimit: integer('usage_limit'),
    /** The bulk generation it came from (null: added by hand). */
    batchId: uuid('batch_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('promotion_codes_code_key').on(t.code),
    index('promotion_codes_promotion_idx').on(t.promotionId, t.id),
    check('promotion_codes_format', sql`${t.code} ~ '^[A-Z0-9][A-Z0-9_-]{2,39}$'`),
    check('promotion_codes_limit', sql`${t.usageLimit} is null or ${t.usageLimit} > 0`),
  ],
);

export type Promotion = typeof promotions.$inferSelect;
export type PromotionCode = typeof promotionCodes.$inferSelect;
