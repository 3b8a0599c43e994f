import type { Deps, Principal } from '../../shared/context';
import { Forbidden } from '../../shared/errors';
import { type FigureRow, overviewSql, salesSql, type Scope, topProductsSql } from './queries';
import { checkBuckets, resolveRange } from './range';
import type { RangeQuery, SalesQuery, TopProductsQuery } from './schemas';

/**
 * Who sees what: an admin the marketplace (or, with `sellerId`, one seller's
 * view); a seller only its own lines, whatever it asks; customers nothing.
 */
export function scopeFor(deps: Deps, auth: Principal, query: RangeQuery): Scope {
  if (auth.role === 'customer') throw new Forbidden('Analytics are for admins and sellers.');
  if (auth.role === 'seller' && query.sellerId && query.sellerId !== auth.userId) {
    throw new Forbidden('A seller sees only its own figures.');
  }
  const sellerId = auth.role === 'seller' ? auth.userId : (query.sellerId ?? null);
  return { range: resolveRange(query), currency: query.currency ?? deps.config.DEFAULT_CURRENCY, sellerId };
}

/** Money and counts of one set of paid orders, as the API shows them (integers, AOV rounded). */
function figuresOf(row: FigureRow | undefined) {
  const orders = Number(row?.orders ?? 0);
  const grossRevenue = Number(row?.gross ?? 0);
  const refunded = Number(row?.refunded ?? 0);
  return {
    orders,
    units: Number(row?.units ?? 0),
    grossRevenue,
    refunded,
    netRevenue: grossRevenue - refunded,
    averageOrderValue: orders ? Math.round(grossRevenue / orders) : 0,
  };
}

const windowOf = (s: Scope) => ({ from: s.range.from, to: s.range.to, currency: s.currency, sellerId: s.sellerId });

/** Revenue, orders, average order value and new customers over a range: one query. */
export async function getOverview(deps: Deps, auth: Principal, query: RangeQuery) {
  const scope = scopeFor(deps, auth, query);
  const rows = await deps.db.execute<FigureRow & { first_time_buyers: number; new_customers: number | null }>(overviewSql(scope));
  const row = rows.rows[0];
  return {
    ...windowOf(scope),
    ...figuresOf(row),
    newCustomers: row?.new_customers ?? null,
    firstTimeBuyers: Number(row?.first_time_buyers ?? 0),
  };
}

/** The same figures per day, week or month, every bucket present: one query. */
export async function getSales(deps: Deps, auth: Principal, query: SalesQuery) {
  const scope = scopeFor(deps, auth, query);
  checkBuckets(scope.range, query.interval);
  const rows = await deps.db.execute<FigureRow & { bucket: string }>(salesSql(scope, query.interval));
  return { ...windowOf(scope), interval: query.interval, buckets: rows.rows.map((r) => ({ bucket: r.bucket, ...figuresOf(r) })) };
}

/** Best sellers by net revenue or units: one query. */
export async function getTopProducts(deps: Deps, auth: Principal, query: TopProductsQuery) {
  const scope = scopeFor(deps, auth, query);
  const rows = await deps.db.execute<FigureRow & { product_id: string; seller_id: string; name: string }>(topProductsSql(scope, query.by, query.limit));
  return {
    ...windowOf(scope),
    by: query.by,
    data: rows.rows.map((r) => {
      const { orders, units, grossRevenue, refunded, netRevenue } = figuresOf(r);
      return { productId: r.product_id, sellerId: r.seller_id, name: r.name, orders, units, grossRevenue, refunded, netRevenue };
    }),
  };
}
