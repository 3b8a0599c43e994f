import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { emailDeliveries } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import type { QueueEvent } from '../../../workers/queue';
import { call, expectProblem, testEnv } from '../../support/app';
import { withDb } from '../../support/users';
import {
  deliver,
  DLQ,
  failSendsTo,
  httpEnv,
  type QuietUser,
  quietUser,
  recordedEvent,
  standinEmails,
  standinRequests,
  stopFailingSendsTo,
  traceOf,
} from './helpers';

/** A NOTIFICATIONS binding that keeps what the retry action queues, so the test runs the consumer on it itself. */
function recordingQueue() {
  const sent: QueueEvent[] = [];
  const queue = {
    send: async (body: QueueEvent) => void sent.push(body),
    sendBatch: async (batch: Array<{ body: QueueEvent }>) => void sent.push(...batch.map((m) => m.body)),
  };
  return { sent, queue };
}

const asAdmin = (admin: QuietUser, path: string, init: RequestInit = {}, env: Record<string, unknown> = {}) =>
  call(new Request(`http://api.test/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${admin.accessToken}` } }), { env });

async function failedList(admin: QuietUser): Promise<Array<{ id: string; eventId: string; lastError: string | null; attempts: number }>> {
  const found = [];
  let cursor: string | null = null;
  do {
    const res = await asAdmin(admin, `/notifications/failed?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    const page = await res.json<{ data: Array<{ id: string; eventId: string; lastError: string | null; attempts: number }>; nextCursor: string | null }>();
    found.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

describe('failing email provider → retries → dead-letter queue → failed list → retry', () => {
  const failing: string[] = [];
  afterEach(async () => {
    for (const to of failing.splice(0)) await stopFailingSendsTo(to);
  });

  it('retries while the provider fails, lists the email once it is dead-lettered, and an admin retry delivers it once', async () => {
    const admin = await quietUser({ role: 'admin' });
    const user = await quietUser({ locale: 'uz' });
    failing.push(user.email);
    await failSendsTo(user.email, { status: 503 });
    const event = await recordedEvent('order.refunded', user);

    // Each attempt is retried by the queue (with backoff) and recorded on the delivery.
    for (const attempts of [1, 2, 3]) {
      const outcome = await deliver(event, { env: httpEnv, attempts });
      expect(outcome.retried).toBe(true);
    }
    let trace = await traceOf(event.id);
    expect(trace.inApp).toHaveLength(1);
    expect(trace.deliveries[0]).toMatchObject({ status: 'pending', attempts: 3 });
    expect(trace.deliveries[0]?.lastError).toContain('503');
    expect(await failedList(admin)).not.toContainEqual(expect.objectContaining({ eventId: event.id }));

    // Out of retries: the platform moves it to the dead-letter queue, whose consumer records the failure.
    expect((await deliver(event, { env: httpEnv, queue: DLQ })).acked).toBe(true);
    trace = await traceOf(event.id);
    const delivery = trace.deliveries[0];
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3 });
    expect(delivery?.failedAt).toBeInstanceOf(Date);
    expect(delivery?.lastError).toContain('503');
    const listed = (await failedList(admin)).find((f) => f.eventId === event.id);
    expect(listed).toMatchObject({ id: delivery?.id, attempts: 3, to: user.email, locale: 'uz', eventType: 'order.refunded' });
    expect(await standinEmails(user.email)).toHaveLength(0);

    // The admin retries after the provider recovered: the original event goes back on the queue.
    await stopFailingSendsTo(user.email);
    const { sent, queue } = recordingQueue();
    const res = await asAdmin(admin, `/notifications/failed/${delivery?.id}/retry`, { method: 'POST' }, { NOTIFICATIONS: queue });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: delivery?.id, status: 'pending' });
    expect(sent).toEqual([{ id: event.id, type: event.type, payload: event.payload }]);
    expect((await failedList(admin)).find((f) => f.eventId === event.id)).toBeUndefined();

    const [requeued] = sent;
    if (!requeued) throw new Error('nothing queued');
    expect((await deliver(requeued, { env: httpEnv })).acked).toBe(true);
    expect((await deliver(requeued, { env: httpEnv })).acked).toBe(true);
    const emails = await standinEmails(user.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe('Buyurtmangiz uchun pul qaytarildi');
    trace = await traceOf(event.id);
    expect(trace.inApp).toHaveLength(1);
    expect(trace.deliveries[0]).toMatchObject({ status: 'sent', attempts: 4, failedAt: null, providerMessageId: emails[0]?.id });

    // Sent now: retrying again is a conflict and queues nothing.
    const again = await asAdmin(admin, `/notifications/failed/${delivery?.id}/retry`, { method: 'POST' }, { NOTIFICATIONS: queue });
    await expectProblem(again, 409, 'CONFLICT');
    expect(sent).toHaveLength(1);
  });

  it('a provider that refuses the email for good puts it in the failed list at once, without retries', async () => {
    const admin = await quietUser({ role: 'admin' });
    const user = await quietUser();
    failing.push(user.email);
    await failSendsTo(user.email, { status: 422, count: 1 });
    const event = await recordedEvent('order.placed', user);
    const outcome = await deliver(event, { env: httpEnv });
    expect(outcome.acked).toBe(true);
    const { deliveries } = await traceOf(event.id);
    expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(deliveries[0]?.lastError).toContain('422');
    expect((await failedList(admin)).map((f) => f.eventId)).toContain(event.id);
  });

  it('a dead letter whose email never got as far as a delivery row is still recorded as failed', async () => {
    const admin = await quietUser({ role: 'admin' });
    const user = await quietUser();
    const event = await recordedEvent('payment.failed', user);
    expect((await deliver(event, { queue: DLQ })).acked).toBe(true);
    const { inApp, deliveries } = await traceOf(event.id);
    expect(inApp).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'failed', lastError: 'ran out of retries' });
    expect((await failedList(admin)).map((f) => f.eventId)).toContain(event.id);
  });

  it('a dead letter for an email that was sent meanwhile leaves it sent', async () => {
    const user = await quietUser();
    const event = await recordedEvent('order.paid', user);
    await deliver(event);
    await deliver(event, { queue: DLQ });
    expect((await traceOf(event.id)).deliveries[0]).toMatchObject({ status: 'sent', failedAt: null });
  });

  it('without a provider outside development, the email is retried with the reason, never dropped', async () => {
    const user = await quietUser();
    const event = await recordedEvent('order.shipped', user);
    // Staging: production would also refuse the test run's plain-http URLs and test secrets.
    const deployed = { ...testEnv, APP_ENV: 'staging' } as Bindings;
    expect((await deliver(event, { env: deployed })).retried).toBe(true);
    const { deliveries } = await traceOf(event.id);
    expect(deliveries[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(deliveries[0]?.lastError).toContain('EMAIL_PROVIDER_URL');
    expect(await standinRequests(user.email)).toBe(0);
  });

  it('retry: 404 for an unknown delivery, 409 for one that is not failed, 503 when the queue is down (still listed)', async () => {
    const admin = await quietUser({ role: 'admin' });
    await expectProblem(await asAdmin(admin, `/notifications/failed/${crypto.randomUUID()}/retry`, { method: 'POST' }), 404, 'NOT_FOUND');
    await expectProblem(await asAdmin(admin, '/notifications/failed/not-a-uuid/retry', { method: 'POST' }), 400, 'VALIDATION_FAILED');

    const user = await quietUser();
    const pending = await recordedEvent('order.paid', user);
    await deliver(pending, { queue: DLQ });
    const [delivery] = (await traceOf(pending.id)).deliveries;
    const down = { send: async () => Promise.reject(new Error('queue down')) };
    await expectProblem(await asAdmin(admin, `/notifications/failed/${delivery?.id}/retry`, { method: 'POST' }, { NOTIFICATIONS: down }), 503, 'DEPENDENCY_UNAVAILABLE');
    expect((await traceOf(pending.id)).deliveries[0]).toMatchObject({ status: 'failed' });

    await withDb((db) => db.update(emailDeliveries).set({ status: 'sent' }).where(eq(emailDeliveries.eventId, pending.id)));
    await expectProblem(await asAdmin(admin, `/notifications/failed/${delivery?.id}/retry`, { method: 'POST' }), 409, 'CONFLICT');
  });
});
