import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orderItems, orders, sellerOrders } from './orders';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/** A return's machine (docs/returns.md): requested → approved | rejected; approved → received → refunded. */
export const RETURN_STATUSES = ['requested', 'approved', 'rejected', 'received', 'refunded'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export const returnStatus = pgEnum('return_status', RETURN_STATUSES);

/** A buyer's request to send back delivered lines of one seller order. */
export const returns = pgTable(
  'returns',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    /** The seller order's seller (who approves, receives and refunds). */
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    /** The buyer who asked. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: returnStatus('status').notNull().default('requested'),
    reason: text('reason').notNull(),
    /** Files the buyer uploaded (POST /files) showing the goods. */
    photoFileIds: uuid('photo_file_ids').array().notNull().default([]),
    rejectReason: text('reject_reason'),
    currency: text('currency').notNull(),
    /** Fixed when the refund step is claimed (the seller order row locked), so a resumed step refunds the same amount. */
    refundAmount: money('refund_amount'),
    /** What the provider actually refunded (never more than the payment still held). */
    refundedAmount: money('refunded_amount'),
    /** Set by the one call that claims the refund step; a claim older than a few minutes may be resumed. */
    refundClaimedAt: ts('refund_claimed_at'),
    approvedAt: ts('approved_at'),
    rejectedAt: ts('rejected_at'),
    receivedAt: ts('received_at'),
    refundedAt: ts('refunded_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('returns_user_idx').on(t.userId, t.id),
    index('returns_seller_idx').on(t.sellerId, t.id),
    index('returns_order_idx').on(t.orderId),
    index('returns_seller_order_idx').on(t.sellerOrderId),
  ],
);

/** The lines (and units) a return sends back, and what the seller found on receipt. */
export const returnItems = pgTable(
  'return_items',
  {
    id: uuid('id').primaryKey(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => returns.id),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    /** Set on receipt: whether the units go back on the shelf. */
    restockable: boolean('restockable'),
    /** When the units went back to the SKU's InventoryDO (once, keyed by this row's id). */
    restockedAt: ts('restocked_at'),
  },
  (t) => [uniqueIndex('return_items_return_line_key').on(t.returnId, t.orderItemId), index('return_items_order_item_idx').on(t.orderItemId)],
);

/** Every status change of a return, with who made it and when. */
export const returnEvents = pgTable(
  'return_events',
  {
    id: uuid('id').primaryKey(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => returns.id),
    fromStatus: returnStatus('from_status'),
    toStatus: returnStatus('to_status').notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('return_events_return_idx').on(t.returnId, t.at)],
);

export type ReturnRow = typeof returns.$inferSelect;
export type ReturnItemRow = typeof returnItems.$inferSelect;
