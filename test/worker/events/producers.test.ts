import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../../../shared/db/schema';
import { DOMAIN_EVENT_TYPES, DomainEventSchemas, type DomainEventType, parseDomainEvent } from '../../../shared/events';
import { expectProblem } from '../../support/app';
import { forwardStripeEvents } from '../../support/stripe';
import { api, createUser, withDb } from '../../support/users';
import { buy, confirmAtStripe, openShop, payAndSettle, paymentOf, setOrderStatus } from '../../support/checkout';
import { deliveredOrder, marks, returnOf, step } from '../returns/support';
import { paidPickupOrder } from '../shipping/support';
import { wishAndChange } from '../wishlists/helpers';

/**
 * Every event type, produced by the code that really produces it (through the
 * API), must parse with its schema — strictly: a producer that adds, drops or
 * retypes a field fails here before a webhook receiver sees it. The table has
 * a row per type, so a new type without a producer covered here fails too.
 */
describe('domain events: what each producer writes parses with its schema', () => {
  it('a journey that emits every event type', async () => {
    const shop = await openShop([2599], 10);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'events');

    // Wishlists: a wished SKU's price drops, and it sells out and comes back (the stock mirror's trigger), each fanned out.
    await wishAndChange(buyer, shop, sku);

    // Accounts: registration (above), a reset request, a password change.
    expect((await api('POST', '/auth/forgot-password', { body: { email: buyer.email } })).status).toBe(202);
    const changed = await api('PUT', '/auth/change-password', {
      token: buyer.accessToken,
      body: { currentPassword: buyer.password, newPassword: 'a brand new passphrase' },
    });
    expect(changed.status, await changed.clone().text()).toBe(204);

    // An order through every step, refunded in two parts.
    const shipped = await buy(buyer, [[sku, 1]]);
    await payAndSettle(buyer, shipped);
    for (const status of ['processing', 'shipped', 'delivered']) {
      expect((await setOrderStatus(shop.admin, shipped.order.id, status)).status).toBe(200);
    }
    const payment = await paymentOf(shop.admin, shipped.order.id);
    const refund = (body: Record<string, unknown>) =>
      api('POST', `/payments/${payment.id}/refund`, { token: shop.admin.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect((await refund({ amount: 1000 })).status).toBe(200);
    expect((await refund({})).status).toBe(200);

    // Returns: one requested, approved and refunded (received in the same call), one rejected.
    const returned = await deliveredOrder(buyer, [[sku, 2]]);
    const kept = await returnOf(buyer, returned, shop.seller.id, [[sku, 1]]);
    await step(shop.seller, kept.id, 'approve');
    await step(shop.seller, kept.id, 'refund', marks(kept, true));
    await step(shop.seller, (await returnOf(buyer, returned, shop.seller.id, [[sku, 1]])).id, 'reject', { reason: 'Worn' });

    // An order cancelled unpaid, and one whose card is declined.
    const cancelled = await buy(buyer, [[sku, 1]]);
    expect((await api('DELETE', `/orders/${cancelled.order.id}`, { token: buyer.accessToken })).status).toBe(200);
    // A paid order cancelled before it shipped: its seller order is cancelled (and refunded).
    const paidThenCancelled = await buy(buyer, [[sku, 1]]);
    await payAndSettle(buyer, paidThenCancelled);
    expect((await api('DELETE', `/orders/${paidThenCancelled.order.id}`, { token: buyer.accessToken })).status).toBe(200);
    const declined = await buy(buyer, [[sku, 1]]);
    await expectProblem(
      await api('POST', '/payments/process', { token: buyer.accessToken, body: { orderId: declined.order.id, paymentMethodId: 'pm_card_chargeDeclined' } }),
      402,
      'PAYMENT_FAILED',
    );
    await confirmAtStripe(declined.payment.paymentIntentId, 'pm_card_chargeDeclined').catch(() => undefined);
    await forwardStripeEvents(declined.payment.paymentIntentId, { types: ['payment_intent.payment_failed'] });

    // The seller's earnings from the order half returned (the shipped one was refunded in full), matured
    // (delivered past the hold), paid out in part.
    await withDb((db) => db.execute(sql`update seller_orders set delivered_at = now() - interval '30 days' where order_id = ${returned.orderId}`));
    const paidOut = await api('POST', '/ledger/payouts', {
      token: shop.admin.accessToken,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { sellerId: shop.seller.id, amount: 1, currency: 'USD', reference: 'events' },
    });
    expect(paidOut.status, await paidOut.clone().text()).toBe(201);

    // A parcel to a pickup point, ready there.
    const { placed: pickup } = await paidPickupOrder(shop, buyer);
    const [pickupSo] = (await api('GET', `/seller-orders?orderId=${pickup.order.id}`, { token: shop.seller.accessToken }).then((r) => r.json<{ data: Array<{ id: string; items: Array<{ id: string }> }> }>())).data;
    const parcel = await api('POST', `/seller-orders/${pickupSo?.id}/shipments`, {
      token: shop.seller.accessToken,
      body: { items: [{ orderItemId: pickupSo?.items[0]?.id, quantity: 1 }], carrier: 'UzPost', trackingNumber: 'UZ-EVENTS-1' },
    });
    const [parcelId] = (await parcel.json<{ shipments: Array<{ id: string }> }>()).shipments.map((s) => s.id);
    expect((await api('POST', `/shipments/${parcelId}/ready-for-pickup`, { token: shop.seller.accessToken })).status).toBe(200);

    const rows = await withDb((db) =>
      db
        .select({ type: outboxEvents.type, payload: outboxEvents.payload })
        .from(outboxEvents)
        .where(
          sql`${outboxEvents.payload}->>'userId' in (${buyer.id}, ${shop.seller.id}) or ${inArray(sql`${outboxEvents.payload}->>'productId'`, shop.productIds)} or ${inArray(sql`${outboxEvents.payload}->>'sku'`, shop.skus)}`,
        ),
    );
    const byType = new Map<string, Array<Record<string, unknown>>>();
    for (const row of rows) byType.set(row.type, [...(byType.get(row.type) ?? []), row.payload]);

    const table = DOMAIN_EVENT_TYPES.map((type: DomainEventType) => {
      const payloads = byType.get(type) ?? [];
      const problems = payloads.flatMap((payload) => {
        const strict = DomainEventSchemas[type].strict().safeParse(payload);
        return strict.success ? [] : [strict.error.message];
      });
      return { type, written: payloads.length > 0, problems };
    });
    expect(table).toEqual(DOMAIN_EVENT_TYPES.map((type) => ({ type, written: true, problems: [] })));
    for (const row of rows) expect(parseDomainEvent({ id: crypto.randomUUID(), ...row })).toHaveProperty('event');
  });
});

describe('event schemas', () => {
  it('reject a payload that is not the documented one', () => {
    const good = { orderId: crypto.randomUUID(), userId: crypto.randomUUID(), status: 'paid', total: 4200, currency: 'USD' };
    expect(parseDomainEvent({ id: '1', type: 'order.paid', payload: good })).toHaveProperty('event');
    expect(parseDomainEvent({ id: '1', type: 'order.paid', payload: { ...good, status: 'shipped' } })).toHaveProperty('error');
    expect(parseDomainEvent({ id: '1', type: 'order.paid', payload: { ...good, total: '4200' } })).toHaveProperty('error');
    expect(parseDomainEvent({ id: '1', type: 'order.unknown', payload: good })).toHaveProperty('error');
  });
});
