import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { webhookDeliveries, webhookEndpoints } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, type PageQuery, paginate } from '../../shared/pagination';
import { assertDeliverableUrl } from './destination';
import { enqueueDeliveries } from './jobs';
import type {
  CreatedWebhookEndpoint,
  CreateEndpointInput,
  ListDeliveriesQuery,
  ListEndpointsQuery,
  WebhookDelivery,
  WebhookEndpoint,
} from './schemas';
import { generateSecret } from './signing';
import { seal } from '../../shared/sealed';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

function assertAdmin(auth: Principal): void {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin may manage webhook endpoints.');
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The secret is left out: it is shown once, in the creation response. */
function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    ...row,
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
  };
}

const live = (id: string) => and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt));
const IdCursor = z.object({ id: z.uuid() });

export async function createEndpoint(deps: Deps, auth: Principal, input: CreateEndpointInput): Promise<CreatedWebhookEndpoint> {
  assertAdmin(auth);
  const url = assertDeliverableUrl(deps.config, input.url);
  const id = newId();
  const secret = generateSecret();
  const stored = await seal(deps.config.WEBHOOK_SECRET_KEY, secret, id);
  const [row] = await deps.db
    .insert(webhookEndpoints)
    .values({ id, url, description: input.description ?? null, eventTypes: input.eventTypes, secret: stored, createdBy: auth.userId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { ...toEndpoint(row), secret };
}

/** Keyset pagination on the UUIDv7 id, newest first: `fetch` gets the cursor's id and how many rows to read. */
async function newestFirst<Row extends { id: string }>(query: PageQuery, fetch: (before: string | undefined, rows: number) => Promise<Row[]>) {
  const before = decodeCursor(query.cursor, IdCursor)?.id;
  return paginate(await fetch(before, query.limit + 1), query.limit, (row) => ({ id: row.id }));
}

export async function listEndpoints(deps: Deps, auth: Principal, query: ListEndpointsQuery) {
  assertAdmin(auth);
  const page = await newestFirst(query, (before, rows) =>
    deps.db
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          isNull(webhookEndpoints.deletedAt),
          query.status ? eq(webhookEndpoints.status, query.status) : undefined,
          before ? lt(webhookEndpoints.id, before) : undefined,
        ),
      )
      .orderBy(desc(webhookEndpoints.id))
      .limit(rows),
  );
  return { data: page.data.map(toEndpoint), nextCursor: page.nextCursor };
}

async function loadEndpoint(deps: Deps, id: string): Promise<WebhookEndpointRow> {
  const [row] = await deps.db.select().from(webhookEndpoints).where(live(id));
  if (!row) throw new NotFound('webhook endpoint', id);
  return row;
}

export async function getEndpoint(deps: Deps, auth: Principal, id: string): Promise<WebhookEndpoint> {
  assertAdmin(auth);
  return toEndpoint(await loadEndpoint(deps, id));
}

/**
 * Soft delete: the delivery log stays readable in the database, and pending
 * deliveries are dropped (marked failed) when their next attempt comes up.
 */
export async function deleteEndpoint(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertAdmin(auth);
  const [row] = await deps.db
    .update(webhookEndpoints)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(live(id))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw new NotFound('webhook endpoint', id);
}

/** Re-enables a disabled endpoint with a clean failure count; enabling an enabled one changes nothing. */
export async function enableEndpoint(deps: Deps, auth: Principal, id: string): Promise<WebhookEndpoint> {
  assertAdmin(auth);
  const [row] = await deps.db
    .update(webhookEndpoints)
    .set({ status: 'enabled', disabledReason: null, disabledAt: null, consecutiveFailures: 0, updatedAt: sql`now()` })
    .where(and(live(id), eq(webhookEndpoints.status, 'disabled')))
    .returning();
  return toEndpoint(row ?? (await loadEndpoint(deps, id)));
}

/** The endpoint's delivery log, newest first. */
export async function listDeliveries(deps: Deps, auth: Principal, endpointId: string, query: ListDeliveriesQuery) {
  assertAdmin(auth);
  await loadEndpoint(deps, endpointId);
  const page = await newestFirst(query, (before, rows) =>
    deps.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          query.status ? eq(webhookDeliveries.status, query.status) : undefined,
          before ? lt(webhookDeliveries.id, before) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(rows),
  );
  return { data: page.data.map(toDelivery), nextCursor: page.nextCursor };
}

/**
 * Sends an event again by hand (whatever became of the original): a new
 * delivery row pointing at the original, with its own retries. The body and
 * event id are the original's, so receivers that deduplicate by event id may
 * ignore it — that is the point of a stable id.
 */
export async function resendDelivery(deps: Deps, auth: Principal, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
  assertAdmin(auth);
  const [found] = await deps.db
    .select({ status: webhookEndpoints.status, original: webhookDeliveries })
    .from(webhookEndpoints)
    .leftJoin(webhookDeliveries, and(eq(webhookDeliveries.endpointId, webhookEndpoints.id), eq(webhookDeliveries.id, deliveryId)))
    .where(live(endpointId));
  if (!found) throw new NotFound('webhook endpoint', endpointId);
  const { original } = found;
  if (!original) throw new NotFound('webhook delivery', deliveryId);
  if (found.status !== 'enabled') throw new Conflict('The endpoint is disabled; enable it before re-sending.', { status: found.status });
  const [created] = await deps.db
    .insert(webhookDeliveries)
    .values({
      id: newId(),
      endpointId,
      eventId: original.eventId,
      eventType: original.eventType,
      payload: original.payload,
      nextAttemptAt: sql`now()`,
      redeliveryOf: original.id,
    })
    .returning();
  if (!created) throw new Error('insert returned no row');
  // The row is the truth: if the queue is unreachable, the cron safety net sends it.
  deps.defer(() => enqueueDeliveries(deps.env.NOTIFICATIONS, [{ id: created.id, attempt: 1 }]));
  return toDelivery(created);
}
