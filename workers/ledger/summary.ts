import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { ValidationFailed } from '../../shared/errors';
import { ledgerScope } from './access';
import type { SummaryQuery } from './schemas';

const DEFAULT_RANGE_MS = 30 * 86_400_000;

/**
 * What a seller sold, paid in commission, refunded (and of that, returned)
 * and earned over [from, to), by the dates the entries were booked, per
 * currency. Default range: the 30 days up to now, as /orders/stats.
 */
export async function sellerSummary(deps: Deps, auth: Principal, sellerId: string, query: SummaryQuery) {
  ledgerScope(auth, sellerId);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (from >= to) throw new ValidationFailed([{ path: 'from', message: 'must be before to' }], 'The range is empty.');
  const isReturn = sql`ra.source like 'return:%'`;
  const result = await deps.db.execute(sql`
    select e.currency,
      coalesce(sum(e.amount) filter (where e.kind = 'sale'), 0)::bigint as sales,
      coalesce(-sum(e.amount) filter (where e.kind in ('commission', 'commission_refund')), 0)::bigint as commission,
      coalesce(-sum(e.amount) filter (where e.kind = 'refund'), 0)::bigint as refunds,
      coalesce(-sum(e.amount) filter (where e.kind = 'refund' and ${isReturn}), 0)::bigint as returns,
      coalesce(sum(e.amount) filter (where e.kind <> 'payout'), 0)::bigint as net,
      coalesce(-sum(e.amount) filter (where e.kind = 'payout'), 0)::bigint as payouts,
      count(*) filter (where e.kind = 'sale')::int as orders,
      count(*) filter (where e.kind = 'refund')::int as refund_count,
      count(*) filter (where e.kind = 'refund' and ${isReturn})::int as return_count
    from ledger_entries e left join refund_allocations ra on ra.id = e.refund_allocation_id
    where e.seller_id = ${sellerId} and e.created_at >= ${from.toISOString()}::timestamptz and e.created_at < ${to.toISOString()}::timestamptz
    group by e.currency order by e.currency`);
  const currencies = (result.rows as Array<Record<string, string | number>>).map((r) => ({
    currency: String(r.currency),
    sales: Number(r.sales),
    commission: Number(r.commission),
    refunds: Number(r.refunds),
    returns: Number(r.returns),
    net: Number(r.net),
    payouts: Number(r.payouts),
    orders: Number(r.orders),
    refundCount: Number(r.refund_count),
    returnCount: Number(r.return_count),
  }));
  return { sellerId, from: from.toISOString(), to: to.toISOString(), currencies };
}
