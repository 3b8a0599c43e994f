import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
  /** Derived: some seller orders shipped (or delivered), others not yet. */
  'partially_shipped',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const orderStatus = pgEnum('order_status', ORDER_STATUSES);

/** A seller order's own status (docs/marketplace.md has the machine). */
export const SELLER_ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;
export type SellerOrderStatus = (typeof SELLER_ORDER_STATUSES)[number];
export const sellerOrderStatus = pgEnum('seller_order_status', SELLER_ORDER_STATUSES);

/** The shipping method chosen for a seller order, as it was when the order was placed. */
export interface ShippingChoiceSnapshot {
  methodId: string;
  kind: 'courier' | 'post' | 'pickup';
  name: string;
  /** The method's name in every locale (uz, ru, en). */
  names?: { uz: string; ru: string; en: string };
  minDays: number;
  maxDays: number;
  pickupPoint?: { id: string; name: string; address: string; regionCode: string; hours: string } | null;
}

export interface ShippingAddress {
  recipientName: string;
  phone: string;
  country: string;
  region?: string | null;
  regionCode?: string | null;
  district?: string | null;
  city: string;
  mahalla?: string | null;
  street: string;
  house?: string | null;
  apartment?: string | null;
  postalCode?: string | null;
  landmark?: string | null;
}

/** Prices, tax and shipping are fixed here when the order is placed. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    /** What a person reads over the phone: `UM-<year>-<6+ digits>`, unique per deployment (migration 0010's next_order_number()). */
    number: text('number')
      .notNull()
      .default(sql`next_order_number()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: orderStatus('status').notNull().default('pending_payment'),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    tax: money('tax').notNull(),
    shipping: money('shipping').notNull(),
    total: money('total').notNull(),
    /** The promotions' discount on the order (lines and shipping); `subtotal`, `shipping` and `total` are after it. */
    discount: money('discount').notNull().default(0),
    refundedAmount: money('refunded_amount').notNull().default(0),
    /** Whether the prices (and total) include the tax, as the deployment said at checkout (PRICES_INCLUDE_TAX). */
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(false),
    /** The standard VAT rate at checkout in basis points (shipping's rate); null on orders placed before it was kept. */
    taxRateBps: integer('tax_rate_bps'),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>().notNull(),
    paymentIntentId: text('payment_intent_id'),
    /** Who the buyer pays: stripe, payme, click or cash (docs/payments-uzbekistan.md). */
    paymentProvider: text('payment_provider').notNull().default('stripe'),
    idempotencyKey: text('idempotency_key'),
    reservationExpiresAt: ts('reservation_expires_at').notNull(),
    paidAt: ts('paid_at'),
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_number_key').on(t.number),
    index('orders_user_idx').on(t.userId, t.id),
    index('orders_status_idx').on(t.status, t.id),
    uniqueIndex('orders_payment_intent_key').on(t.paymentIntentId),
    // Belt and braces for Idempotency-Key: one order per key per user even if Redis forgot the key.
    uniqueIndex('orders_idempotency_key').on(t.userId, t.idempotencyKey),
    index('orders_expiry_idx').on(t.reservationExpiresAt).where(sql`${t.status} = 'pending_payment'`),
    // Analytics: revenue over a range of payment dates.
    index('orders_paid_at_idx').on(t.paidAt).where(sql`${t.paidAt} is not null`),
  ],
);

/**
 * One per seller in an order: its lines, amounts, shipping and status. The
 * order's own status is derived from its seller orders.
 */
export const sellerOrders = pgTable(
  'seller_orders',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    status: sellerOrderStatus('status').notNull().default('pending_payment'),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    tax: money('tax').notNull(),
    shipping: money('shipping').notNull(),
    total: money('total').notNull(),
    refundedAmount: money('refunded_amount').notNull().default(0),
    /** The shipping method and pickup point chosen at checkout (null for orders placed before shipping methods). */
    shippingMethodId: uuid('shipping_method_id'),
    shippingChoice: jsonb('shipping_choice').$type<ShippingChoiceSnapshot>(),
    /** The VAT in this seller order's shipping (part of `tax`); 0 when prices exclude tax; null on orders placed before it was kept. */
    shippingVat: money('shipping_vat'),
    /** The platform's commission, fixed when the order is placed. */
    commissionBps: integer('commission_bps').notNull().default(0),
    commission: money('commission').notNull().default(0),
    /** The promotions' discount on this seller order's lines and shipping (its `subtotal`/`shipping` are after it). */
    discount: money('discount').notNull().default(0),
    /** The part of `discount` the platform funds: paid to the seller by the ledger's `promotion_subsidy` (docs/ledger.md). */
    platformDiscount: money('platform_discount').notNull().default(0),
    paidAt: ts('paid_at'),
    shippedAt: ts('shipped_at'),
    deliveredAt: ts('delivered_at'),
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('seller_orders_order_seller_key').on(t.orderId, t.sellerId),
    // A seller's list, newest first, optionally by status.
    index('seller_orders_seller_idx').on(t.sellerId, t.id),
    index('seller_orders_seller_status_idx').on(t.sellerId, t.status, t.id),
  ],
);

/** Every status change of a seller order, with who made it and when. */
export const sellerOrderEvents = pgTable(
  'seller_order_events',
  {
    id: uuid('id').primaryKey(),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    fromStatus: sellerOrderStatus('from_status'),
    toStatus: sellerOrderStatus('to_status').notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('seller_order_events_seller_order_idx').on(t.sellerOrderId, t.at)],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    productId: uuid('product_id').notNull(),
    sellerId: uuid('seller_id').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    lineTotal: money('line_total').notNull(),
    /** The promotions' discount on this line (order_line_discounts has each); `lineTotal` is after it: what was paid. */
    discount: money('discount').notNull().default(0),
    currency: text('currency').notNull(),
    /** The InventoryDO reservation holding this line's units. */
    reservationId: text('reservation_id').notNull(),
    /** Fiscal data as it was at checkout (docs/vat-and-receipts.md): the product's MXIK and package codes. */
    mxik: text('mxik'),
    packageCode: text('package_code'),
    /** The line's VAT rate in basis points (1200 = 12%, 0 for a seller who is not a VAT payer); null on orders placed before VAT was kept per line. */
    vatBps: integer('vat_bps'),
    /** The line's VAT in minor units: contained in line_total when the order's prices include tax, else its share of the tax added on top. */
    vat: money('vat'),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    index('order_items_seller_idx').on(t.sellerId, t.orderId),
    index('order_items_product_idx').on(t.productId),
    index('order_items_seller_order_idx').on(t.sellerOrderId),
  ],
);

/** Every status change with who made it and when. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status').notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.at)],
);

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    userId: uuid('user_id').notNull(),
    provider: text('provider').notNull().default('stripe'),
    paymentIntentId: text('payment_intent_id').notNull(),
    status: text('status').notNull(),
    amount: money('amount').notNull(),
    amountReceived: money('amount_received').notNull().default(0),
    amountRefunded: money('amount_refunded').notNull().default(0),
    currency: text('currency').notNull(),
    lastError: text('last_error'),
    /**
     * Payme, Click, cash: when our side closed the payment (its order was
     * cancelled or expired); a provider call after that cannot pay it. Kept
     * apart from `status`, which follows the computed state.
     */
    closedAt: ts('closed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payments_intent_key').on(t.paymentIntentId), index('payments_order_idx').on(t.orderId), index('payments_user_idx').on(t.userId, t.id)],
);

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    providerRefundId: text('provider_refund_id').notNull(),
    amount: money('amount').notNull(),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refunds_provider_key').on(t.providerRefundId), index('refunds_payment_idx').on(t.paymentId)],
);

/**
 * Which seller orders a refund's money came from: every refund is split over
 * seller orders (a cancelled seller order or a return names its own; a refund
 * made at the provider is shared by what each seller order still holds). The
 * ledger books seller earnings back from these rows, once each.
 */
export const refundAllocations = pgTable(
  'refund_allocations',
  {
    id: uuid('id').primaryKey(),
    /** What caused it: `cancel:<sellerOrderId>`, `return:<returnId>`, `provider:<refundId>`, ... unique per seller order. */
    source: text('source').notNull(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    /** The provider's refund, when known (a refund seen only as a total on the payment has none). */
    providerRefundId: text('provider_refund_id'),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('refund_allocations_source_key').on(t.source, t.sellerOrderId),
    index('refund_allocations_order_idx').on(t.orderId),
    index('refund_allocations_seller_order_idx').on(t.sellerOrderId),
  ],
);

/** Stripe event ids already applied: a replayed event is a no-op. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
export type SellerOrder = typeof sellerOrders.$inferSelect;
export type Payment = typeof payments.$inferSelect;
