import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A shopper's wished variants (docs/wishlists.md): one row per (user, SKU).
 * No foreign key to the variant: a SKU removed from its product leaves the
 * item in place, listed as unavailable, rather than blocking the catalog edit.
 *
 * `priceFloor` and `lastInStock` make notifications fire once per change: a
 * price drop is told only below the lowest price already told (or the price
 * when added), and "back in stock" only when the item was last seen out of it.
 */
export const wishlistItems = pgTable(
  'wishlist_items',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    /** Whether price drops and restocks of this item notify its owner. */
    notify: boolean('notify').notNull().default(true),
    /** The price (minor units) a drop is measured against: the price when added, then each price told. */
    priceFloor: bigint('price_floor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** The stock state last seen for this item (when added, then at each stock flip of its SKU). */
    lastInStock: boolean('last_in_stock').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('wishlist_items_user_sku_key').on(t.userId, t.sku),
    index('wishlist_items_user_idx').on(t.userId, t.id),
    index('wishlist_items_sku_idx').on(t.sku),
  ],
);

export type WishlistItem = typeof wishlistItems.$inferSelect;
