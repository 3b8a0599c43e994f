import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orders } from './orders';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });
const ms = (name: string) => bigint(name, { mode: 'number' });

/**
 * The provider's transactions for the payments whose truth lives here (Payme,
 * Click, cash on delivery; docs/payments-uzbekistan.md). A payment's state
 * (received, refunded, pending) is computed from these rows and
 * `provider_refunds` by workers/payments/local-gateway.ts.
 *
 * States follow Payme's numbering for every provider: 1 created (Payme) or
 * prepared (Click) or awaiting collection (cash), 2 performed / completed /
 * collected, -1 cancelled before it was performed, -2 cancelled after (the
 * money went back).
 */
export const providerTransactions = pgTable(
  'provider_transactions',
  {
    id: uuid('id').primaryKey(),
    provider: text('provider').notNull(),
    /** The provider's id for the transaction: Payme's transaction id, Click's click_trans_id. */
    externalId: text('external_id').notNull(),
    /** Our payment id (`payme_…`, `click_…`, `cash_…`), as in `payments.payment_intent_id`. */
    paymentId: text('payment_id').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** Minor units (tiyin). */
    amount: money('amount').notNull(),
    state: integer('state').notNull(),
    /** Milliseconds since the epoch, as Payme reports them. */
    createTime: ms('create_time').notNull(),
    performTime: ms('perform_time').notNull().default(0),
    cancelTime: ms('cancel_time').notNull().default(0),
    /** Why it was cancelled (Payme's reason codes; Click's error code). */
    reason: integer('reason'),
    /** The provider's own time for the transaction (Payme's `time`). */
    providerTime: ms('provider_time'),
    /** Whatever else the provider sent that we keep (Click's paydoc id, Payme's fiscal data). */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('provider_transactions_external_key').on(t.provider, t.externalId),
    // One transaction in progress per order and provider (Payme: a second is refused while the first is pending).
    uniqueIndex('provider_transactions_one_pending').on(t.provider, t.orderId).where(sql`${t.state} = 1`),
    index('provider_transactions_payment_idx').on(t.paymentId),
    // Payme's GetStatement: transactions by creation time.
    index('provider_transactions_time_idx').on(t.provider, t.createTime),
  ],
);

/**
 * Money given back on a payment whose truth lives here: through the
 * provider's API where it has one (`api`: Click's reversal), or paid back by
 * the operator (`manual`: Payme refunds made in its cabinet, partial
 * refunds, cash). One row per idempotency key: a retried refund books once.
 */
export const providerRefunds = pgTable(
  'provider_refunds',
  {
    id: uuid('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    amount: money('amount').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    method: text('method').notNull(),
    externalId: text('external_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('provider_refunds_key').on(t.idempotencyKey), index('provider_refunds_payment_idx').on(t.paymentId)],
);

export type ProviderTransaction = typeof providerTransactions.$inferSelect;
