import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notifications, users } from '../../../shared/db/schema';
import { parseDomainEvent } from '../../../shared/events';
import { renderNotification, resolveLocale } from '../../../workers/notifications/templates';
import { openShop } from '../../support/checkout';
import { createUser, withDb } from '../../support/users';
import { deliver } from '../notifications/helpers';
import { deliveredOrder, marks, returnEventsOf, returnOf, step } from './support';

describe('return events and notifications', () => {
  it('requested, approved, refunded and rejected are written with the return; the seller hears of requests, the buyer of the rest, in its language', async () => {
    const shop = await openShop([1500], 20);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns-events');
    await withDb((db) => db.update(users).set({ locale: 'uz' }).where(eq(users.id, buyer.id)));
    const order = await deliveredOrder(buyer, [[sku, 2]]);
    const so = order.sellerOrders.get(shop.seller.id);

    const kept = await returnOf(buyer, order, shop.seller.id, [[sku, 1]]);
    await step(shop.seller, kept.id, 'approve');
    await step(shop.seller, kept.id, 'refund', marks(kept, true));
    const refused = await returnOf(buyer, order, shop.seller.id, [[sku, 1]]);
    await step(shop.seller, refused.id, 'reject', { reason: 'Worn' });

    const ref = { orderId: order.orderId, number: order.placed.order.number, sellerOrderId: so?.id, sellerId: shop.seller.id, userId: buyer.id };
    const keptEvents = await returnEventsOf(kept.id);
    expect(keptEvents.map((e) => e.type)).toEqual(['return.requested', 'return.approved', 'return.refunded']);
    expect(keptEvents[0]?.payload).toEqual({ ...ref, returnId: kept.id, reason: 'Does not fit' });
    expect(keptEvents[1]?.payload).toEqual({ ...ref, returnId: kept.id });
    // 1500 and its 12% tax (180); not the shipping: one unit is still with the buyer.
    expect(keptEvents[2]?.payload).toEqual({ ...ref, returnId: kept.id, amount: 1680, currency: 'USD' });
    const refusedEvents = await returnEventsOf(refused.id);
    expect(refusedEvents.map((e) => e.type)).toEqual(['return.requested', 'return.rejected']);
    expect(refusedEvents[1]?.payload).toEqual({ ...ref, returnId: refused.id, reason: 'Worn' });

    // Through the notifications consumer, as the queue would hand them over.
    const all = [...keptEvents, ...refusedEvents];
    const ids: string[] = [];
    for (const e of all) {
      const parsed = parseDomainEvent({ id: crypto.randomUUID(), ...e });
      expect(parsed).toHaveProperty('event');
      const event = { id: crypto.randomUUID(), type: e.type, payload: e.payload };
      ids.push(event.id);
      expect((await deliver(event)).acked).toBe(true);
    }
    const rows = await withDb((db) => db.select().from(notifications).where(inArray(notifications.eventId, ids)));
    const to = (userId: string) => rows.filter((r) => r.userId === userId).map((r) => r.type).sort();
    expect(to(shop.seller.id)).toEqual(['return.requested', 'return.requested']);
    expect(to(buyer.id)).toEqual(['return.approved', 'return.refunded', 'return.rejected']);
    const refundedNote = rows.find((r) => r.type === 'return.refunded');
    expect(refundedNote?.title).toBe('Qaytarish uchun pul qaytarildi');
    expect(refundedNote?.body).toContain(order.placed.order.number);
    expect(refundedNote?.body).toContain('16.80');
    const rejectedNote = rows.find((r) => r.type === 'return.rejected');
    expect(rejectedNote?.body).toContain(order.placed.order.number);
    const requestNote = rows.find((r) => r.type === 'return.requested' && r.userId === shop.seller.id);
    // The seller stored no language: the deployment's default (uz).
    expect(requestNote?.title).toBe('Qaytarish so‘rovi');
  });
});

describe('notifications in every language', () => {
  it('return and seller-order events read in uz, ru and en, naming the order number', () => {
    const vars = { name: 'Dilnoza', orderId: 'x', number: 'UM-2026-000123', total: '16,80 $', reason: 'Worn', link: '', tracking: 'DHL 123' };
    expect(resolveLocale('ru-RU', 'uz')).toBe('ru');
    expect(resolveLocale('ru', 'uz')).toBe('ru');
    expect(resolveLocale(null, 'uz')).toBe('uz');
    expect(resolveLocale('de-DE', 'ru')).toBe('ru');
    const types = ['return.requested', 'return.approved', 'return.rejected', 'return.refunded', 'seller_order.paid', 'seller_order.shipped', 'seller_order.delivered', 'seller_order.cancelled'] as const;
    for (const locale of ['uz', 'ru', 'en'] as const) {
      for (const type of types) {
        const rendered = renderNotification(type, locale, vars);
        expect(rendered.body, `${type} ${locale}`).toContain('UM-2026-000123');
        if (type === 'return.refunded') expect(rendered.text).toContain('16,80 $');
        if (type === 'return.rejected') expect(rendered.text).toContain('Worn');
        if (type === 'seller_order.shipped') expect(rendered.text).toContain('DHL 123');
      }
    }
    expect(renderNotification('return.approved', 'ru', vars).title).toBe('Возврат одобрен');
    expect(renderNotification('order.paid', 'ru', vars).subject).toBe('Ваш заказ оплачен');
  });
});
