import { describe, expect, it } from 'vitest';
import { forwardStripeEvents } from '../../support/stripe';
import { api, createUser } from '../../support/users';
import { addToCart, level, openShop, pay, placeOrder, type Placed } from '../../support/checkout';

describe('the checkout journey', () => {
  it('register → cart → order → pay → webhook → paid → stock committed → shipped → delivered', async () => {
    const shop = await openShop([2500, 1000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 2);
    await addToCart(buyer, shop.skus[1] ?? '', 1);

    const res = await placeOrder(buyer);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(placed.order).toMatchObject({ status: 'pending_payment', subtotal: 6000, tax: 720, shipping: 500, total: 7220 });
    expect(placed.payment.paymentIntentId).toMatch(/^pi_/);
    expect(placed.payment.clientSecret).toMatch(/_secret_/);
    expect(await level(shop.skus[0] ?? '')).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    const cart = await (await api('GET', '/cart', { token: buyer.accessToken })).json<{ lines: unknown[] }>();
    expect(cart.lines).toEqual([]);

    const paid = await pay(buyer, placed.order.id);
    expect(paid.status, await paid.clone().text()).toBe(200);
    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const order = await (await api('GET', `/orders/${placed.order.id}`, { token: buyer.accessToken })).json<{ status: string; history: Array<{ to: string }> }>();
    expect(order.status).toBe('paid');
    expect(await level(shop.skus[0] ?? '')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(await level(shop.skus[1] ?? '')).toMatchObject({ onHand: 4, reserved: 0, available: 4 });

    for (const status of ['processing', 'shipped', 'delivered']) {
      const step = await api('PUT', `/orders/${placed.order.id}/status`, { token: shop.seller.accessToken, body: { status } });
      expect(step.status, await step.clone().text()).toBe(200);
    }
    const done = await (await api('GET', `/orders/${placed.order.id}`, { token: buyer.accessToken })).json<{ status: string; history: Array<{ to: string }> }>();
    expect(done.status).toBe('delivered');
    expect(done.history.map((h) => h.to)).toEqual(['pending_payment', 'paid', 'processing', 'shipped', 'delivered']);
  });
});
