import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { emailDeliveries, notifications, outboxEvents } from '../../shared/db/schema';
import { Conflict, DependencyUnavailable, Forbidden, NotFound } from '../../shared/errors';
import type { PageQuery } from '../../shared/pagination';
import { decodeCursor, paginate } from '../../shared/pagination';
import type { FailedEmail, ListNotificationsQuery, Notification } from './schemas';
import { NOTIFIED_EVENTS } from './templates';

const IdCursor = z.object({ id: z.uuid() });

function toNotification(row: typeof notifications.$inferSelect): Notification {
  return {
    id: row.id,
    type: row.type as Notification['type'],
    title: row.title,
    body: row.body,
    data: row.data,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The caller's notifications, newest first (ids are time-ordered), optionally only the unread ones. */
export async function listNotifications(deps: Deps, auth: Principal, query: ListNotificationsQuery) {
  const after = decodeCursor(query.cursor, IdCursor);
  const rows = await deps.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, auth.userId),
        query.unread ? isNull(notifications.readAt) : undefined,
        after ? lt(notifications.id, after.id) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (n) => ({ id: n.id }));
  return { data: page.data.map(toNotification), nextCursor: page.nextCursor };
}

/** Marks one of the caller's notifications read (again is fine: the first readAt stays). Someone else's is a 404. */
export async function markRead(deps: Deps, auth: Principal, id: string): Promise<Notification> {
  const [row] = await deps.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, auth.userId)))
    .returning();
  if (!row) throw new NotFound('notification', id);
  return toNotification(row);
}

export async function markAllRead(deps: Deps, auth: Principal): Promise<{ updated: number }> {
  const result = await deps.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, auth.userId), isNull(notifications.readAt)));
  return { updated: result.rowCount ?? 0 };
}

function assertAdmin(auth: Principal): void {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin may see and retry failed emails.');
}

function toFailedEmail(row: typeof emailDeliveries.$inferSelect): FailedEmail {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType as FailedEmail['eventType'],
    channel: row.channel,
    userId: row.userId,
    to: row.toAddress,
    template: row.template,
    locale: row.locale,
    subject: row.subject,
    attempts: row.attempts,
    lastError: row.lastError,
    failedAt: row.failedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Emails that ran out of retries (or that the provider refused), newest first. */
export async function listFailedEmails(deps: Deps, auth: Principal, query: PageQuery) {
  assertAdmin(auth);
  const after = decodeCursor(query.cursor, IdCursor);
  const rows = await deps.db
    .select()
    .from(emailDeliveries)
    // One-time codes are not events (nothing to send again): a failed one was a 503 its requester saw.
    .where(and(eq(emailDeliveries.status, 'failed'), inArray(emailDeliveries.eventType, NOTIFIED_EVENTS), after ? lt(emailDeliveries.id, after.id) : undefined))
    .orderBy(desc(emailDeliveries.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (d) => ({ id: d.id }));
  return { data: page.data.map(toFailedEmail), nextCursor: page.nextCursor };
}

/**
 * Sends a failed email again: its original event (from the outbox) goes back
 * on the queue, where the consumer finds the delivery unsent and sends it
 * once. The event is queued before the row leaves the failed list, so a queue
 * outage leaves it listed (503) instead of lost.
 */
export async function retryFailedEmail(deps: Deps, auth: Principal, id: string): Promise<{ id: string; status: 'pending' }> {
  assertAdmin(auth);
  const [found] = await deps.db
    .select({ status: emailDeliveries.status, event: { id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload } })
    .from(emailDeliveries)
    .leftJoin(outboxEvents, eq(outboxEvents.id, emailDeliveries.eventId))
    .where(eq(emailDeliveries.id, id));
  if (!found) throw new NotFound('email delivery', id);
  if (found.status !== 'failed') throw new Conflict(`This email is ${found.status}, not failed.`, { status: found.status });
  if (!found.event) throw new Conflict('The event behind this email is no longer kept; it cannot be sent again.');
  try {
    await deps.env.NOTIFICATIONS.send(found.event, { contentType: 'json' });
  } catch (err) {
    throw new DependencyUnavailable('notifications queue', err);
  }
  await deps.db
    .update(emailDeliveries)
    .set({ status: 'pending', failedAt: null, updatedAt: sql`now()` })
    .where(and(eq(emailDeliveries.id, id), eq(emailDeliveries.status, 'failed')));
  return { id, status: 'pending' };
}
