import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { isolatedClient } from '../../support/catalog';
import { api, createUser, withDb } from '../../support/users';
import { ADDRESS, addToCart, level, openShop, placeOrder, type Placed } from '../../support/checkout';

const ordersOf = (userId: string) => withDb((db) => db.select({ id: orders.id }).from(orders).where(eq(orders.userId, userId)));

describe('POST /orders is idempotent per Idempotency-Key', () => {
  it('five concurrent identical requests place one order; the others replay it or are told it is in progress', async () => {
    const shop = await openShop([2000], 5);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    await addToCart(buyer, sku, 2);
    const key = crypto.randomUUID();

    const responses = await Promise.all(Array.from({ length: 5 }, () => placeOrder(buyer, key)));
    const answers = await Promise.all(
      responses.map(async (res) => ({ status: res.status, replayed: res.headers.get('idempotent-replayed'), text: await res.text() })),
    );
    const created = answers.filter((a) => a.status === 201);
    const busy = answers.filter((a) => a.status === 409);
    expect(created.length + busy.length, JSON.stringify(answers)).toBe(5);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Exactly one of them did the work; any other 201 is the same body, replayed.
    expect(created.filter((a) => a.replayed === null)).toHaveLength(1);
    for (const a of created.filter((c) => c.replayed !== null)) expect(a.replayed).toBe('true');
    expect(new Set(created.map((a) => a.text)).size).toBe(1);
    for (const a of busy) expect(JSON.parse(a.text)).toMatchObject({ code: 'CONFLICT', detail: expect.stringMatching(/in progress/) });

    const orderId = (JSON.parse(created[0]?.text ?? '{}') as Placed).order.id;
    expect((await ordersOf(buyer.id)).map((o) => o.id)).toEqual([orderId]);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });

    // Sequential retries (a client that lost the answer) get the same order back.
    for (let i = 0; i < 3; i++) {
      const retry = await placeOrder(buyer, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await retry.json<Placed>()).order.id).toBe(orderId);
    }
    expect(await ordersOf(buyer.id)).toHaveLength(1);
    expect(await level(sku)).toMatchObject({ reserved: 2 });
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED and places nothing', async () => {
    const shop = await openShop([2000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    const key = crypto.randomUUID();
    expect((await placeOrder(buyer, key)).status).toBe(201);

    await addToCart(buyer, shop.skus[0] ?? '', 1);
    const other = await placeOrder(buyer, key, { shippingAddress: { ...ADDRESS, city: 'Samarqand' } });
    await expectProblem(other, 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await ordersOf(buyer.id)).toHaveLength(1);
    expect(await level(shop.skus[0] ?? '')).toMatchObject({ reserved: 1 });
  });

  it('keys are per caller: another buyer may use the same key', async () => {
    const shop = await openShop([2000], 5);
    const [a, b] = [await createUser(), await createUser()];
    const key = crypto.randomUUID();
    await addToCart(a, shop.skus[0] ?? '', 1);
    await addToCart(b, shop.skus[0] ?? '', 1);
    const first = await (await placeOrder(a, key)).json<Placed>();
    const res = await placeOrder(b, key);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect((await res.json<Placed>()).order.id).not.toBe(first.order.id);
  });

  it('without an Idempotency-Key: 400 VALIDATION_FAILED naming the header, nothing reserved', async () => {
    const shop = await openShop([2000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    const res = await api('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS } });
    const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path.toLowerCase())).toContain('idempotency-key');
    expect(await ordersOf(buyer.id)).toHaveLength(0);
    expect(await level(shop.skus[0] ?? '')).toMatchObject({ reserved: 0 });
  });

  it('when the idempotency store forgot the key, the database still refuses a second order and releases its stock', async () => {
    const shop = await openShop([2000], 5);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    await addToCart(buyer, sku, 2);
    const key = crypto.randomUUID();
    const first = await (await placeOrder(buyer, key)).json<Placed>();

    // Same key, a fresh cart, and a Redis that has never seen the key (its own prefix).
    await addToCart(buyer, sku, 1);
    const amnesiac = isolatedClient('idem-forgot');
    const res = await amnesiac('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': key } });
    const problem = await expectProblem(res, 409, 'CONFLICT');
    expect(problem).toMatchObject({ orderId: first.order.id });
    expect((await ordersOf(buyer.id)).map((o) => o.id)).toEqual([first.order.id]);
    // Only the first order's two units stay reserved: the refused attempt gave its unit back.
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
  });

  it('a saved order whose answer was lost (a 5xx drops the key from Redis) is answered again on retry, not "the cart is empty"', async () => {
    const shop = await openShop([2000], 5);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    await addToCart(buyer, sku, 2);
    const key = crypto.randomUUID();
    const firstRes = await placeOrder(buyer, key);
    expect(firstRes.status, await firstRes.clone().text()).toBe(201);
    const first = await firstRes.json<Placed>();

    // The order is saved and the cart emptied, but the idempotency store has no record of the key.
    const amnesiac = isolatedClient('idem-lost-answer');
    const retry = () => amnesiac('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': key } });
    const res = await retry();
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    const again = await res.json<Placed>();
    expect(again.order.id).toBe(first.order.id);
    expect(again.order.items).toEqual(first.order.items);
    expect(again.payment).toEqual(first.payment);
    expect((await ordersOf(buyer.id)).map((o) => o.id)).toEqual([first.order.id]);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 2 });

    // Keys are remembered for 24 hours: after that an empty cart is an empty cart again.
    await withDb((db) => db.update(orders).set({ createdAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(orders.id, first.order.id)));
    const expired = await isolatedClient('idem-lost-answer-later')('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': key } });
    await expectProblem(expired, 400, 'VALIDATION_FAILED');
  });

  it('another key with an empty cart is still a 400: only the same key finds the earlier order', async () => {
    const shop = await openShop([2000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    expect((await placeOrder(buyer, crypto.randomUUID())).status).toBe(201);
    await expectProblem(await placeOrder(buyer, crypto.randomUUID()), 400, 'VALIDATION_FAILED');
  });
});
