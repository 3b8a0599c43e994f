import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUltraMarketSignature } from '../../../docs/snippets/verify-webhook';
import { webhookDeliveries, webhookEndpoints } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { requeueOverdueDeliveries } from '../../../workers/webhooks/delivery';
import { expectProblem } from '../../support/app';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { deliveriesOf, deliveryRow, fanOutOne, receivedAt, receiverUrl, recordingEnv, registerEndpoint, retireEndpointsOf, runAttempt } from './helpers';

const TYPE = 'order.delivered';
let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});
afterAll(() => retireEndpointsOf(admin.id));

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('manual re-send', () => {
  it('queues a new delivery of the same event, which is delivered and logged next to the original', async () => {
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const { env, sent } = recordingEnv();
    const original = await fanOutOne(env, sent, endpoint.id, TYPE);
    await runAttempt(env, original, 1);
    const first = await deliveryRow(original);
    expect(first.status).toBe('succeeded');

    const res = await api('POST', `/webhooks/endpoints/${endpoint.id}/deliveries/${original}/resend`, { token: admin.accessToken });
    expect(res.status).toBe(202);
    const resent = await res.json<{ id: string; status: string; eventId: string; redeliveryOf: string; attempts: number }>();
    expect(resent).toMatchObject({ status: 'pending', eventId: first.eventId, redeliveryOf: original, attempts: 0 });
    expect(resent.id).not.toBe(original);

    // The API queued it on the real queue; running the job here too shows a duplicate cannot send twice.
    await runAttempt(env, resent.id, 1);
    const row = await eventually(() => deliveryRow(resent.id), (r) => r.status === 'succeeded');
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });

    const requests = (await receivedAt(endpoint.url)).filter((r) => r.headers['ultramarket-event-id'] === first.eventId);
    expect(requests.map((r) => r.headers['ultramarket-delivery-id'])).toEqual([original, resent.id]);
    expect(requests[0]?.body).toBe(requests[1]?.body);
    for (const r of requests) expect(await verifyUltraMarketSignature(r.body, r.headers['ultramarket-signature'], endpoint.secret)).toBe(true);

    const log = await (await api('GET', `/webhooks/endpoints/${endpoint.id}/deliveries`, { token: admin.accessToken })).json<{ data: Array<{ id: string }> }>();
    expect(log.data.map((d) => d.id).slice(0, 2)).toEqual([resent.id, original]);
  });

  it('404 for an unknown delivery or another endpoint’s; 409 on a disabled endpoint; nothing is created', async () => {
    const { env, sent } = recordingEnv();
    const a = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const b = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const ofA = await fanOutOne(env, sent, a.id, TYPE);
    const resend = (endpointId: string, deliveryId: string) => api('POST', `/webhooks/endpoints/${endpointId}/deliveries/${deliveryId}/resend`, { token: admin.accessToken });
    await expectProblem(await resend(a.id, newId()), 404, 'NOT_FOUND');
    await expectProblem(await resend(b.id, ofA), 404, 'NOT_FOUND');
    await expectProblem(await resend(newId(), ofA), 404, 'NOT_FOUND');
    await withDb((db) => db.update(webhookEndpoints).set({ status: 'disabled', disabledReason: 'test' }).where(eq(webhookEndpoints.id, a.id)));
    await expectProblem(await resend(a.id, ofA), 409, 'CONFLICT');
    expect((await deliveriesOf(a.id)).filter((d) => d.redeliveryOf !== null)).toEqual([]);
    expect((await deliveriesOf(b.id)).filter((d) => d.redeliveryOf !== null)).toEqual([]);
  });
});

describe('cron safety net', () => {
  it('queues again the pending deliveries whose message was lost, once', async () => {
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const { env, sent } = recordingEnv();
    const lost = await fanOutOne(env, sent, endpoint.id, TYPE);
    const onTime = await fanOutOne(env, sent, endpoint.id, TYPE);
    await withDb(async (db) => {
      await db.update(webhookDeliveries).set({ attempts: 2, nextAttemptAt: sql`now() - interval '1 hour'` }).where(eq(webhookDeliveries.id, lost));
      await db.update(webhookDeliveries).set({ attempts: 2, nextAttemptAt: sql`now() + interval '1 hour'` }).where(eq(webhookDeliveries.id, onTime));
    });
    sent.length = 0;
    await requeueOverdueDeliveries(env);
    const mine = () => sent.filter((m) => [lost, onTime].includes(String(m.body.payload.deliveryId)));
    expect(mine().map((m) => m.body.payload)).toEqual([{ deliveryId: lost, attempt: 3 }]);
    sent.length = 0;
    await requeueOverdueDeliveries(env);
    expect(mine()).toEqual([]);
    await runAttempt(env, lost, 3);
    expect(await deliveryRow(lost)).toMatchObject({ status: 'succeeded', attempts: 3 });
  });
});
