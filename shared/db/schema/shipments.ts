import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orderItems, orders, sellerOrders } from './orders';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const SHIPMENT_STATUSES = ['shipped', 'delivered'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const shipmentStatus = pgEnum('shipment_status', SHIPMENT_STATUSES);

/**
 * One parcel of a seller order: which lines and how many units, with the
 * carrier's tracking. A seller order is shipped in one or more of them
 * (docs/marketplace.md).
 */
export const shipments = pgTable(
  'shipments',
  {
    id: uuid('id').primaryKey(),
    sellerOrderId: uuid('seller_order_id')
      .notNull()
      .references(() => sellerOrders.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    status: shipmentStatus('status').notNull().default('shipped'),
    carrier: text('carrier').notNull(),
    /** Null only for a parcel recorded through the legacy `PUT /orders/{id}/status` (no tracking given). */
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    createdBy: text('created_by').notNull(),
    shippedAt: ts('shipped_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
    /** A parcel to a pickup point: when it was ready there for the buyer (set once; docs/marketplace.md). */
    readyForPickupAt: ts('ready_for_pickup_at'),
  },
  (t) => [index('shipments_seller_order_idx').on(t.sellerOrderId, t.id), index('shipments_order_idx').on(t.orderId)],
);

/** The units of one order line in one shipment. */
export const shipmentItems = pgTable(
  'shipment_items',
  {
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    uniqueIndex('shipment_items_key').on(t.shipmentId, t.orderItemId),
    index('shipment_items_order_item_idx').on(t.orderItemId),
    check('shipment_items_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export type Shipment = typeof shipments.$inferSelect;
