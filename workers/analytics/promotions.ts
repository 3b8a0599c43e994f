import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orders, promotionRedemptions, promotions } from '../../shared/db/schema';
import { scopeFor } from './service';
import { RangeQuery } from './schemas';

const Money = (description: string, example: number) => z.number().int().openapi({ description: `${description}, minor units`, example });
const Count = (description: string, example: number) => z.number().int().openapi({ description, example });

export const PromotionFiguresQuery = RangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'How many promotions, most discount first (1–100)', example: 20 }),
});

const Figures = {
  redemptions: Count('Redemptions by orders paid in the period (released ones — unpaid orders cancelled or expired — do not count)', 12),
  discountTotal: Money('What those redemptions took off', 180_000),
  orders: Count('Paid orders with at least one promotion', 11),
  revenueWithPromotion: Money('Totals paid for those orders (after their discounts)', 1_620_000),
};

export const PromotionFigures = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string(),
    sellerId: z.uuid().nullable().openapi({ description: 'The funding seller whose promotions are counted; null: all promotions' }),
    ...Figures,
    data: z.array(
      z.object({
        promotionId: z.uuid(),
        name: z.string(),
        kind: z.string().openapi({ example: 'percentage' }),
        sellerId: z.uuid().nullable().openapi({ description: 'The funding seller; null: the platform' }),
        ...Figures,
      }),
    ),
  })
  .openapi('PromotionFigures');

interface Row {
  promotion_id: string;
  name: string;
  kind: string;
  seller_id: string | null;
  redemptions: number;
  discount: number;
  orders: number;
  revenue: number;
}

/**
 * Redemption figures over a range (docs/analytics.md): per promotion and in all, by the day the order
 * was paid, in one currency. An admin sees every promotion (or one funding seller's with `sellerId`);
 * a seller the promotions it funds. One query.
 */
export async function getPromotionFigures(deps: Deps, auth: Principal, query: z.infer<typeof PromotionFiguresQuery>) {
  const scope = scopeFor(deps, auth, query);
  const seller = scope.sellerId ? sql`and p.seller_id = ${scope.sellerId}::uuid` : sql``;
  const result = await deps.db.execute<{ figures: { total: Row | null; rows: Row[] | null } }>(sql`
    with r as (
      select r.promotion_id, p.name, p.kind::text as kind, p.seller_id, r.order_id, r.discount, o.total
      from ${promotionRedemptions} r join ${orders} o on o.id = r.order_id join ${promotions} p on p.id = r.promotion_id
      where r.released_at is null and o.paid_at >= ${scope.range.start.toISOString()}::timestamptz and o.paid_at < ${scope.range.end.toISOString()}::timestamptz
        and o.currency = ${scope.currency} ${seller}
    ), per as (
      select promotion_id, name, kind, seller_id, count(*)::int as redemptions, sum(discount)::bigint as discount,
        count(distinct order_id)::int as orders, sum(total)::bigint as revenue
      from r group by 1, 2, 3, 4 order by discount desc, promotion_id limit ${query.limit}
    )
    select json_build_object(
      'total', (select json_build_object('redemptions', count(*), 'discount', coalesce(sum(discount), 0), 'orders', count(distinct order_id),
        'revenue', coalesce((select sum(t.total) from (select distinct order_id, total from r) t), 0)) from r),
      'rows', (select json_agg(per) from per)) as figures`);
  const figures = result.rows[0]?.figures;
  const of = (row: Partial<Row> | null | undefined) => ({
    redemptions: Number(row?.redemptions ?? 0),
    discountTotal: Number(row?.discount ?? 0),
    orders: Number(row?.orders ?? 0),
    revenueWithPromotion: Number(row?.revenue ?? 0),
  });
  return {
    from: scope.range.from,
    to: scope.range.to,
    currency: scope.currency,
    sellerId: scope.sellerId,
    ...of(figures?.total),
    data: (figures?.rows ?? []).map((r) => ({ promotionId: r.promotion_id, name: r.name, kind: r.kind, sellerId: r.seller_id, ...of(r) })),
  };
}
