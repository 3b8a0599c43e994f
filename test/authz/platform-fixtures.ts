import { SELF } from 'cloudflare:test';
import { inject } from 'vitest';
import { emailDeliveries, notifications, outboxEvents, webhookDeliveries } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { API, type TestUser, withDb } from '../support/users';

/**
 * Resources of the platform services (files, notifications, outgoing
 * webhooks), for the matrix. Rows that only a background job would create (a
 * notification, a failed email, a delivery) are written to the database
 * directly; everything else goes through the API.
 */
export interface PlatformFixtures {
  /** Customer A's files. */
  privateFileId: string;
  publicFileId: string;
  /** Customer A's in-app notification. */
  notificationId: string;
  /** An admin's webhook endpoint and one delivery in its log. */
  endpointId: string;
  deliveryId: string;
}

interface Owners {
  customer: TestUser;
  seller: TestUser;
  admin: TestUser;
  bystander: TestUser;
}

/** A PNG of unique bytes (so each upload is its own object). */
function png(): File {
  const bytes = crypto.getRandomValues(new Uint8Array(128));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new File([bytes], 'authz.png', { type: 'image/png' });
}

export function uploadForm(visibility: 'public' | 'private' = 'private'): FormData {
  const form = new FormData();
  form.set('file', png());
  form.set('visibility', visibility);
  return form;
}

async function created(res: Response, what: string): Promise<{ id: string }> {
  const text = await res.text();
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

export async function upload(user: TestUser, visibility: 'public' | 'private' = 'private'): Promise<string> {
  const res = await SELF.fetch(`${API}/files`, { method: 'POST', headers: { authorization: `Bearer ${user.accessToken}` }, body: uploadForm(visibility) });
  return (await created(res, 'upload')).id;
}

/** A new endpoint at the test receiver, for an event this suite never causes (it receives only what a case sends it). */
export const endpointInput = () => ({
  url: `${inject('stack').WEBHOOK_RECEIVER_URL}/ok/authz-${crypto.randomUUID()}`,
  eventTypes: ['order.delivered'],
  description: 'authz matrix',
});

export async function createEndpoint(admin: TestUser): Promise<string> {
  const res = await SELF.fetch(`${API}/webhooks/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(endpointInput()),
  });
  return (await created(res, 'webhook endpoint')).id;
}

/** A welcome email to the bystander that ran out of retries (what the dead-letter handler leaves). */
export async function failedEmail(bystander: TestUser): Promise<string> {
  const eventId = newId();
  const id = newId();
  await withDb(async (db) => {
    await db.insert(outboxEvents).values({
      id: eventId,
      type: 'user.registered',
      payload: { userId: bystander.id, email: bystander.email, name: 'Authz bystander' },
      publishedAt: new Date(),
    });
    await db.insert(emailDeliveries).values({
      id,
      eventId,
      eventType: 'user.registered',
      userId: bystander.id,
      toAddress: bystander.email,
      template: 'user.registered',
      locale: 'en',
      subject: 'Welcome to UltraMarket',
      status: 'failed',
      attempts: 5,
      lastError: 'authz fixture',
      failedAt: new Date(),
    });
  });
  return id;
}

export async function buildPlatformFixtures(owners: Owners): Promise<PlatformFixtures> {
  const privateFileId = await upload(owners.customer, 'private');
  const publicFileId = await upload(owners.customer, 'public');
  const endpointId = await createEndpoint(owners.admin);
  const notificationId = newId();
  const deliveryId = newId();
  await withDb(async (db) => {
    await db.insert(notifications).values({
      id: notificationId,
      userId: owners.customer.id,
      eventId: newId(),
      type: 'order.placed',
      title: 'Order placed',
      body: 'Your order awaits payment.',
    });
    await db.insert(webhookDeliveries).values({
      id: deliveryId,
      endpointId,
      eventId: newId(),
      eventType: 'order.delivered',
      payload: { orderId: newId(), userId: owners.customer.id, status: 'delivered', total: 1500, currency: 'USD' },
      status: 'succeeded',
      attempts: 1,
      deliveredAt: new Date(),
    });
  });
  return { privateFileId, publicFileId, notificationId, endpointId, deliveryId };
}
