import { sql, type SQL } from 'drizzle-orm';
import { orderItems, orders, users } from '../../shared/db/schema';
import type { DayRange } from './range';
import type { Interval } from './schemas';

/** Whose figures, in which currency, over which paid-at window. */
export interface Scope {
  range: DayRange;
  currency: string;
  /** Only this seller's order lines; null: the whole marketplace. */
  sellerId: string | null;
}

/** Figures per order (or per bucket) as Postgres sums them: bigints arrive as strings. */
export type FigureRow = {
  orders: number;
  units: string | number;
  gross: string | number;
  refunded: string | number;
};

/**
 * A line's share of its order's refunds. Stripe refunds a payment, not a
 * line, so a refund is spread over the lines in proportion to their value.
 */
const lineRefund = sql`coalesce(round(i.line_total::numeric * o.refunded_amount / nullif(o.total, 0)), 0)`;

/** An order counts once it was paid (paid_at set), by its payment time, in the scope's currency. */
function paidInRange(s: Scope): SQL {
  return sql`o.paid_at >= ${s.range.start.toISOString()}::timestamptz and o.paid_at < ${s.range.end.toISOString()}::timestamptz
    and o.currency = ${s.currency}`;
}

/** One row per order paid in the range with what counts for the scope: all of it, or a seller's lines. */
function paidOrders(s: Scope): SQL {
  if (s.sellerId) {
    return sql`select o.id, o.user_id, o.paid_at, sum(i.line_total) as gross, sum(${lineRefund}) as refunded, sum(i.quantity) as units
      from ${orders} o join ${orderItems} i on i.order_id = o.id and i.seller_id = ${s.sellerId}::uuid
      where ${paidInRange(s)} group by o.id`;
  }
  return sql`select o.id, o.user_id, o.paid_at, o.total as gross, o.refunded_amount as refunded,
      (select coalesce(sum(i.quantity), 0) from ${orderItems} i where i.order_id = o.id) as units
    from ${orders} o where ${paidInRange(s)}`;
}

/** Buyers in `paid` with no paid order (with the seller's products, in a seller's view) before the range. */
function firstTimeBuyers(s: Scope): SQL {
  const sellerLine = s.sellerId
    ? sql`and exists (select 1 from ${orderItems} ei where ei.order_id = e.id and ei.seller_id = ${s.sellerId}::uuid)`
    : sql``;
  return sql`(select count(distinct p.user_id)::int from paid p where not exists (
      select 1 from ${orders} e where e.user_id = p.user_id and e.paid_at < ${s.range.start.toISOString()}::timestamptz ${sellerLine}))`;
}

/** Marketplace view only: customer accounts created in the range (a seller's view has no such figure). */
function newCustomers(s: Scope): SQL {
  if (s.sellerId) return sql`null::int`;
  return sql`(select count(*)::int from ${users} u where u.role = 'customer'
    and u.created_at >= ${s.range.start.toISOString()}::timestamptz and u.created_at < ${s.range.end.toISOString()}::timestamptz)`;
}

const figures = sql`count(p.id)::int as orders, coalesce(sum(p.units), 0)::bigint as units,
  coalesce(sum(p.gross), 0)::bigint as gross, coalesce(sum(p.refunded), 0)::bigint as refunded`;

export function overviewSql(s: Scope): SQL {
  return sql`with paid as (${paidOrders(s)})
    select ${figures}, ${firstTimeBuyers(s)} as first_time_buyers, ${newCustomers(s)} as new_customers from paid p`;
}

/** Every bucket of the range (UTC), zero-filled by the left join. */
export function salesSql(s: Scope, interval: Interval): SQL {
  const first = sql`date_trunc(${interval}, ${s.range.start.toISOString()}::timestamptz at time zone 'UTC')`;
  const last = sql`date_trunc(${interval}, (${s.range.end.toISOString()}::timestamptz - interval '1 microsecond') at time zone 'UTC')`;
  return sql`with paid as (${paidOrders(s)}),
    buckets as (select generate_series(${first}, ${last}, ${`1 ${interval}`}::interval) as b)
    select to_char(k.b, 'YYYY-MM-DD') as bucket, ${figures}
    from buckets k left join paid p on date_trunc(${interval}, p.paid_at at time zone 'UTC') = k.b
    group by k.b order by k.b`;
}

export function topProductsSql(s: Scope, by: 'revenue' | 'units', limit: number): SQL {
  const sellerLines = s.sellerId ? sql`and i.seller_id = ${s.sellerId}::uuid` : sql``;
  const net = sql`sum(i.line_total) - sum(${lineRefund})`;
  const rank = by === 'units' ? sql`sum(i.quantity) desc, ${net} desc` : sql`${net} desc, sum(i.quantity) desc`;
  return sql`select i.product_id, (array_agg(i.seller_id))[1] as seller_id,
      (array_agg(i.name order by o.paid_at desc, i.id desc))[1] as name,
      count(distinct o.id)::int as orders, sum(i.quantity)::bigint as units,
      sum(i.line_total)::bigint as gross, sum(${lineRefund})::bigint as refunded
    from ${orders} o join ${orderItems} i on i.order_id = o.id ${sellerLines}
    where ${paidInRange(s)}
    group by i.product_id order by ${rank}, i.product_id limit ${limit}`;
}
