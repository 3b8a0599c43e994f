import { type SQL, sql } from 'drizzle-orm';

/**
 * The platform's commission on a seller order, as a SQL lateral subquery the
 * checkout statement joins to each seller order `x` (so fixing it costs no
 * round trip). Each line's rate is, first found: the seller's override
 * (`seller_settings`), the product's category, that category's parent, the
 * `COMMISSION_BPS` default. The base is the seller order's total (lines,
 * their share of tax and shipping) plus the discount the platform funds on
 * it (a seller-funded discount lowers the base; docs/ledger.md): each line's rate applies to its share of
 * that total, rounded once, half up, to the minor unit. `bps` is the
 * resulting rate (weighted by line totals, rounded), kept for display.
 * docs/ledger.md explains it with an example.
 */
export function commissionOf(sellerOrder: SQL, itemsJson: string, defaultBps: number): SQL {
  // A platform-funded discount does not lower the seller's side: the commission is on the price before it.
  const total = sql`(${sellerOrder}.total + coalesce(${sellerOrder}.platform_discount, 0))`;
  return sql`
    select coalesce(case when sum(r.line_total) > 0 then round(sum(r.line_total::numeric * r.bps) / sum(r.line_total)) else max(r.bps) end, ${defaultBps})::int as bps,
           coalesce(case when sum(r.line_total) > 0
                then round(sum(r.line_total::numeric * r.bps) * ${total} / (sum(r.line_total) * 10000))
                else round(${total}::numeric * max(r.bps) / 10000) end, 0)::bigint as commission
    from (
      select l.line_total, coalesce(ss.commission_bps, cat.commission_bps, parent.commission_bps, ${defaultBps}::int) as bps
      from json_to_recordset(${itemsJson}::json) as l(seller_order_id uuid, product_id uuid, line_total bigint)
      left join products p on p.id = l.product_id
      left join categories cat on cat.id = p.category_id
      left join categories parent on parent.id = cat.parent_id
      left join seller_settings ss on ss.seller_id = ${sellerOrder}.seller_id
      where l.seller_order_id = ${sellerOrder}.id
    ) r`;
}
