import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { returnEvents, returns, type ReturnStatus } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { domainEvent, type NewDomainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';

/** Statements a transition may add to its one SQL statement, run only when the return moved (`changed` has its row). */
export interface TransitionExtras {
  note?: string;
  /** More `column = value` assignments on the return. */
  set?: SQL[];
  /** More CTEs, each `name as (...)`, that may read `changed` (id, from_status). */
  with?: SQL[];
  event?: NewDomainEvent;
}

/**
 * Moves a return from one of `from` to `to` in one statement — the update,
 * its history row, its outbox event and any `extras.with` — only if it is
 * still in one of `from`. Returns whether this call made the change, so two
 * racing calls can never both act on one step.
 */
export async function moveReturn(deps: Deps, id: string, from: ReturnStatus[], to: ReturnStatus, actor: string, extras: TransitionExtras = {}): Promise<boolean> {
  const event = extras.event ? domainEvent(extras.event) : undefined;
  const assignments = [sql`status = ${to}`, sql`updated_at = now()`, ...(extras.set ?? [])];
  const more = extras.with?.length ? sql`, ${sql.join(extras.with, sql`, `)}` : sql``;
  const rows = await deps.db.execute<{ id: string }>(sql`
    with prev as (
      select id, status from ${returns} where id = ${id}::uuid and status in (${sql.join(from.map((s) => sql`${s}`), sql`, `)}) for update
    ), changed as (
      update ${returns} r set ${sql.join(assignments, sql`, `)} from prev where r.id = prev.id
      returning r.id, prev.status as from_status
    ), h as (
      insert into ${returnEvents} (id, return_id, from_status, to_status, actor, note)
      select ${newId()}, id, from_status, ${to}, ${actor}, ${extras.note ?? null} from changed
    )${event ? sql`, e as (${outboxInsert([event], sql`changed`)})` : sql``}${more}
    select id from changed`);
  if (!rows.rows[0]) return false;
  if (event) publishAfterResponse(deps, [event]);
  return true;
}
