import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { assertAdmin } from './access';

interface Line {
  currency: string;
  captured: number;
  refunded: number;
  sellerEarnings: number;
  platformCommission: number;
  difference: number;
}

/**
 * The ledger's invariant, checked per order and per currency: money captured
 * minus money refunded equals what the sellers earned plus the commission the
 * platform kept (its commission less the discounts it funded: the
 * `promotion_subsidy` entries it paid the sellers). An order whose ledger is not posted yet, or a refund nobody
 * allocated to a seller order, shows as a mismatch.
 */
export async function reconcile(deps: Deps, auth: Principal, query: { limit: number }) {
  assertAdmin(auth, 'reconciles the ledger');
  const result = await deps.db.execute(sql`
    with pay as (
      select order_id, currency, sum(amount_received)::bigint as captured, sum(amount_refunded)::bigint as refunded
      from payments group by order_id, currency having sum(amount_received) > 0
    ), led as (
      select order_id, currency,
        sum(amount)::bigint as earnings,
        coalesce(-sum(amount) filter (where kind in ('commission', 'commission_refund', 'promotion_subsidy', 'promotion_subsidy_refund')), 0)::bigint as commission
      from ledger_entries where order_id is not null and kind <> 'payout' group by order_id, currency
    ), per_order as (
      select coalesce(p.order_id, l.order_id) as order_id, coalesce(p.currency, l.currency) as currency,
        coalesce(p.captured, 0) as captured, coalesce(p.refunded, 0) as refunded,
        coalesce(l.earnings, 0) as earnings, coalesce(l.commission, 0) as commission
      from pay p full join led l on l.order_id = p.order_id and l.currency = p.currency
    ), checked as (
      select *, (captured - refunded) - (earnings + commission) as difference from per_order
    )
    select json_build_object(
      'totals', (select coalesce(json_agg(t order by t.currency), '[]') from (
          select currency, sum(captured)::bigint as captured, sum(refunded)::bigint as refunded, sum(earnings)::bigint as "sellerEarnings",
                 sum(commission)::bigint as "platformCommission", sum(difference)::bigint as difference, count(*)::int as orders
          from checked group by currency) t),
      'mismatches', (select coalesce(json_agg(m), '[]') from (
          select order_id as "orderId", currency, captured, refunded, earnings as "sellerEarnings", commission as "platformCommission", difference
          from checked where difference <> 0 order by order_id limit ${query.limit}) m)
    ) as report`);
  const report = (result.rows[0] as { report: { totals: Array<Line & { orders: number }>; mismatches: Array<Line & { orderId: string }> } }).report;
  return { consistent: report.mismatches.length === 0 && report.totals.every((t) => t.difference === 0), ...report };
}
