import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Names a person reads, in every locale (DESIGN §7: uz default, ru and en alongside). */
export interface LocalizedNames {
  uz: string;
  ru: string;
  en: string;
}

/**
 * A price rule of one method in one zone, in the method's currency (minor units):
 * a flat amount, or by the seller group's weight (the first band whose
 * `upToGrams` the weight does not exceed). `freeAbove`: free when the group's
 * subtotal is at least this.
 */
export type RateRule =
  | { type: 'flat'; amount: number; freeAbove?: number | null }
  | { type: 'weight'; bands: Array<{ upToGrams: number; amount: number }>; freeAbove?: number | null };

/** A set of places the platform ships to: a country, or some of its regions (empty = the whole country). */
export const shippingZones = pgTable(
  'shipping_zones',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    country: text('country').notNull(),
    regionCodes: text('region_codes').array().notNull().default(sql`'{}'::text[]`),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('shipping_zones_country_idx').on(t.country, t.id)],
);

export const SHIPPING_METHOD_KINDS = ['courier', 'post', 'pickup'] as const;
export type ShippingMethodKind = (typeof SHIPPING_METHOD_KINDS)[number];
export const shippingMethodKind = pgEnum('shipping_method_kind', SHIPPING_METHOD_KINDS);

/** A way to deliver: the platform's (seller_id null) or one seller's own. */
export const shippingMethods = pgTable(
  'shipping_methods',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id').references(() => users.id),
    kind: shippingMethodKind('kind').notNull(),
    names: jsonb('names').$type<LocalizedNames>().notNull(),
    currency: text('currency').notNull(),
    minDays: integer('min_days').notNull(),
    maxDays: integer('max_days').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('shipping_methods_seller_idx').on(t.sellerId, t.id),
    check('shipping_methods_days', sql`${t.minDays} >= 0 and ${t.maxDays} >= ${t.minDays}`),
  ],
);

/** A method's price in one zone; one rate per (method, zone). */
export const shippingRates = pgTable(
  'shipping_rates',
  {
    id: uuid('id').primaryKey(),
    methodId: uuid('method_id')
      .notNull()
      .references(() => shippingMethods.id, { onDelete: 'cascade' }),
    zoneId: uuid('zone_id')
      .notNull()
      .references(() => shippingZones.id),
    rule: jsonb('rule').$type<RateRule>().notNull(),
  },
  (t) => [uniqueIndex('shipping_rates_method_zone_key').on(t.methodId, t.zoneId), index('shipping_rates_zone_idx').on(t.zoneId)],
);

/** Where a buyer collects a parcel: the platform's (seller_id null, for its pickup methods) or a seller's. */
export const pickupPoints = pgTable(
  'pickup_points',
  {
    id: uuid('id').primaryKey(),
    sellerId: uuid('seller_id').references(() => users.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    country: text('country').notNull(),
    regionCode: text('region_code').notNull(),
    hours: text('hours').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('pickup_points_seller_idx').on(t.sellerId, t.id), index('pickup_points_region_idx').on(t.country, t.regionCode)],
);

export type ShippingZone = typeof shippingZones.$inferSelect;
export type ShippingMethod = typeof shippingMethods.$inferSelect;
export type PickupPoint = typeof pickupPoints.$inferSelect;
