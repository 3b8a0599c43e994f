import { and, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Deps } from './context';
import type { Database } from './db/client';
import { outboxEvents } from './db/schema';
import { newId } from './ids';

/** What goes on the NOTIFICATIONS queue. */
export interface DomainEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

type Executor = Pick<Database, 'insert'>;

/** Records events in the caller's transaction, so they exist exactly when the change does. */
export async function recordEvents(tx: Executor, events: Array<Omit<DomainEvent, 'id'>>): Promise<DomainEvent[]> {
  const rows = events.map((e) => ({ id: newId(), type: e.type, payload: e.payload }));
  if (rows.length) await tx.insert(outboxEvents).values(rows);
  return rows;
}

/** Sends events to the queue and marks them published. A failure leaves them for the cron job. */
export async function publishEvents(db: Database, queue: Queue, events: DomainEvent[]): Promise<void> {
  if (!events.length) return;
  await queue.sendBatch(events.map((body) => ({ body, contentType: 'json' as const })));
  await db
    .update(outboxEvents)
    .set({ publishedAt: sql`now()` })
    .where(inArray(outboxEvents.id, events.map((e) => e.id)));
}

/** After the response: hand this request's committed events to the queue. */
export function publishAfterResponse(deps: Deps, events: DomainEvent[]): void {
  if (events.length) deps.defer(() => publishEvents(deps.db, deps.env.NOTIFICATIONS, events));
}

/** Cron: events committed over a minute ago and still unpublished (the publisher crashed) are sent again. */
export async function republishStale(db: Database, queue: Queue, limit = 100): Promise<number> {
  const stale = await db
    .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(isNull(outboxEvents.publishedAt), lt(outboxEvents.createdAt, sql`now() - interval '1 minute'`)))
    .orderBy(outboxEvents.createdAt)
    .limit(limit);
  await publishEvents(db, queue, stale);
  return stale.length;
}
