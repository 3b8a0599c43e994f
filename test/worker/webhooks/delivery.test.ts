import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUltraMarketSignature } from '../../../docs/snippets/verify-webhook';
import { webhookDeliveries, webhookEndpoints } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import type { ReceivedRequest } from '../../support/webhook-receiver';
import { createUser, type TestUser, withDb } from '../../support/users';
import {
  type CreatedEndpoint,
  deliveriesOf,
  deliveryRow,
  domainEvent,
  endpointRow,
  fanOutOne,
  receivedAt,
  receiverUrl,
  recordingEnv,
  registerEndpoint,
  retireEndpointsOf,
  runAttempt,
  runQueue,
} from './helpers';

// A type few other tests emit, so background deliveries of real events rarely reach these endpoints.
const TYPE = 'order.delivered';

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});
afterAll(() => retireEndpointsOf(admin.id));

const register = (behaviour: string, types = [TYPE]) => registerEndpoint(admin.accessToken, receiverUrl(behaviour), types);
const of = (requests: ReceivedRequest[], deliveryId: string) => requests.filter((r) => r.headers['ultramarket-delivery-id'] === deliveryId);
const verify = (r: ReceivedRequest, secret: string) => verifyUltraMarketSignature(r.body, r.headers['ultramarket-signature'], secret);

describe('fan-out', () => {
  it('makes one delivery per subscribed, live, enabled endpoint, however often the event arrives', async () => {
    const exact = await register('ok');
    const all = await register('ok', ['*']);
    const other = await register('ok', ['order.paid']);
    const disabled = await register('ok');
    const deleted = await register('ok');
    await withDb(async (db) => {
      await db.update(webhookEndpoints).set({ status: 'disabled' }).where(eq(webhookEndpoints.id, disabled.id));
      await db.update(webhookEndpoints).set({ deletedAt: new Date() }).where(eq(webhookEndpoints.id, deleted.id));
    });
    const { env, sent } = recordingEnv();
    const event = domainEvent(TYPE, { orderId: newId(), userId: newId(), status: 'delivered', total: 4200, currency: 'USD' });
    await runQueue(env, [event]);
    await runQueue(env, [event]);

    const mine = async (e: CreatedEndpoint) => (await deliveriesOf(e.id)).filter((d) => d.eventId === event.id);
    const [a, b] = [await mine(exact), await mine(all)];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]).toMatchObject({ status: 'pending', attempts: 0, eventType: TYPE, payload: event.payload, redeliveryOf: null });
    for (const e of [other, disabled, deleted]) expect(await mine(e)).toEqual([]);
    // Each row was queued for its first attempt (again on the repeat: the attempt claim makes that harmless).
    // (Other "*" endpoints in the shared database get theirs too: only ours are looked at.)
    const ours = new Set([a[0]?.id, b[0]?.id]);
    const jobs = sent.filter((m) => m.body.type === 'webhook.deliver' && ours.has(String(m.body.payload.deliveryId)));
    expect(new Set(jobs.map((m) => m.body.payload.deliveryId))).toEqual(ours);
    expect(jobs.every((m) => m.body.payload.attempt === 1 && m.delaySeconds === undefined)).toBe(true);
  });

  it('never delivers auth.* events, even to "*"', async () => {
    const all = await register('ok', ['*']);
    const { env } = recordingEnv();
    const event = domainEvent('auth.password_reset_requested', { userId: newId(), token: 'one-time-secret' });
    await runQueue(env, [event]);
    expect((await deliveriesOf(all.id)).filter((d) => d.eventId === event.id)).toEqual([]);
  });
});

describe('a delivery', () => {
  it('POSTs the signed event, verifiable with the documented snippet, and is logged as succeeded', async () => {
    const endpoint = await register('ok');
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    const result = await runAttempt(env, id, 1);
    expect(result.explicitAcks).toHaveLength(1);

    const [request, ...more] = of(await receivedAt(endpoint.url), id);
    expect(more).toEqual([]);
    if (!request) throw new Error('nothing received');
    const row = await deliveryRow(id);
    expect(JSON.parse(request.body)).toEqual({ id: row.eventId, type: TYPE, createdAt: expect.any(String), data: row.payload });
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'ultramarket-event-id': row.eventId,
      'ultramarket-event-type': TYPE,
      'ultramarket-delivery-attempt': '1',
    });
    expect(Math.abs(Number(request.headers['ultramarket-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(request.headers['ultramarket-signature']).toMatch(new RegExp(`^t=${request.headers['ultramarket-timestamp']},v1=[0-9a-f]{64}$`));
    expect(await verify(request, endpoint.secret)).toBe(true);
    expect(await verify({ ...request, body: request.body.replace('"data":{', '"data":{"injected":1,') }, endpoint.secret)).toBe(false);
    expect(await verify(request, `${endpoint.secret}x`)).toBe(false);

    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(row.deliveredAt).not.toBeNull();
    expect(row.lastResponseMs).toBeGreaterThanOrEqual(0);

    // The same job again (a queue redelivery) sends nothing.
    await runAttempt(env, id, 1);
    expect(of(await receivedAt(endpoint.url), id)).toHaveLength(1);
  });

  it('a failing receiver gets retries with exponential backoff until it answers 2xx', async () => {
    const endpoint = await register('fail-3');
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    const delays: Array<number | undefined> = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      sent.length = 0;
      const result = await runAttempt(env, id, attempt);
      // A receiver's failure is not a queue failure: the message is acked and a delayed follow-up queued.
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
      expect(sent.map((m) => m.body)).toEqual([{ id, type: 'webhook.deliver', payload: { deliveryId: id, attempt: attempt + 1 } }]);
      delays.push(sent[0]?.delaySeconds);
      const row = await deliveryRow(id);
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lastStatusCode: 500 });
      expect(row.lastError).toMatch(/^HTTP 500/);
      const dueIn = ((row.nextAttemptAt?.getTime() ?? 0) - Date.now()) / 1000;
      expect(dueIn).toBeGreaterThan((sent[0]?.delaySeconds ?? 0) - 30);
      expect(dueIn).toBeLessThanOrEqual(sent[0]?.delaySeconds ?? 0);
    }
    expect(delays).toEqual([60, 120, 240]);

    // A stale duplicate of an earlier attempt is ignored; the expected one delivers.
    sent.length = 0;
    await runAttempt(env, id, 2);
    expect(of(await receivedAt(endpoint.url), id)).toHaveLength(3);
    await runAttempt(env, id, 4);
    expect(sent).toEqual([]);
    expect(await deliveryRow(id)).toMatchObject({ status: 'succeeded', attempts: 4, lastStatusCode: 200, lastError: null });
    const requests = of(await receivedAt(endpoint.url), id);
    expect(requests.map((r) => r.headers['ultramarket-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
    expect(new Set(requests.map((r) => r.headers['ultramarket-event-id'])).size).toBe(1);
    for (const r of requests) expect(await verify(r, endpoint.secret)).toBe(true);
  });

  it('counts timeouts, redirects and network errors as failures', async () => {
    const { env, sent } = recordingEnv();
    const cases = [
      { behaviour: 'status-302', error: /^HTTP 302/, code: 302 },
      { behaviour: 'slow-11000', error: /no answer within 10 s/, code: null },
    ];
    for (const c of cases) {
      const endpoint = await register(c.behaviour);
      const id = await fanOutOne(env, sent, endpoint.id, TYPE);
      await runAttempt(env, id, 1);
      const row = await deliveryRow(id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: c.code });
      expect(row.lastError).toMatch(c.error);
    }
    const dead = await register('ok');
    await withDb((db) => db.update(webhookEndpoints).set({ url: 'http://127.0.0.1:9/hook' }).where(eq(webhookEndpoints.id, dead.id)));
    const id = await fanOutOne(env, sent, dead.id, TYPE);
    await runAttempt(env, id, 1);
    expect((await deliveryRow(id)).lastError).toMatch(/^request failed/);
  }, 40_000);
});

/** Moves a delivery's creation back a day, so its next failure spends the retry budget. */
const ageOneDay = (id: string) =>
  withDb((db) => db.update(webhookDeliveries).set({ createdAt: sql`now() - interval '24 hours'` }).where(eq(webhookDeliveries.id, id)));

describe('running out of retries', () => {
  it('fails the delivery after 24 hours without queueing another attempt', async () => {
    const endpoint = await register('always-500');
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    await runAttempt(env, id, 1);
    expect((await deliveryRow(id)).status).toBe('pending');
    await ageOneDay(id);
    sent.length = 0;
    await runAttempt(env, id, 2);
    expect(sent).toEqual([]);
    expect(await deliveryRow(id)).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 500, nextAttemptAt: null });
    expect(await endpointRow(endpoint.id)).toMatchObject({ status: 'enabled', consecutiveFailures: 1 });
  });

  it('disables the endpoint, with a reason, after WEBHOOK_DISABLE_AFTER_FAILURES failed deliveries in a row; then sends nothing', async () => {
    const endpoint = await register('always-500');
    const { env, sent } = recordingEnv();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await fanOutOne(env, sent, endpoint.id, TYPE));
    for (const [i, id] of ids.slice(0, 5).entries()) {
      expect((await endpointRow(endpoint.id)).status).toBe('enabled');
      await ageOneDay(id);
      await runAttempt(env, id, 1);
      expect((await endpointRow(endpoint.id)).consecutiveFailures).toBe(i + 1);
    }
    const disabled = await endpointRow(endpoint.id);
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledReason).toMatch(/^5 deliveries in a row failed; last: HTTP 500/);
    expect(disabled.disabledAt).not.toBeNull();

    // The sixth, queued before, is dropped unsent; a new event makes no delivery at all.
    const before = (await receivedAt(endpoint.url)).length;
    await runAttempt(env, ids[5] ?? '', 1);
    expect(await deliveryRow(ids[5] ?? '')).toMatchObject({ status: 'failed', attempts: 0, lastError: 'not sent: endpoint disabled' });
    const event = domainEvent(TYPE);
    await runQueue(env, [event]);
    expect((await deliveriesOf(endpoint.id)).filter((d) => d.eventId === event.id)).toEqual([]);
    expect((await receivedAt(endpoint.url)).length).toBe(before);
  });

  it('a success resets the run of failures', async () => {
    const endpoint = await register('ok');
    await withDb((db) => db.update(webhookEndpoints).set({ consecutiveFailures: 4 }).where(eq(webhookEndpoints.id, endpoint.id)));
    const { env, sent } = recordingEnv();
    await runAttempt(env, await fanOutOne(env, sent, endpoint.id, TYPE), 1);
    expect((await endpointRow(endpoint.id)).consecutiveFailures).toBe(0);
  });

  it('a deleted endpoint gets nothing more, pending retries included', async () => {
    const endpoint = await register('ok');
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    await withDb((db) => db.update(webhookEndpoints).set({ deletedAt: new Date() }).where(eq(webhookEndpoints.id, endpoint.id)));
    await runAttempt(env, id, 1);
    expect(await deliveryRow(id)).toMatchObject({ status: 'failed', lastError: 'not sent: endpoint deleted' });
    expect(of(await receivedAt(endpoint.url), id)).toEqual([]);
  });
});
