import { sql } from 'drizzle-orm';
import { createDatabase, type DatabaseHandle } from '../../shared/db/client';
import { loadConfig } from '../../shared/env';
import { testEnv } from '../support/app';

/**
 * A cheap fingerprint of the whole database: per table, the row count and an
 * md5 of every row's JSON, in one query. Two equal fingerprints mean no row
 * was inserted, changed or deleted in between.
 *
 * Columns legitimately written after the response of an ACCEPTED request are
 * left out, each with its reason; nothing is left out for rejected requests.
 */
export const COLUMNS_WRITTEN_AFTER_RESPONSE: Record<string, { columns: string[]; reason: string }> = {
  outbox_events: {
    columns: ['published_at'],
    reason: 'the publisher marks events published in waitUntil, after the response of the write that recorded them',
  },
};

export type Fingerprint = Map<string, string>;

export interface Fingerprinter {
  take(): Promise<Fingerprint>;
  /**
   * The next transaction id the server will assign. A request that wrote
   * nothing (and tried to write nothing) leaves it where it was, so an
   * unchanged clock spares the full fingerprint. A moved one proves nothing:
   * a rolled-back write, a row lock, or (on a real server) another database
   * also moves it, and then the full fingerprint decides.
   */
  clock(): Promise<string>;
  close(): Promise<void>;
}

/** Opens one database handle (kept for a test: a Worker cannot share sockets across tests) and prepares the query. */
export async function openFingerprinter(): Promise<Fingerprinter> {
  const handle: DatabaseHandle = createDatabase(loadConfig(testEnv));
  const tables = await handle.db.execute<{ name: string }>(sql`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const parts = tables.rows.map(({ name }) => {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const skip = COLUMNS_WRITTEN_AFTER_RESPONSE[name]?.columns ?? [];
    const row = skip.length ? `(to_jsonb(x) - array[${skip.map((c) => `'${c}'`).join(',')}]::text[])::text` : 'to_jsonb(x)::text';
    return `select '${name}' as t, count(*)::text || ':' || coalesce(md5(string_agg(r, chr(10) order by r)), '') as h from (select ${row} as r from ${quoted} x) s`;
  });
  const query = sql.raw(parts.join('\nunion all\n'));
  return {
    async take() {
      const result = await handle.db.execute<{ t: string; h: string }>(query);
      return new Map(result.rows.map((r) => [r.t, r.h]));
    },
    async clock() {
      const result = await handle.db.execute<{ xid: string }>(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`);
      return result.rows[0]?.xid ?? '';
    },
    close: () => handle.close(),
  };
}

/** The tables whose fingerprint differs, with their row counts before → after. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((t) => before.get(t) !== after.get(t))
    .map((t) => `${t} (rows ${before.get(t)?.split(':')[0] ?? '-'} → ${after.get(t)?.split(':')[0] ?? '-'})`);
}

/** After an accepted write, waits until deferred work (outbox, InventoryDO mirror ~200 ms) has landed. */
export async function settle(fingerprinter: Fingerprinter, maxMs = 3_000): Promise<Fingerprint> {
  let last = await fingerprinter.take();
  for (let waited = 0; waited < maxMs; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await fingerprinter.take();
    if (changedTables(last, next).length === 0) return next;
    last = next;
  }
  return last;
}
