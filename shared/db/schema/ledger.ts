import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orders, refundAllocations, sellerOrders } from './orders';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/** Per-seller settings an admin sets; today the commission override. */
export const sellerSettings = pgTable(
  'seller_settings',
  {
    sellerId: uuid('seller_id')
      .primaryKey()
      .references(() => users.id),
    /** Overrides the category and default commission, in basis points; null = no override. */
    commissionBps: integer('commission_bps'),
    /** Whether the seller pays VAT: false = a turnover-tax seller, whose lines carry 0% VAT (docs/vat-and-receipts.md). */
    vatPayer: boolean('vat_payer').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('seller_settings_commission_bps_range', sql`${t.commissionBps} between 0 and 10000`)],
);

export const LEDGER_ENTRY_KINDS = ['sale', 'commission', 'refund', 'commission_refund', 'payout', 'promotion_subsidy', 'promotion_subsidy_refund'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];
export const ledgerEntryKind = pgEnum('ledger_entry_kind', LEDGER_ENTRY_KINDS);

/** Money the platform paid out to a seller (created by an admin). */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    /** The bank transfer's reference, as the admin typed it. */
    reference: text('reference').notNull(),
    createdBy: uuid('created_by').notNull(),
    /** The Idempotency-Key it was created with: a retry finds this payout even if Redis forgot the key. */
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payouts_idempotency_key').on(t.createdBy, t.idempotencyKey),
    index('payouts_seller_idx').on(t.sellerId, t.id),
    check('payouts_amount_positive', sql`${t.amount} > 0`),
  ],
);

/**
 * Append-only: what the platform owes each seller, per currency. Derived
 * from the facts (paid seller orders, refund allocations, payouts) by
 * `postLedger`; every row has a unique `key` naming the fact it books, so a
 * fact is booked once however often it is posted.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id').primaryKey(),
    /** `sale:<sellerOrderId>`, `commission:<sellerOrderId>`, `refund:<allocationId>`, `commission_refund:<allocationId>`, `payout:<payoutId>`. */
    key: text('key').notNull(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    currency: text('currency').notNull(),
    /** Signed, in minor units: positive is owed to the seller. */
    amount: money('amount').notNull(),
    kind: ledgerEntryKind('kind').notNull(),
    orderId: uuid('order_id').references(() => orders.id),
    sellerOrderId: uuid('seller_order_id').references(() => sellerOrders.id),
    refundAllocationId: uuid('refund_allocation_id').references(() => refundAllocations.id),
    payoutId: uuid('payout_id').references(() => payouts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_entries_key').on(t.key),
    index('ledger_entries_seller_idx').on(t.sellerId, t.id),
    index('ledger_entries_order_idx').on(t.orderId),
    index('ledger_entries_seller_order_idx').on(t.sellerOrderId),
  ],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type Payout = typeof payouts.$inferSelect;
