import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { call, DEAD_PORT, expectProblem } from '../../support/app';
import { type Client, isolatedClient } from '../../support/catalog';
import { stripeEvents } from '../../support/stripe';
import { API, createUser, type TestUser, withDb } from '../../support/users';
import { ADDRESS, addToCart, level, openShop } from '../../support/checkout';

/** Where a dependency that is "down" points: nothing listens there. */
export const DEAD_REDIS = { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` };
export const DEAD_POSTGRES = { DATABASE_URL: `postgres://postgres@127.0.0.1:${DEAD_PORT}/none` };

/** The real app with these bindings replaced (a dependency pointed at a dead port). */
export const clientWith = (label: string, env: Record<string, string>): Client => isolatedClient(label, env);

/** POST /orders through `client` with an Idempotency-Key. */
export function orderVia(client: Client, user: TestUser, key: string, body: unknown = { shippingAddress: ADDRESS }) {
  return client('POST', '/orders', { token: user.accessToken, body, headers: { 'idempotency-key': key } });
}

/** POST /payments/process through `client`, optionally with an Idempotency-Key. */
export function payVia(client: Client, user: TestUser, orderId: string, key?: string, paymentMethodId = 'pm_card_visa') {
  return client('POST', '/payments/process', {
    token: user.accessToken,
    body: { orderId, paymentMethodId },
    headers: key ? { 'idempotency-key': key } : {},
  });
}

/** Delivers every webhook the stand-in sent for the intent to the app with `env` (raw body, original signature). */
export async function forwardWith(env: Record<string, string>, paymentIntentId: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const entry of await stripeEvents(paymentIntentId)) {
    const headers = { 'content-type': 'application/json', 'stripe-signature': entry.signature };
    const res = await call(new Request(`${API}/webhooks/stripe`, { method: 'POST', headers, body: entry.body }), { env });
    statuses.push(res.status);
  }
  return statuses;
}

/** Orders the user has in the database (whatever the API says). */
export async function ordersOfUser(userId: string): Promise<Array<{ id: string; status: string }>> {
  return withDb(async (db) => {
    const rows = await db.execute<{ id: string; status: string }>(sql`select id, status from orders where user_id = ${userId}::uuid`);
    return rows.rows;
  });
}

/** A failed checkout changed nothing: no order for the user, every SKU back to `onHand` with nothing reserved. */
export async function expectNothingTaken(user: TestUser, stock: Record<string, number>): Promise<void> {
  expect(await ordersOfUser(user.id)).toEqual([]);
  for (const [sku, onHand] of Object.entries(stock)) {
    expect(await level(sku), sku).toMatchObject({ onHand, reserved: 0, available: onHand });
  }
}

/** Expects a 503 DEPENDENCY_UNAVAILABLE problem. */
export const expectUnavailable = (res: Response) => expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');

/** A shop (one SKU per price, `stock` units each) and a new buyer whose cart holds quantities[i] of SKU i. */
export async function buyerWithCart(prices: number[], stock: number, quantities: number[]) {
  const shop = await openShop(prices, stock);
  const buyer = await createUser();
  for (const [i, quantity] of quantities.entries()) await addToCart(buyer, shop.skus[i] ?? '', quantity);
  return { shop, buyer, skus: shop.skus };
}
