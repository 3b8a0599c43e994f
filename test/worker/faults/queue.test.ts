import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { emailDeliveries, notifications } from '../../../shared/db/schema';
import worker from '../../../workers/index';
import { type QueueEvent, queueHandlers, subscribe } from '../../../workers/queue';
import { testEnv } from '../../support/app';
import { createUser, withDb } from '../../support/users';

const QUEUE = 'ultramarket-notifications-dev';

/** Runs one batch through the Worker's queue handler; returns which messages were acked and which retried. */
async function consume(events: QueueEvent[], attempts: number) {
  const batch = createMessageBatch<QueueEvent>(
    QUEUE,
    events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.sort(), retried: result.retryMessages.map((m) => m.msgId) };
}

/** What the notifications consumer left for these events: in-app rows, email deliveries, provider calls, stored emails. */
async function leftFor(eventIds: string[]) {
  return withDb(async (db) => {
    const rows = await db.select({ eventId: notifications.eventId }).from(notifications).where(inArray(notifications.eventId, eventIds));
    const deliveries = await db
      .select({ eventId: emailDeliveries.eventId, status: emailDeliveries.status, attempts: emailDeliveries.attempts })
      .from(emailDeliveries)
      .where(inArray(emailDeliveries.eventId, eventIds));
    const emails = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from dev_emails e join email_deliveries d on d.id::text = e.delivery_id::text
      where d.event_id in (${sql.join(eventIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    return { rows, deliveries, emails: Number(emails.rows[0]?.n ?? 0) };
  });
}

describe('a queue consumer crashing mid-batch', { timeout: 90_000 }, () => {
  afterEach(() => {
    const handlers = queueHandlers['order.paid'];
    if (handlers) queueHandlers['order.paid'] = handlers.filter((h) => h !== crashOnThird);
  });

  let seen = 0;
  /** A second consumer of `order.paid` that fails on the third message it sees: after the notification was delivered. */
  const crashOnThird = async () => {
    if (++seen === 3) throw new Error('injected: consumer crashed mid-batch');
  };

  it('the failed message is retried and the whole batch redelivered: one in-app row and one email per event', async () => {
    const buyer = await createUser();
    const events: QueueEvent[] = Array.from({ length: 5 }, () => ({
      id: crypto.randomUUID(),
      type: 'order.paid',
      payload: { orderId: crypto.randomUUID(), userId: buyer.id, status: 'paid', total: 4200, currency: 'USD' },
    }));
    const ids = events.map((e) => e.id);
    seen = 0;
    subscribe('order.paid', crashOnThird);

    const first = await consume(events, 1);
    expect(first.retried).toEqual(['m2']);
    expect(first.acked).toEqual(['m0', 'm1', 'm3', 'm4']);

    // The retry of the failed message, then the platform redelivering the whole batch (acks lost in a crash).
    expect((await consume([events[2] as QueueEvent], 2)).retried).toEqual([]);
    expect((await consume(events, 3)).retried).toEqual([]);

    const left = await leftFor(ids);
    expect(left.rows.map((r) => r.eventId).sort()).toEqual([...ids].sort());
    expect(left.deliveries).toHaveLength(5);
    // Each email went to the provider once (attempts counts provider calls) and was stored once.
    expect(left.deliveries.every((d) => d.status === 'sent' && d.attempts === 1), JSON.stringify(left.deliveries)).toBe(true);
    expect(left.emails).toBe(5);
  });
});
