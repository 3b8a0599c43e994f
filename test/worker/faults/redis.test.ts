import { beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from '../../support/invariants';
import { HOOK_TIMEOUT } from '../../support/catalog';
import { createUser, type TestUser } from '../../support/users';
import { level, openShop, orderOf, type Placed, type Shop } from '../../support/checkout';
import { clientWith, DEAD_REDIS, expectUnavailable, forwardWith, orderVia, ordersOfUser, payVia } from './helpers';

// Redis holds caches, rate-limit windows, idempotency records and token
// denylists (DESIGN §1): losing it may cost speed, never a sale. See docs/faults.md.
let shop: Shop;
beforeAll(async () => {
  shop = await openShop([1500, 2500], 10);
}, HOOK_TIMEOUT);

const down = () => clientWith('redis-down', DEAD_REDIS);

describe('Redis unreachable', { timeout: 90_000 }, () => {
  it('browsing answers from Postgres: listing, detail, search, categories', async () => {
    const client = down();
    const id = shop.productIds[0] ?? '';
    const detail = await client('GET', `/products/${id}`);
    expect(detail.status, await detail.clone().text()).toBe(200);
    const { name } = await detail.json<{ name: string }>();
    for (const path of ['/products?limit=5', `/search?q=${encodeURIComponent(name)}`, '/categories']) {
      const res = await client('GET', path);
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    }
    const found = await (await client('GET', `/search?q=${encodeURIComponent(name)}`)).json<{ hits: Array<{ id: string }> }>();
    expect(found.hits.map((p) => p.id)).toContain(id);
  });

  it('a whole checkout works: cart, order, payment, webhook; stock committed once', async () => {
    const client = down();
    const [a, b] = shop.skus as [string, string];
    const buyer = await createUser();
    for (const [sku, quantity] of [[a, 2], [b, 1]] as const) {
      const added = await client('POST', '/cart/items', { token: buyer.accessToken, body: { sku, quantity } });
      expect(added.status, await added.clone().text()).toBe(201);
    }
    const key = crypto.randomUUID();
    const res = await orderVia(client, buyer, key);
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = await res.json<Placed>();
    expect(await level(a)).toMatchObject({ onHand: 10, reserved: 2 });

    // No idempotency record without Redis: the order's unique key in Postgres answers the retry
    // with the same order, never a second one.
    const retry = await orderVia(client, buyer, key);
    expect(retry.status, await retry.clone().text()).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await retry.json<Placed>()).order.id).toBe(placed.order.id);
    expect(await ordersOfUser(buyer.id)).toHaveLength(1);

    const paid = await payVia(client, buyer, placed.order.id, crypto.randomUUID());
    expect(paid.status, await paid.clone().text()).toBe(200);
    const statuses = await forwardWith(DEAD_REDIS, placed.payment.paymentIntentId);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    expect(await level(a)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(await level(b)).toMatchObject({ onHand: 9, reserved: 0 });
    await expectInvariants(shop.skus);
  });

  it('rate limits fail open on every route (no RateLimit headers, no 429); only money-moving refunds refuse', async () => {
    const client = down();
    const customer: TestUser = await createUser();
    const routes: Array<[string, string, Record<string, unknown>?]> = [
      ['GET', '/products?limit=1'],
      ['GET', '/auth/profile', { token: customer.accessToken }],
      ['POST', '/auth/login', { body: { email: customer.email, password: customer.password } }],
      ['POST', '/auth/refresh', { body: { refreshToken: customer.refreshToken } }],
    ];
    for (const [method, path, options] of routes) {
      const res = await client(method, path, options);
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(200);
      expect(res.headers.get('ratelimit-limit'), path).toBeNull();
    }
    // A wrong password is still only a 401 (the per-account failure counter is unavailable too).
    const wrong = await client('POST', '/auth/login', { body: { email: customer.email, password: 'not it' } });
    expect(wrong.status).toBe(401);

    // Refunds keep failing closed: their idempotency record is the only guard against a second refund row.
    const refund = await client('POST', `/payments/${crypto.randomUUID()}/refund`, {
      token: shop.admin.accessToken,
      body: {},
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    await expectUnavailable(refund);
  });
});
