import { sql, type SQL } from 'drizzle-orm';
import type { CartKey } from '../../durable-objects/cart-client';
import type { Deps } from '../../shared/context';
import { orderItems, orders, productVariants, users } from '../../shared/db/schema';
import { PurchaseLimitExceeded, UnitLimitExceeded } from '../../shared/errors';
import type { CatalogEntry } from './pricing';

/**
 * Anti-hoarding limits (docs/cart-and-inventory.md): one customer may hold at
 * most MAX_UNITS_PER_SKU units of a SKU in its cart and unpaid orders
 * together, and at most a product's `purchaseLimit` over its orders that are
 * not cancelled. Checked when a line grows and again at checkout.
 */

/** Unpaid orders that still hold stock: an expired one is being swept and holds nothing. */
export const holdingStock = sql`o.status = 'pending_payment' and o.reservation_expires_at > now()`;
/** Orders a purchase limit counts: every order but a cancelled one (an expired unpaid order is about to be). */
export const countedPurchase = sql`o.status <> 'cancelled' and not (o.status = 'pending_payment' and o.reservation_expires_at <= now())`;

const jsonList = (values: string[]): SQL => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

export interface Holdings {
  emailVerified: boolean;
  /** Unpaid orders still holding stock, cash orders aside (they wait for delivery, not for a payment). */
  unpaidOrders: number;
  /** Cash-on-delivery orders not yet collected nor cancelled (docs/cash-on-delivery.md). */
  openCashOrders: number;
  /** Units per SKU in those orders. */
  unpaidUnits: Record<string, number>;
  /** Units per product id over the orders a purchase limit counts. */
  bought: Record<string, number>;
}

/**
 * What a customer already holds and has bought of these SKUs (and their
 * products), as one json expression a caller's statement can carry (checkout
 * reads it with the catalog: no round trip of its own); `holdingsFrom` reads
 * its answer.
 */
export function holdingsJson(userId: string, skus: string[]): SQL {
  return sql`json_build_object(
      'verified', (select u.email_verified_at is not null or u.phone_verified_at is not null from ${users} u where u.id = ${userId}),
      'unpaidOrders', (select count(*)::int from ${orders} o where o.user_id = ${userId} and ${holdingStock} and o.payment_provider <> 'cash'),
      'openCashOrders', (select count(*)::int from ${orders} o where o.user_id = ${userId} and o.status = 'pending_payment' and o.payment_provider = 'cash'),
      'unpaidUnits', coalesce((select json_object_agg(s.sku, s.n) from (
        select i.sku, sum(i.quantity)::int n from ${orderItems} i join ${orders} o on o.id = i.order_id
        where o.user_id = ${userId} and ${holdingStock} and i.sku in ${jsonList(skus)} group by i.sku) s), '{}'::json),
      'bought', coalesce((select json_object_agg(b.product_id, b.n) from (
        select i.product_id, sum(i.quantity)::int n from ${orderItems} i join ${orders} o on o.id = i.order_id
        where o.user_id = ${userId} and ${countedPurchase}
          and i.product_id in (select v.product_id from ${productVariants} v where v.sku in ${jsonList(skus)}) group by i.product_id) b), '{}'::json))`;
}

/** The answer of `holdingsJson`. */
export function holdingsFrom(value: unknown): Holdings {
  const row = (value ?? {}) as { verified?: boolean | null; unpaidOrders?: number; openCashOrders?: number; unpaidUnits?: Record<string, number>; bought?: Record<string, number> };
  return {
    emailVerified: row.verified === true,
    unpaidOrders: Number(row.unpaidOrders ?? 0),
    openCashOrders: Number(row.openCashOrders ?? 0),
    unpaidUnits: row.unpaidUnits ?? {},
    bought: row.bought ?? {},
  };
}

/**
 * Whether a cart line of `entry` may grow to `quantity` units. A signed-in
 * customer's units already in unpaid orders (and, for a purchase limit, in
 * its orders and the product's other cart lines) count too. An anonymous cart
 * has no customer yet: only the purchase limit applies, to the line alone;
 * checkout, which needs a customer, checks everything again.
 */
export async function assertMayHold(
  deps: Deps,
  key: CartKey,
  entry: CatalogEntry,
  otherLines: Array<{ sku: string; quantity: number }>,
  quantity: number,
): Promise<void> {
  const unitCap = deps.config.MAX_UNITS_PER_SKU;
  const { purchaseLimit } = entry;
  if (key.kind === 'anon') {
    if (purchaseLimit !== null && quantity > purchaseLimit) throw new PurchaseLimitExceeded(entry.sku, entry.productId, purchaseLimit, 0);
    return;
  }
  if (!unitCap && purchaseLimit === null) return;
  const userId = key.userId;
  const others = otherLines.filter((l) => l.sku !== entry.sku);
  const rows = await deps.db.execute<{ unpaid: number; bought: number; in_cart: number }>(sql`
    select
      (select coalesce(sum(i.quantity), 0)::int from ${orderItems} i join ${orders} o on o.id = i.order_id
        where o.user_id = ${userId} and ${holdingStock} and i.sku = ${entry.sku}) as unpaid,
      (select coalesce(sum(i.quantity), 0)::int from ${orderItems} i join ${orders} o on o.id = i.order_id
        where o.user_id = ${userId} and ${countedPurchase} and i.product_id = ${entry.productId}::uuid) as bought,
      (select coalesce(sum(c.quantity), 0)::int from json_to_recordset(${JSON.stringify(others)}::json) as c(sku text, quantity int)
        join ${productVariants} v on v.sku = c.sku where v.product_id = ${entry.productId}::uuid) as in_cart`);
  const row = rows.rows[0];
  const unpaid = Number(row?.unpaid ?? 0);
  if (unitCap && unpaid + quantity > unitCap) throw new UnitLimitExceeded(entry.sku, unitCap, unpaid + quantity);
  if (purchaseLimit !== null) {
    const bought = Number(row?.bought ?? 0);
    if (bought + Number(row?.in_cart ?? 0) + quantity > purchaseLimit) {
      throw new PurchaseLimitExceeded(entry.sku, entry.productId, purchaseLimit, bought);
    }
  }
}
