import { sql } from 'drizzle-orm';
import { type Deps, runWithDeps } from '../../shared/context';
import { inventoryLevels, products, productVariants, wishlistItems } from '../../shared/db/schema';
import type { Bindings } from '../../shared/env';
import { parseDomainEvent, type NewDomainEvent } from '../../shared/events';
import { publishEvents, recordEvents } from '../../shared/outbox';
import type { QueueEvent } from '../../shared/queue';
import { PRODUCT_CHANGED } from '../products/public';

/** The stock mirror's trigger (durable-objects/inventory.ts), the other event this consumer reacts to besides `PRODUCT_CHANGED`. */
const STOCK_CHANGED = 'inventory.stock_changed';
export const TRIGGERS = [PRODUCT_CHANGED, STOCK_CHANGED] as const;

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

/**
 * Moves wishlist state and records one event per user to tell, in one
 * transaction: the state update is what makes a repeated or retried trigger a
 * no-op (its rows no longer match), and the events exist exactly when the
 * state moved. They reach the notifications consumer through the queue.
 */
async function fanOut(deps: Deps, move: (tx: Tx) => Promise<NewDomainEvent[]>): Promise<void> {
  const events = await deps.db.transaction(async (tx) => recordEvents(tx, await move(tx)));
  // Unpublished events are sent again by the outbox cron: a queue hiccup loses nothing.
  await publishEvents(deps.db, deps.env.NOTIFICATIONS, events).catch((err: unknown) =>
    deps.logger.warn('wishlist events left for the outbox cron', { error: String(err) }),
  );
}

/**
 * A product changed: each opted-in wisher of one of its variants whose price
 * is now below the item's floor (the price when added, or the last price
 * told) is told once, and the floor follows the price down. A rise leaves the
 * floor, so down-up-down to the same price tells nothing new; a deeper drop does.
 */
async function pricesChanged(deps: Deps, productId: string): Promise<void> {
  await fanOut(deps, async (tx) => {
    const dropped = await tx.execute<{ id: string; user_id: string; sku: string; price: number; was: number; currency: string; name: string }>(sql`
      with d as (
        select w.id, w.price_floor as was, v.price, v.currency, p.name
        from ${wishlistItems} w
          join ${productVariants} v on v.sku = w.sku
          join ${products} p on p.id = v.product_id
        where v.product_id = ${productId} and p.status = 'published' and p.deleted_at is null
          and w.notify and w.currency = v.currency and v.price < w.price_floor
        for update of w
      )
      update ${wishlistItems} w set price_floor = d.price, updated_at = now()
      from d where w.id = d.id and d.price < w.price_floor
      returning w.id, w.user_id, w.sku, d.price, d.was, d.currency, d.name`);
    return dropped.rows.map((r) => ({
      type: 'wishlist.price_dropped' as const,
      payload: { userId: r.user_id, itemId: r.id, sku: r.sku, productId, productName: r.name, price: Number(r.price), previousPrice: Number(r.was), currency: r.currency },
    }));
  });
}

/**
 * A SKU went into or out of stock (the mirror's trigger): every item of it
 * whose last seen state differs takes the state the read table has now; the
 * opted-in ones that were out and are now in are told once. A trigger seen
 * twice finds no item left to flip.
 */
async function stockChanged(deps: Deps, sku: string): Promise<void> {
  await fanOut(deps, async (tx) => {
    const flipped = await tx.execute<{ id: string; user_id: string; in_stock: boolean; notify: boolean; product_id: string | null; name: string | null }>(sql`
      with now_in as (select coalesce((select ${inventoryLevels.available} from ${inventoryLevels} where ${inventoryLevels.sku} = ${sku}), 0) > 0 as in_stock),
      f as (
        update ${wishlistItems} w set last_in_stock = now_in.in_stock, updated_at = now()
        from now_in where w.sku = ${sku} and w.last_in_stock <> now_in.in_stock
        returning w.id, w.user_id, w.notify, now_in.in_stock
      )
      select f.id, f.user_id, f.in_stock, f.notify, p.id as product_id, p.name
      from f left join ${productVariants} v on v.sku = ${sku}
        left join ${products} p on p.id = v.product_id and p.status = 'published' and p.deleted_at is null`);
    return flipped.rows
      .filter((r) => r.in_stock && r.notify && r.product_id && r.name !== null)
      .map((r) => ({
        type: 'wishlist.back_in_stock' as const,
        payload: { userId: r.user_id, itemId: r.id, sku, productId: r.product_id ?? '', productName: r.name ?? '' },
      }));
  });
}

/** Queue consumer: the fan-out of a product change or a stock flip to the wishers of its SKUs. */
export const fanOutToWishers = (message: QueueEvent, env: Bindings) =>
  runWithDeps(env, { event: message.id, type: message.type }, async (deps) => {
    const parsed = parseDomainEvent(message);
    if ('error' in parsed) {
      deps.logger.warn('wishlist trigger does not match its schema; ignored', { type: message.type, eventId: message.id, error: parsed.error });
      return;
    }
    const { event } = parsed;
    if (event.type === PRODUCT_CHANGED && event.payload.change === 'updated') await pricesChanged(deps, event.payload.productId);
    if (event.type === STOCK_CHANGED) await stockChanged(deps, event.payload.sku);
  });
