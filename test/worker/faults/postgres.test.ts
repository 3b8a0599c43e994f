import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOSE_ANSWER_MARKER } from '../../../scripts/stack/ws-proxy';
import { HOOK_TIMEOUT } from '../../support/catalog';
import { expectInvariants } from '../../support/invariants';
import { stripeEvents } from '../../support/stripe';
import { api, createUser, withDb } from '../../support/users';
import { ADDRESS, buy, intentAtStripe, level, openShop, orderOf, payAndSettle, type Placed } from '../../support/checkout';
import { buyerWithCart, clientWith, DEAD_POSTGRES, expectNothingTaken, expectUnavailable, orderVia, ordersOfUser, payVia } from './helpers';

/**
 * "Postgres dies after the reservations were taken": a test-only trigger makes
 * the order insert fail as a server shutting down does (SQLSTATE 57P01), for
 * orders shipped to a marked city only, so suites running alongside are not
 * touched. Installed here, dropped after.
 */
const MARK = 'fault-db-';
async function installInsertFault(): Promise<void> {
  await withDb(async (db) => {
    await db.execute(sql.raw(`
      create or replace function fault_injection_order_insert() returns trigger language plpgsql as $$
      begin
        if new.shipping_address->>'city' like '${MARK}%' then
          raise exception 'terminating connection due to administrator command' using errcode = '57P01';
        end if;
        return new;
      end $$`));
    await db.execute(sql.raw('drop trigger if exists fault_injection_order_insert on orders'));
    await db.execute(sql.raw('create trigger fault_injection_order_insert before insert on orders for each row execute function fault_injection_order_insert()'));
  });
}
async function removeInsertFault(): Promise<void> {
  await withDb(async (db) => {
    await db.execute(sql.raw('drop trigger if exists fault_injection_order_insert on orders'));
    await db.execute(sql.raw('drop function if exists fault_injection_order_insert()'));
  });
}

beforeAll(installInsertFault, HOOK_TIMEOUT);
afterAll(removeInsertFault, HOOK_TIMEOUT);

describe('Postgres unreachable', { timeout: 90_000 }, () => {
  it('reads and writes answer 503 DEPENDENCY_UNAVAILABLE, and a checkout takes no stock', async () => {
    const { shop, buyer, skus } = await buyerWithCart([1200], 5, [2]);
    const sku = skus[0] ?? '';
    const down = clientWith('pg-down', DEAD_POSTGRES);

    await expectUnavailable(await down('GET', `/products/${shop.productIds[0]}`));
    await expectUnavailable(await down('GET', '/orders', { token: buyer.accessToken }));
    await expectUnavailable(await down('POST', '/cart/items', { token: buyer.accessToken, body: { sku, quantity: 1 } }));
    await expectUnavailable(await orderVia(down, buyer, crypto.randomUUID()));

    await expectNothingTaken(buyer, { [sku]: 5 });
    // The cart is as it was: the customer can retry once the database is back.
    const cart = await (await api('GET', '/cart', { token: buyer.accessToken })).json<{ lines: Array<{ sku: string; quantity: number }> }>();
    expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([[sku, 2]]);
    await expectInvariants([sku]);
  });

  it('the order insert failing after the reservations: 503, no order row, stock released, intent cancelled; a retry succeeds', async () => {
    const { buyer, skus } = await buyerWithCart([1200, 800], 5, [2, 1]);
    const [a, b] = skus as [string, string];
    const key = crypto.randomUUID();
    const failing = { shippingAddress: { ...ADDRESS, city: `${MARK}${crypto.randomUUID().slice(0, 8)}` } };
    await expectUnavailable(await api('POST', '/orders', { token: buyer.accessToken, body: failing, headers: { 'idempotency-key': key } }));

    await expectNothingTaken(buyer, { [a]: 5, [b]: 5 });
    // The PaymentIntent was created before the insert failed: it is cancelled, so nobody can pay it.
    const created = (await stripeEvents('')).filter((e) => e.type === 'payment_intent.created' && e.body.includes(buyer.id));
    expect(created).toHaveLength(1);
    expect((await intentAtStripe(created[0]?.paymentIntent ?? '')).status).toBe('canceled');

    // The 5xx was not remembered under the key: the same key, once the database works, places the order.
    const retry = await api('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': key } });
    expect(retry.status, await retry.clone().text()).toBe(201);
    const placed = await retry.json<Placed>();
    expect(placed.order.items).toHaveLength(2);
    expect(await level(a)).toMatchObject({ onHand: 5, reserved: 2 });
    await expectInvariants([a, b]);
  });

  it('the order insert commits but its answer is lost (connection cut): the order stands, stock held, payable; no second order', async () => {
    const { buyer, skus } = await buyerWithCart([1500, 700], 5, [1, 2]);
    const [a, b] = skus as [string, string];
    // This way to the database cuts the connection of a statement carrying the marker right after it committed.
    const lossy = clientWith('pg-lossy', { NEON_WS_PROXY: inject('stack').LOSSY_NEON_WS_PROXY, NEON_HTTP_ENDPOINT: inject('stack').LOSSY_NEON_HTTP_ENDPOINT });
    const key = crypto.randomUUID();
    const body = { shippingAddress: { ...ADDRESS, landmark: LOSE_ANSWER_MARKER } };
    const res = await orderVia(lossy, buyer, key, body);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(placed.order).toMatchObject({ status: 'pending_payment', shippingAddress: { landmark: LOSE_ANSWER_MARKER } });

    // The lost answer did not undo the order: one row, its stock reserved, its PaymentIntent open.
    expect((await ordersOfUser(buyer.id)).map((o) => o.id)).toEqual([placed.order.id]);
    expect(await level(a)).toMatchObject({ onHand: 5, reserved: 1 });
    expect(await level(b)).toMatchObject({ onHand: 5, reserved: 2 });
    expect((await intentAtStripe(placed.payment.paymentIntentId)).status).toBe('requires_payment_method');
    // Same key again: the same order, never a second.
    const again = await orderVia(lossy, buyer, key, body);
    expect(again.status).toBe(201);
    expect((await again.json<Placed>()).order.id).toBe(placed.order.id);
    expect(await ordersOfUser(buyer.id)).toHaveLength(1);

    await payAndSettle(buyer, placed);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    expect(await level(a)).toMatchObject({ onHand: 4, reserved: 0 });
    expect(await level(b)).toMatchObject({ onHand: 3, reserved: 0 });
    await expectInvariants([a, b]);
  });

  it('paying while Postgres is down: 503, nothing charged; the order stays payable', async () => {
    const shop = await openShop([900], 3);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 1]]);
    await expectUnavailable(await payVia(clientWith('pg-down', DEAD_POSTGRES), buyer, placed.order.id, crypto.randomUUID()));
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountReceived).toBe(0);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('pending_payment');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 1 });
    await expectInvariants([sku]);
  });
});
