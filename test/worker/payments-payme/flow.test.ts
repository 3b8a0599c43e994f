import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { createApp } from '../../../workers/app';
import { createPaymeRouter } from '../../../workers/payments/payme';
import { PAYME_TIMEOUT_MS, parseCheckoutPath } from '../../../workers/payments/payme/protocol';
import { testEnv } from '../../support/app';
import { level } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { ENDPOINT, orderWithPayme, payme, statusOf, uzsShop } from './support';

/**
 * Payme driving POST /api/v1/payments/payme as the real service does (the
 * sandbox's client), against the whole Worker and its database: the order
 * and its stock follow every move.
 */

async function setup(quantity = 2, stock = 5) {
  const shop = await uzsShop(1_250_000, stock);
  const buyer = await createUser();
  const placed = await orderWithPayme(buyer, shop.sku, quantity);
  return { ...shop, buyer, placed, orderId: placed.order.id, amount: placed.order.total };
}

describe('checkout with Payme', () => {
  it('answers the checkout link Payme documents: merchant, order, amount in tiyin', async () => {
    const { placed } = await setup();
    expect(placed.order.currency).toBe('UZS');
    expect(placed.payment).toMatchObject({ provider: 'payme', paymentIntentId: `payme_${placed.order.id}`, clientSecret: null });
    const url = placed.payment.checkoutUrl ?? '';
    const base = `${(testEnv as unknown as Record<string, string | undefined>).PAYME_CHECKOUT_BASE ?? 'https://checkout.paycom.uz'}/`;
    expect(url.startsWith(base)).toBe(true);
    expect(parseCheckoutPath(url.slice(base.length))).toMatchObject({
      m: testEnv.PAYME_MERCHANT_ID,
      'ac.order_id': placed.order.id,
      a: String(placed.order.total),
    });
  });
});

describe('the Merchant API on the real stack', () => {
  it('pays (Check → Create → Perform) and refunds (Cancel after perform): the order is paid, then cancelled, refunded and restocked', async () => {
    const { sku, buyer, orderId, amount } = await setup(2, 5);
    const client = payme();
    const check = await client.checkPerform(orderId, amount);
    expect(check.status).toBe(200);
    expect(check.result).toMatchObject({ allow: true, detail: { receipt_type: 0 } });

    const paid = await client.pay(orderId, amount);
    expect(paid.ok, JSON.stringify(paid.replies)).toBe(true);
    expect(paid.replies[2]?.result).toMatchObject({ state: 2 });
    expect(await statusOf(buyer, orderId)).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });

    const refunded = await client.refund(paid.id);
    expect(refunded.result).toMatchObject({ state: -2 });
    // As when a buyer cancels a paid order: cancelled, refunded in full, units back on the shelf.
    const order = await (await api('GET', `/orders/${orderId}`, { token: buyer.accessToken })).json<{ status: string; refundedAmount: number }>();
    expect(order).toMatchObject({ status: 'cancelled', refundedAmount: amount });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await client.check(paid.id)).result).toMatchObject({ state: -2, reason: 5 });

    // A refund repeated (its answer lost) changes nothing more.
    expect((await client.refund(paid.id)).result).toEqual(refunded.result);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("passes Payme's negative checks without changing anything", async () => {
    const { sku, buyer, orderId, amount } = await setup();
    const checks = await payme().negativeChecks(orderId, amount);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(await statusOf(buyer, orderId)).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 2 });
  });

  it('lost answers: every call repeated with the same id answers the same, and the order is paid once', async () => {
    const { sku, buyer, orderId, amount } = await setup(1, 4);
    const client = payme();
    const id = 'a1b2c3d4e5f6a7b8c9d0e1f2';
    const time = Date.now();
    const created = await client.repeated('CreateTransaction', { id, time, amount, account: client.account(orderId) });
    expect(created[1]?.result).toEqual(created[0]?.result);
    const performed = await client.repeated('PerformTransaction', { id }, 3);
    expect(performed.map((r) => r.result)).toEqual([performed[0]?.result, performed[0]?.result, performed[0]?.result]);
    expect(await statusOf(buyer, orderId)).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    // Paid: Payme may not start another transaction for it.
    expect((await client.checkPerform(orderId, amount)).error?.code).toBe(-31051);
  });

  it('a second CreateTransaction for the order is refused while the first is pending', async () => {
    const { orderId, amount } = await setup();
    const client = payme();
    const first = await client.create(orderId, amount);
    expect(first.result).toMatchObject({ state: 1 });
    const second = await client.create(orderId, amount);
    expect(second.error).toMatchObject({ code: -31052, data: 'order_id' });
    // Once Payme cancels the first (the buyer gave up), a new one may start.
    const firstId = ((await client.statement(0, Date.now() + 1000)).result?.transactions as Array<{ id: string; account: { order_id: string } }>).find(
      (t) => t.account.order_id === orderId,
    )?.id;
    expect((await client.cancel(firstId ?? '', 3)).result).toMatchObject({ state: -1 });
    expect((await client.create(orderId, amount)).result).toMatchObject({ state: 1 });
  });

  it('a buyer who cancelled first: PerformTransaction answers -31008 and the transaction stays unperformed', async () => {
    const { sku, buyer, orderId, amount } = await setup(2, 5);
    const client = payme();
    const created = await client.create(orderId, amount, 'b1b2c3d4e5f6a7b8c9d0e1f2');
    expect(created.result).toMatchObject({ state: 1 });
    const cancelled = await api('DELETE', `/orders/${orderId}`, { token: buyer.accessToken });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect((await client.perform('b1b2c3d4e5f6a7b8c9d0e1f2')).error?.code).toBe(-31008);
    expect((await client.check('b1b2c3d4e5f6a7b8c9d0e1f2')).result).toMatchObject({ state: 1, perform_time: 0 });
    // Payme then cancels it; the order stays cancelled with its stock released.
    expect((await client.cancel('b1b2c3d4e5f6a7b8c9d0e1f2', 3)).result).toMatchObject({ state: -1 });
    expect(await statusOf(buyer, orderId)).toBe('cancelled');
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('a delivered order cannot be refunded through Payme (-31007)', async () => {
    const { buyer, orderId, amount } = await setup();
    const client = payme();
    const paid = await client.pay(orderId, amount);
    expect(paid.ok).toBe(true);
    await withDb((db) => db.update(orders).set({ status: 'delivered' }).where(eq(orders.id, orderId)));
    expect((await client.refund(paid.id)).error?.code).toBe(-31007);
    expect((await client.check(paid.id)).result).toMatchObject({ state: 2 });
    expect(await statusOf(buyer, orderId)).toBe('delivered');
  });

  it('GetStatement lists the transactions Payme created in the window', async () => {
    const { orderId, amount } = await setup();
    const client = payme();
    const from = Date.now();
    const paid = await client.pay(orderId, amount);
    const listed = (await client.statement(from, Date.now() + 1)).result?.transactions as Array<Record<string, unknown>>;
    expect(listed.find((t) => t.id === paid.id)).toMatchObject({ amount, account: { order_id: orderId }, state: 2, receivers: null });
    expect((await client.statement(from - 10_000, from - 1)).result?.transactions).not.toContainEqual(expect.objectContaining({ id: paid.id }));
  });

  it('answers HTTP 200 with -32504 to callers without the key, and is not behind a bearer token', async () => {
    const { orderId, amount } = await setup();
    const res = await fetchEndpoint(JSON.stringify({ id: 1, method: 'CheckPerformTransaction', params: { amount, account: { order_id: orderId } } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 1, error: { code: -32504 } });
  });
});

async function fetchEndpoint(body: string) {
  const { SELF } = await import('cloudflare:test');
  return SELF.fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('the 12-hour timeout, with the endpoint on an injected clock', () => {
  it('PerformTransaction 43 200 001 ms after creation cancels with reason 4 and answers -31008; the order stays payable', async () => {
    const { sku, buyer, orderId, amount } = await setup(1, 3);
    let clock = Date.now();
    const app = createApp((api) => api.route('/payments/payme', createPaymeRouter({ now: () => clock })));
    const fetchApp = async (url: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(url, init), testEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const client = payme({ fetch: fetchApp, now: () => clock });
    const id = 'c1b2c3d4e5f6a7b8c9d0e1f2';
    expect((await client.create(orderId, amount, id)).result).toMatchObject({ state: 1 });
    clock += PAYME_TIMEOUT_MS;
    expect((await client.check(id)).result).toMatchObject({ state: 1 });
    clock += 1;
    expect((await client.perform(id)).error?.code).toBe(-31008);
    expect((await client.check(id)).result).toMatchObject({ state: -1, reason: 4, cancel_time: clock });
    expect(await statusOf(buyer, orderId)).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ reserved: 1 });
    // Payme's own cancel on timeout, arriving after, answers the same.
    expect((await client.timeoutCancel(id)).result).toMatchObject({ state: -1 });
  });
});
