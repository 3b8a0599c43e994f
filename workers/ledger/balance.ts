import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { ledgerEntries, type LedgerEntry } from '../../shared/db/schema';
import { ValidationFailed } from '../../shared/errors';
import { decodeCursor, paginate } from '../../shared/pagination';
import { ledgerScope } from './access';
import type { BalanceQuery, ListEntriesQuery } from './schemas';

export interface BalanceRow {
  currency: string;
  pending: number;
  available: number;
  paidOut: number;
}

type Executor = Pick<Database, 'execute'>;

/**
 * A seller's balances, one per currency: an entry of a seller order is
 * pending until that seller order was delivered `holdDays` ago, then
 * available; payouts come off the available part.
 */
export async function balancesOf(db: Executor, sellerId: string, holdDays: number, currency?: string): Promise<BalanceRow[]> {
  const matured = sql`(so.delivered_at is not null and so.delivered_at <= now() - make_interval(days => ${holdDays}))`;
  const result = await db.execute(sql`
    select e.currency,
      coalesce(sum(e.amount) filter (where e.kind <> 'payout' and not ${matured}), 0)::bigint as pending,
      coalesce(sum(e.amount) filter (where e.kind = 'payout' or ${matured}), 0)::bigint as available,
      coalesce(-sum(e.amount) filter (where e.kind = 'payout'), 0)::bigint as paid_out
    from ledger_entries e left join seller_orders so on so.id = e.seller_order_id
    where e.seller_id = ${sellerId} ${currency ? sql`and e.currency = ${currency}` : sql``}
    group by e.currency order by e.currency`);
  return (result.rows as Array<Record<string, string | number>>).map((r) => ({
    currency: String(r.currency),
    pending: Number(r.pending),
    available: Number(r.available),
    paidOut: Number(r.paid_out),
  }));
}

export async function getBalance(deps: Deps, auth: Principal, query: BalanceQuery) {
  const sellerId = ledgerScope(auth, query.sellerId);
  if (!sellerId) throw new ValidationFailed([{ path: 'sellerId', message: 'an admin names the seller' }]);
  const holdDays = deps.config.LEDGER_HOLD_DAYS;
  return { sellerId, holdDays, balances: await balancesOf(deps.db, sellerId, holdDays, query.currency) };
}

export const entryJson = (e: LedgerEntry) => ({ ...e, createdAt: e.createdAt.toISOString() });

/** Newest first, keyset-paginated on the (time-ordered) id. */
export async function listEntries(deps: Deps, auth: Principal, query: ListEntriesQuery) {
  const sellerId = ledgerScope(auth, query.sellerId);
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }))?.id;
  const where: SQL[] = [];
  if (sellerId) where.push(eq(ledgerEntries.sellerId, sellerId));
  if (query.currency) where.push(eq(ledgerEntries.currency, query.currency));
  if (query.kind) where.push(eq(ledgerEntries.kind, query.kind));
  if (query.orderId) where.push(eq(ledgerEntries.orderId, query.orderId));
  if (after) where.push(lt(ledgerEntries.id, after));
  const rows = await deps.db
    .select()
    .from(ledgerEntries)
    .where(and(...where))
    .orderBy(desc(ledgerEntries.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map(entryJson), nextCursor: page.nextCursor };
}
