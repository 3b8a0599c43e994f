import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import { webhookDeliveries, webhookEndpoints } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import { newId } from '../../../shared/ids';
import worker from '../../../workers/index';
import type { QueueEvent } from '../../../workers/queue';
import { deliveryJob } from '../../../workers/webhooks/jobs';
import { testEnv } from '../../support/app';
import type { ReceivedRequest } from '../../support/webhook-receiver';
import { api, withDb } from '../../support/users';

export interface SentMessage {
  body: QueueEvent;
  delaySeconds?: number;
}

/**
 * Bindings whose NOTIFICATIONS queue records what is sent instead of queueing
 * it, so a test sees (and replays, when it chooses) the follow-up messages a
 * consumer sends.
 */
export function recordingEnv(): { env: Bindings; sent: SentMessage[] } {
  const sent: SentMessage[] = [];
  const queue = {
    async send(body: QueueEvent, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<QueueEvent>>, options?: QueueSendBatchOptions) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? options?.delaySeconds });
    },
  };
  return { env: { ...testEnv, NOTIFICATIONS: queue as unknown as Queue } as Bindings, sent };
}

/** Runs messages through the Worker's real queue handler, as the platform would. */
export async function runQueue(env: Bindings, bodies: QueueEvent[]) {
  const batch = createMessageBatch<QueueEvent>(
    'ultramarket-notifications-dev',
    bodies.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

/** One delivery attempt through the queue handler. */
export const runAttempt = (env: Bindings, deliveryId: string, attempt: number) => runQueue(env, [deliveryJob(deliveryId, attempt)]);

export const receiverUrl = (behaviour: string) => `${inject('stack').WEBHOOK_RECEIVER_URL}/${behaviour}/${crypto.randomUUID()}`;

export async function receivedAt(url: string): Promise<ReceivedRequest[]> {
  const { pathname } = new URL(url);
  const res = await fetch(`${inject('stack').WEBHOOK_RECEIVER_URL}/_control/requests?path=${encodeURIComponent(pathname)}`);
  return res.json();
}

export interface CreatedEndpoint {
  id: string;
  url: string;
  secret: string;
  eventTypes: string[];
}

export async function registerEndpoint(token: string, url: string, eventTypes: string[] = ['order.paid']): Promise<CreatedEndpoint> {
  const res = await api('POST', '/webhooks/endpoints', { token, body: { url, eventTypes } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Soft-deletes the endpoints a test file's admin registered, so they stop
 * receiving the real events other test files publish meanwhile.
 */
export const retireEndpointsOf = (adminId: string) =>
  withDb((db) => db.update(webhookEndpoints).set({ deletedAt: new Date() }).where(eq(webhookEndpoints.createdBy, adminId)));

/** A payload its schema accepts: an order's status event for `order.<status>` types (what the fan-out tests send). */
const orderPayload = (type: string) => ({ orderId: newId(), userId: newId(), status: type.slice('order.'.length), total: 4200, currency: 'USD' });

/** A domain event as the outbox publishes it (UUIDv7 id). */
export const domainEvent = (type: string, payload: Record<string, unknown> = orderPayload(type)): QueueEvent => ({ id: newId(), type, payload });

export const deliveriesOf = (endpointId: string) =>
  withDb((db) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id));

export async function deliveryRow(id: string) {
  const [row] = await withDb((db) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)));
  if (!row) throw new Error(`no delivery ${id}`);
  return row;
}

export async function endpointRow(id: string) {
  const [row] = await withDb((db) => db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)));
  if (!row) throw new Error(`no endpoint ${id}`);
  return row;
}

/** A delivery of a fresh event to the endpoint, queued through the fan-out; returns its row id. */
export async function fanOutOne(env: Bindings, sent: SentMessage[], endpointId: string, type = 'order.paid'): Promise<string> {
  const event = domainEvent(type);
  await runQueue(env, [event]);
  const rows = await deliveriesOf(endpointId);
  const row = rows.find((r) => r.eventId === event.id);
  if (!row) throw new Error('fan-out made no delivery');
  expect(sent.some((m) => m.body.payload.deliveryId === row.id)).toBe(true);
  return row.id;
}
