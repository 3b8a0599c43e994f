import { and, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Deps } from './context';
import type { Database } from './db/client';
import { outboxEvents } from './db/schema';
import { type DomainEvent, DomainEventSchemas, type NewDomainEvent } from './events';
import { newId } from './ids';

export type { DomainEvent, NewDomainEvent } from './events';

/**
 * Gives an event its id after checking its payload against its type's schema.
 * A payload that does not fit is a bug in the producer: it fails the write
 * (a 500), never reaching a webhook receiver in a shape we did not document.
 */
export function domainEvent(event: NewDomainEvent): DomainEvent {
  const parsed = DomainEventSchemas[event.type].safeParse(event.payload);
  if (!parsed.success) throw new Error(`${event.type} payload does not match its schema: ${parsed.error.message}`);
  return { ...event, id: newId() } as DomainEvent;
}

/**
 * The one writer of outbox rows, as SQL to run inside the caller's statement
 * or transaction, so the events exist exactly when the change does. With
 * `onlyIf` (a CTE of that statement, e.g. the updated row), the rows are
 * written only when it has a row. `addToPayload`, a jsonb expression of that
 * statement, adds what only the database knows yet (an order's number).
 */
export function outboxInsert(events: DomainEvent[], onlyIf?: SQL, addToPayload?: SQL): SQL {
  const values = sql.join(
    events.map((e) => sql`(${e.id}::uuid, ${e.type}::text, ${JSON.stringify(e.payload)}::jsonb)`),
    sql`, `,
  );
  return sql`insert into ${outboxEvents} (id, type, payload)
    select v.id, v.type, ${addToPayload ? sql`v.payload || ${addToPayload}` : sql`v.payload`} from (values ${values}) as v(id, type, payload)
    ${onlyIf ? sql`where exists (select 1 from ${onlyIf})` : sql``}`;
}

type Executor = Pick<Database, 'execute'>;

/** Records events in the caller's transaction (see `outboxInsert`); returns them for publishing after commit. */
export async function recordEvents(tx: Executor, events: NewDomainEvent[]): Promise<DomainEvent[]> {
  const rows = events.map(domainEvent);
  if (rows.length) await tx.execute(outboxInsert(rows));
  return rows;
}

/** Sends events to the queue and marks them published. A failure leaves them for the cron job. */
export async function publishEvents(db: Database, queue: Queue, events: Array<{ id: string; type: string; payload: unknown }>): Promise<void> {
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
