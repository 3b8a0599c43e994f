import { beforeAll, describe, expect, it } from 'vitest';
import { BLOB_FIELDS, column, DOUBLE_FIELDS } from '../../../shared/analytics';
import { call } from '../../support/app';
import { API, api, createUser, type TestUser } from '../../support/users';
import { addToCart, ADDRESS, openShop, paymentOf, type Placed, type Shop } from '../../support/checkout';

/** A stand-in Analytics Engine binding that keeps what it is given. */
function recorder() {
  const points: AnalyticsEngineDataPoint[] = [];
  const binding: AnalyticsEngineDataset = { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void (p && points.push(p)) };
  return { points, binding };
}

/** A point read back through the one layout in shared/analytics.ts. */
function named(p: AnalyticsEngineDataPoint) {
  const blobs = Object.fromEntries(BLOB_FIELDS.map((f, i) => [f, p.blobs?.[i]]));
  const doubles = Object.fromEntries(DOUBLE_FIELDS.map((f, i) => [f, p.doubles?.[i]]));
  return { index: p.indexes?.[0], ...blobs, ...doubles } as Record<string, unknown>;
}

function send(method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string>; cf?: Record<string, unknown>; analytics?: AnalyticsEngineDataset }) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), cf: options.cf } as RequestInit;
  return call(new Request(`${API}${path}`, init), { env: { ANALYTICS: options.analytics } });
}

describe('the data point layout', () => {
  it('is fixed in one place; the documented SQL columns follow from it', () => {
    expect(BLOB_FIELDS.length).toBeLessThanOrEqual(20);
    expect(DOUBLE_FIELDS.length).toBeLessThanOrEqual(20);
    expect([column('method'), column('route'), column('status'), column('kind'), column('currency')]).toEqual(['blob1', 'blob2', 'blob3', 'blob7', 'blob8']);
    expect([column('latencyMs'), column('statusCode'), column('amount')]).toEqual(['double1', 'double2', 'double3']);
  });
});

describe('one data point per request', () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createUser('admin');
  }, 60_000);

  it('route template (not the raw path), method, status, latency, request id, country and colo from request.cf', async () => {
    const { points, binding } = recorder();
    const id = crypto.randomUUID();
    const res = await send('GET', `/orders/${id}`, { token: admin.accessToken, cf: { country: 'UZ', colo: 'TAS' }, analytics: binding });
    expect(res.status).toBe(404);
    expect(points).toHaveLength(1);
    const p = named(points[0] as AnalyticsEngineDataPoint);
    expect(p).toMatchObject({
      index: '/api/v1/orders/:id',
      kind: 'request',
      method: 'GET',
      route: '/api/v1/orders/:id',
      status: '404',
      statusCode: 404,
      requestId: res.headers.get('x-request-id'),
      country: 'UZ',
      colo: 'TAS',
      currency: '',
      orderId: '',
      amount: 0,
    });
    expect(JSON.stringify(points[0])).not.toContain(id);
    expect(p.latencyMs).toBeTypeOf('number');
    expect(p.latencyMs as number).toBeGreaterThanOrEqual(0);
  });

  it('without request.cf (local runs) country and colo are empty', async () => {
    const { points, binding } = recorder();
    const res = await send('GET', '/analytics/overview', { token: admin.accessToken, analytics: binding });
    expect(res.status).toBe(200);
    expect(named(points[0] as AnalyticsEngineDataPoint)).toMatchObject({ route: '/api/v1/analytics/overview', status: '200', country: '', colo: '' });
  });
});

describe('business data points: placed, paid, refunded', () => {
  let shop: Shop;
  let buyer: TestUser;
  beforeAll(async () => {
    shop = await openShop([2_000], 20);
    buyer = await createUser('customer', 'ae-buyer');
  }, 60_000);

  const orderPoints = (points: AnalyticsEngineDataPoint[]) => points.map(named).filter((p) => p.kind !== 'request');

  it('each committed change writes its kind with the money it moved', async () => {
    await addToCart(buyer, shop.skus[0] as string, 2);
    const placedRec = recorder();
    const placedRes = await send('POST', '/orders', {
      token: buyer.accessToken,
      body: { shippingAddress: ADDRESS },
      headers: { 'idempotency-key': crypto.randomUUID() },
      analytics: placedRec.binding,
    });
    expect(placedRes.status, await placedRes.clone().text()).toBe(201);
    const { order } = await placedRes.json<Placed>();
    const money = { currency: 'USD', orderId: order.id, orderTotal: order.total };
    expect(orderPoints(placedRec.points)).toEqual([
      expect.objectContaining({ index: 'order.placed', kind: 'order.placed', ...money, amount: order.total, refundedTotal: 0, method: '', route: '' }),
    ]);

    const paidRec = recorder();
    const paid = await send('POST', '/payments/process', { token: buyer.accessToken, body: { orderId: order.id, paymentMethodId: 'pm_card_visa' }, analytics: paidRec.binding });
    expect(paid.status, await paid.clone().text()).toBe(200);
    expect(orderPoints(paidRec.points)).toEqual([expect.objectContaining({ kind: 'order.paid', ...money, amount: order.total, refundedTotal: 0 })]);

    const payment = await paymentOf(buyer, order.id);
    const refund = async (amount: number) => {
      const rec = recorder();
      const res = await send('POST', `/payments/${payment.id}/refund`, {
        token: shop.admin.accessToken,
        body: { amount },
        headers: { 'idempotency-key': crypto.randomUUID() },
        analytics: rec.binding,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return orderPoints(rec.points);
    };
    // Each refund reports what it refunded, and the running total.
    expect(await refund(500)).toEqual([expect.objectContaining({ kind: 'order.partially_refunded', ...money, amount: 500, refundedTotal: 500 })]);
    expect(await refund(700)).toEqual([expect.objectContaining({ kind: 'order.partially_refunded', ...money, amount: 700, refundedTotal: 1_200 })]);
    expect(await refund(order.total - 1_200)).toEqual([
      expect.objectContaining({ kind: 'order.refunded', ...money, amount: order.total - 1_200, refundedTotal: order.total }),
    ]);
  });

  it('cancelling an unpaid order writes order.cancelled with nothing refunded', async () => {
    await addToCart(buyer, shop.skus[0] as string, 1);
    const placed = await api('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(placed.status).toBe(201);
    const { order } = await placed.json<Placed>();
    const rec = recorder();
    const res = await send('DELETE', `/orders/${order.id}`, { token: buyer.accessToken, analytics: rec.binding });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(orderPoints(rec.points)).toEqual([expect.objectContaining({ kind: 'order.cancelled', orderId: order.id, amount: 0, refundedTotal: 0, orderTotal: order.total })]);
  });

  it('a failing analytics binding fails neither the request nor the order', async () => {
    await addToCart(buyer, shop.skus[0] as string, 1);
    const broken: AnalyticsEngineDataset = {
      writeDataPoint: () => {
        throw new Error('dataset gone');
      },
    };
    const res = await send('POST', '/orders', { token: buyer.accessToken, body: { shippingAddress: ADDRESS }, headers: { 'idempotency-key': crypto.randomUUID() }, analytics: broken });
    expect(res.status, await res.clone().text()).toBe(201);
    const { order } = await res.json<Placed>();
    expect((await api('GET', `/orders/${order.id}`, { token: buyer.accessToken })).status).toBe(200);
  });
});
