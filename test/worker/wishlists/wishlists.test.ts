import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { expectProblem, testEnv } from '../../support/app';
import { setStock } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { emailDeliveries } from '../../../shared/db/schema';
import { inbox, itemRow, latest, setLocale, setPrice, settle, wish, wishShop } from './helpers';

describe('wishlist: add, list, change, remove', () => {
  it('keeps variants with their live price and stock, idempotently, for their owner only', async () => {
    const shop = await wishShop(2599, 3);
    const ada = await createUser('customer', 'wl-ada');
    const bob = await createUser('customer', 'wl-bob');

    const added = await wish(ada, shop.sku);
    expect(added.status, await added.clone().text()).toBe(201);
    const again = await wish(ada, shop.sku, false);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ sku: shop.sku, notify: false });

    // The list reads the SKU's stock live from its object, not from the read table (not mirrored yet here).
    await inventoryFor(testEnv, shop.sku).setOnHand(1, 'test');
    const list = await api('GET', '/wishlist', { token: ada.accessToken });
    expect(list.status).toBe(200);
    const page = await list.json<{ data: Array<Record<string, unknown>>; nextCursor: string | null }>();
    expect(page).toMatchObject({ nextCursor: null, data: [{ sku: shop.sku, productId: shop.productId, price: 2599, currency: 'USD', available: 1, inStock: true, purchasable: true, notify: false }] });

    // Someone else's wishlist is invisible, and its items unreachable (a path names the caller's own item).
    expect((await (await api('GET', '/wishlist', { token: bob.accessToken })).json<{ data: unknown[] }>()).data).toEqual([]);
    await expectProblem(await api('PATCH', `/wishlist/items/${shop.sku}`, { token: bob.accessToken, body: { notify: true } }), 404, 'NOT_FOUND');
    await expectProblem(await api('DELETE', `/wishlist/items/${shop.sku}`, { token: bob.accessToken }), 404, 'NOT_FOUND');

    const patched = await api('PATCH', `/wishlist/items/${shop.sku}`, { token: ada.accessToken, body: { notify: true } });
    expect(await patched.json()).toMatchObject({ notify: true });

    // Unknown and unpublished SKUs cannot be wished; bad input changes nothing.
    await expectProblem(await wish(ada, 'NO-SUCH-SKU'), 404, 'NOT_FOUND');
    await expectProblem(await api('POST', '/wishlist/items', { token: ada.accessToken, body: { sku: '<script>' } }), 400, 'VALIDATION_FAILED');

    expect((await api('DELETE', `/wishlist/items/${shop.sku}`, { token: ada.accessToken })).status).toBe(204);
    await expectProblem(await api('DELETE', `/wishlist/items/${shop.sku}`, { token: ada.accessToken }), 404, 'NOT_FOUND');
    expect((await (await api('GET', '/wishlist', { token: ada.accessToken })).json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it('pages newest first and refuses a 501st item', async () => {
    const shop = await wishShop(100, 1);
    const cy = await createUser('customer', 'wl-cy');
    await withDb((db) =>
      db.execute(// Ids older than any real one: the wished SKU is the newest item.
      sql`insert into wishlist_items (id, user_id, sku, price_floor, currency, last_in_stock)
        select ('00000000-0000-7000-8000-' || lpad(g::text, 12, '0'))::uuid, ${cy.id}, 'GONE-' || g, 100, 'USD', false from generate_series(1, 499) g`),
    );
    expect((await wish(cy, shop.sku)).status).toBe(201);
    const first = await (await api('GET', '/wishlist?limit=2', { token: cy.accessToken })).json<{ data: Array<{ sku: string; purchasable: boolean; price: number | null }>; nextCursor: string }>();
    expect(first.data[0]).toMatchObject({ sku: shop.sku, purchasable: true });
    expect(first.data[1]).toMatchObject({ purchasable: false, price: null });
    const second = await (await api('GET', `/wishlist?limit=2&cursor=${first.nextCursor}`, { token: cy.accessToken })).json<{ data: Array<{ sku: string }> }>();
    expect(second.data.map((i) => i.sku)).not.toContain(shop.sku);

    const other = await wishShop(100, 1);
    const full = await expectProblem(await wish(cy, other.sku), 409, 'CONFLICT');
    expect(full.detail).toContain('500');
    expect((await wish(cy, shop.sku)).status).toBe(200);
    expect(await withDb(async (db) => (await db.execute<{ n: string }>(sql`select count(*) as n from wishlist_items where user_id = ${cy.id}`)).rows[0]?.n)).toBe('500');
  });
});

describe('wishlist notifications', () => {
  it('a price drop is told once, in the wisher’s language, and not to those who opted out', async () => {
    const shop = await wishShop(10_000, 5);
    const ru = await createUser('customer', 'wl-ru');
    const quiet = await createUser('customer', 'wl-quiet');
    await setLocale(ru, 'ru');
    expect((await wish(ru, shop.sku)).status).toBe(201);
    expect((await wish(quiet, shop.sku, false)).status).toBe(201);

    await setPrice(shop, 8_000);
    await settle(await latest('catalog.product_changed', 'productId', shop.productId), shop.sku);
    const told = await inbox(ru, 'wishlist.price_dropped');
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toBe('Цена в вашем списке желаний снизилась');
    expect(told[0]?.body).toContain('Wished lamp');
    expect(told[0]?.data).toMatchObject({ sku: shop.sku, price: 8_000, previousPrice: 10_000, currency: 'USD' });
    const emails = await withDb((db) => db.select().from(emailDeliveries).where(sql`${emailDeliveries.userId} = ${ru.id} and ${emailDeliveries.eventType} = 'wishlist.price_dropped'`));
    expect(emails.map((e) => [e.locale, e.status])).toEqual([['ru', 'sent']]);
    expect(await inbox(quiet, 'wishlist.price_dropped')).toEqual([]);

    // Up and down to the same price: nothing new. A deeper drop: told again.
    await setPrice(shop, 9_000);
    await settle(await latest('catalog.product_changed', 'productId', shop.productId), shop.sku);
    await setPrice(shop, 8_000);
    await settle(await latest('catalog.product_changed', 'productId', shop.productId), shop.sku);
    expect(await inbox(ru, 'wishlist.price_dropped')).toHaveLength(1);
    await setPrice(shop, 7_500);
    await settle(await latest('catalog.product_changed', 'productId', shop.productId), shop.sku);
    expect((await inbox(ru, 'wishlist.price_dropped')).map((n) => n.data.price)).toEqual(expect.arrayContaining([8_000, 7_500]));
    expect(await inbox(ru, 'wishlist.price_dropped')).toHaveLength(2);
    expect(await inbox(quiet, 'wishlist.price_dropped')).toEqual([]);
  });

  it('back in stock is told once per return, in Uzbek to an Uzbek reader', async () => {
    const shop = await wishShop(5_000, 0);
    const uz = await createUser('customer', 'wl-uz');
    const quiet = await createUser('customer', 'wl-quiet2');
    await setLocale(uz, 'uz');
    expect((await wish(uz, shop.sku)).status).toBe(201);
    expect((await wish(quiet, shop.sku, false)).status).toBe(201);
    expect(await itemRow(uz, shop.sku)).toMatchObject({ lastInStock: false });

    await setStock(shop.seller, shop.sku, 4);
    const trigger = await latest('inventory.stock_changed', 'sku', shop.sku);
    expect(trigger.payload).toEqual({ sku: shop.sku, inStock: true });
    await settle(trigger, shop.sku);
    // The same trigger again (a retried or duplicated message) tells nothing new.
    await settle(trigger, shop.sku);
    const told = await inbox(uz, 'wishlist.back_in_stock');
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toBe('Yana sotuvda');
    expect(await inbox(quiet, 'wishlist.back_in_stock')).toEqual([]);
    expect(await itemRow(uz, shop.sku)).toMatchObject({ lastInStock: true });

    // A restock while in stock is no flip; sold out and back again is a new change.
    await setStock(shop.seller, shop.sku, 6);
    expect((await latest('inventory.stock_changed', 'sku', shop.sku)).id).toBe(trigger.id);
    await setStock(shop.seller, shop.sku, 0);
    await settle(await latest('inventory.stock_changed', 'sku', shop.sku), shop.sku);
    expect(await itemRow(uz, shop.sku)).toMatchObject({ lastInStock: false });
    await setStock(shop.seller, shop.sku, 2);
    await settle(await latest('inventory.stock_changed', 'sku', shop.sku), shop.sku);
    expect(await inbox(uz, 'wishlist.back_in_stock')).toHaveLength(2);
  });
});
