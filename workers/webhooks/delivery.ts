import { and, arrayOverlaps, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Deps, runWithDeps } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { webhookDeliveries, webhookEndpoints } from '../../shared/db/schema';
import { type Bindings, loadConfig } from '../../shared/env';
import { Misconfigured } from '../../shared/errors';
import { parseDomainEvent } from '../../shared/events';
import { newId } from '../../shared/ids';
import { createLogger, type Logger } from '../../shared/logger';
import { unseal } from '../../shared/sealed';
import type { QueueConsumer, QueueEvent } from '../../shared/queue';
import { type AttemptOutcome, buildRequest, claimAttempt, type ClaimedDelivery, postOnce, recordDropped, recordExhausted, recordRetry, recordSuccess } from './attempt';
import { nextRetryDelay } from './backoff';
import { deliveryUrlProblem } from './destination';
import { DELIVER, enqueueDeliveries } from './jobs';
import { ALL_EVENTS, DELIVERABLE_EVENT_TYPES } from './schemas';

const withDeps = (env: Bindings, bound: Record<string, unknown>, work: (db: Database, deps: Deps) => Promise<void>) =>
  runWithDeps(env, bound, (deps) => work(deps.db, deps));

/**
 * A domain event → one delivery row per live, enabled endpoint subscribed to
 * its type, each queued for its first attempt. Idempotent per event id: the
 * unique (endpoint, event) index keeps a redelivered event from making a
 * second row, and rows still untried are queued again (the attempt claim
 * makes a duplicate message harmless) in case the first send was lost.
 */
export async function fanOutEvent(message: QueueEvent, env: Bindings): Promise<void> {
  if (!z.uuid().safeParse(message.id).success) return; // not an outbox event
  await withDeps(env, { event: message.id, type: message.type }, async (db, deps) => {
    // Receivers are promised the documented payload: one that does not match its schema is not sent.
    const parsed = parseDomainEvent(message);
    if ('error' in parsed) return deps.logger.error('event does not match its schema; not delivered to webhooks', { error: parsed.error });
    const event = parsed.event;
    const endpoints = await db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          isNull(webhookEndpoints.deletedAt),
          eq(webhookEndpoints.status, 'enabled'),
          arrayOverlaps(webhookEndpoints.eventTypes, [event.type, ALL_EVENTS]),
        ),
      );
    if (!endpoints.length) return;
    const queued = await db
      .insert(webhookDeliveries)
      .values(
        endpoints.map((e) => ({ id: newId(), endpointId: e.id, eventId: event.id, eventType: event.type, payload: event.payload, nextAttemptAt: sql`now()` })),
      )
      .onConflictDoUpdate({
        target: [webhookDeliveries.endpointId, webhookDeliveries.eventId],
        targetWhere: sql`redelivery_of is null`,
        set: { updatedAt: sql`now()` },
        setWhere: sql`${webhookDeliveries.status} = 'pending' and ${webhookDeliveries.attempts} = 0`,
      })
      .returning({ id: webhookDeliveries.id });
    await enqueueDeliveries(env.NOTIFICATIONS, queued.map((d) => ({ id: d.id, attempt: 1 })));
  });
}

const DeliverPayload = z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(1) });

/**
 * One attempt of one delivery. A receiver's failure is not a queue failure:
 * the attempt is recorded and the next one is queued with its own delay
 * (the backoff schedule in backoff.ts), and this message is acked. Only our
 * own trouble (database, queue) throws and lets the queue retry the message.
 */
export async function deliverWebhook(event: QueueEvent, env: Bindings): Promise<void> {
  const job = DeliverPayload.safeParse(event.payload);
  if (!job.success) return;
  const { deliveryId, attempt } = job.data;
  await withDeps(env, { delivery: deliveryId, attempt }, async (db, deps) => {
    const delivery = await claimAttempt(db, deliveryId, attempt);
    if (!delivery) return deps.logger.debug('webhook attempt already taken or delivery finished');
    if (delivery.endpointStatus !== 'enabled' || delivery.endpointDeletedAt) return recordDropped(db, delivery);
    const outcome = await attemptDelivery(deps, delivery);
    if (outcome.ok) return recordSuccess(db, delivery, outcome);
    const elapsedSeconds = (Date.now() - delivery.createdAt.getTime()) / 1000;
    const delay = outcome.final ? null : nextRetryDelay(delivery.attempts, elapsedSeconds);
    logAttempt(deps.logger, outcome.error, delay);
    if (delay === null) return recordExhausted(db, delivery, outcome, deps.config.WEBHOOK_DISABLE_AFTER_FAILURES);
    await recordRetry(db, delivery, outcome, delay);
    await enqueueDeliveries(env.NOTIFICATIONS, [{ id: delivery.id, attempt: delivery.attempts + 1 }], delay);
  });
}

/** Opens the endpoint's signing secret and POSTs; a secret that cannot be opened is a failed attempt, logged and retried. */
async function attemptDelivery(deps: Deps, delivery: ClaimedDelivery): Promise<AttemptOutcome> {
  // Checked again at every attempt: the rules may have tightened since the endpoint was registered.
  const refused = deliveryUrlProblem(deps.config, delivery.url);
  if (refused) {
    deps.logger.warn('webhook destination refused; not sent', { endpoint: delivery.endpointId, reason: refused });
    return { ok: false, statusCode: null, error: `not sent: the URL ${refused}`, ms: 0, final: true };
  }
  let secret: string;
  try {
    secret = await unseal(deps.config.WEBHOOK_SECRET_KEY, delivery.secret, delivery.endpointId);
  } catch (err) {
    if (!(err instanceof Misconfigured)) throw err;
    deps.logger.error('webhook signing secret cannot be opened: WEBHOOK_SECRET_KEY is missing or not the one it was sealed with', {
      endpoint: delivery.endpointId,
    });
    return { ok: false, statusCode: null, error: 'not sent: the signing secret cannot be opened (WEBHOOK_SECRET_KEY)', ms: 0 };
  }
  return postOnce(delivery.url, await buildRequest({ ...delivery, secret }));
}

function logAttempt(logger: Logger, error: string | null, delay: number | null): void {
  if (delay === null) logger.warn('webhook delivery failed for good', { error });
  else logger.info('webhook attempt failed; retrying', { error, delaySeconds: delay });
}

/** How late a pending delivery must be before the cron assumes its queue message was lost. */
const LOST_AFTER = sql`now() - interval '10 minutes'`;

/**
 * Cron safety net: pending deliveries well past their next attempt (their
 * message was lost, or its worker died mid-attempt) are queued again. Their
 * due time moves forward first, so the next cron run does not queue them twice.
 */
export async function requeueOverdueDeliveries(env: Bindings, limit = 100): Promise<void> {
  await withDeps(env, { job: 'webhook-requeue' }, async (db) => {
    const overdue = await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        sql`${webhookDeliveries.id} in (select id from webhook_deliveries where status = 'pending' and next_attempt_at < ${LOST_AFTER} order by next_attempt_at limit ${limit})`,
      )
      .returning({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts });
    await enqueueDeliveries(env.NOTIFICATIONS, overdue.map((d) => ({ id: d.id, attempt: d.attempts + 1 })));
  });
}

/** Queue consumers of outgoing webhooks (fan-out to endpoints, then one delivery each). */
export const webhookConsumers: QueueConsumer[] = [
  { types: DELIVERABLE_EVENT_TYPES, handle: fanOutEvent },
  {
    types: [DELIVER],
    handle: deliverWebhook,
    // The row is still pending: the cron safety net queues it again.
    deadLetter: async (event, env) =>
      createLogger(loadConfig(env).LOG_LEVEL).warn('webhook attempt dead-lettered; left to the cron safety net', { job: event.payload }),
  },
];
