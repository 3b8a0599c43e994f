import { describe, expect, it } from 'vitest';
import { createUser } from '../../support/users';
import { deliver } from '../notifications/helpers';
import { latest, outboxOf, setPrice, restock, wish, wishShop } from './helpers';

/**
 * Copies of one trigger handled at once (a redelivered message racing the
 * first): the row locks of the fan-out's state update let exactly one of them
 * record each wisher's event. Meaningful on a real PostgreSQL (BACKEND_SUITES
 * picks this file up by name); PGlite runs one transaction at a time.
 */
describe('wishlist fan-out under concurrent copies of a trigger', () => {
  it('records one event per wisher for a price drop and for a restock', async () => {
    const shop = await wishShop(5_000, 0);
    const wishers = await Promise.all(Array.from({ length: 4 }, (_, i) => createUser('customer', `wl-race-${i}`)));
    for (const user of wishers) expect((await wish(user, shop.sku)).status).toBe(201);

    await setPrice(shop, 4_000);
    const priceTrigger = await latest('catalog.product_changed', 'productId', shop.productId);
    await restock(shop, 3);
    const stockTrigger = await latest('inventory.stock_changed', 'sku', shop.sku);

    const copies = [...Array.from({ length: 6 }, () => priceTrigger), ...Array.from({ length: 6 }, () => stockTrigger)];
    const results = await Promise.all(copies.map((event) => deliver(event)));
    expect(results.every((r) => r.acked)).toBe(true);

    const told = (events: Array<{ payload: Record<string, unknown> }>) => events.map((e) => e.payload.userId).sort();
    const ids = wishers.map((w) => w.id).sort();
    expect(told(await outboxOf('wishlist.price_dropped', 'sku', shop.sku))).toEqual(ids);
    expect(told(await outboxOf('wishlist.back_in_stock', 'sku', shop.sku))).toEqual(ids);
  });
});
