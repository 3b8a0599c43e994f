import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { categories, products, productVariants, promotionCodes, promotions } from '../../shared/db/schema';
import { normalizeCode } from './eligibility';
import type { PromotionCodeRule, PromotionRule } from './types';

/**
 * What the engine needs from Postgres, as SQL expressions a caller embeds in
 * the statement it already makes (checkout reads the catalog and shipping in
 * one statement; adding these costs no round trip), and as one-statement
 * loaders for callers that have no such statement.
 *
 * No cache in front of the automatic set: embedded, it costs nothing, and a
 * cache would add a Redis call and a staleness window to a price.
 */

export interface PromotionCandidates {
  promotions: PromotionRule[];
  codes: PromotionCodeRule[];
}

const codeList = (codes: string[]) => JSON.stringify([...new Set(codes.map(normalizeCode))].filter(Boolean).slice(0, 20));

/**
 * The active automatic promotions at `now` and the promotions (whatever their
 * state, so the engine can say why a code does not apply) of the entered
 * `codes`, each with its matching code rows: one JSON array.
 */
export function promotionCandidatesJson(input: { codes: string[]; now: Date }): SQL {
  const entered = sql`(select jsonb_array_elements_text(${codeList(input.codes)}::jsonb))`;
  const now = sql`${input.now.toISOString()}::timestamptz`;
  return sql`(select coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'activation', p.activation,
      'status', p.status, 'sellerId', p.seller_id, 'currency', p.currency, 'params', p.params, 'targets', p.targets,
      'minSubtotal', p.min_subtotal, 'minQuantity', p.min_quantity, 'firstOrderOnly', p.first_order_only,
      'startsAt', p.starts_at, 'endsAt', p.ends_at, 'exclusive', p.exclusive, 'priority', p.priority,
      'usageLimit', p.usage_limit, 'perCustomerLimit', p.per_customer_limit,
      'codes', (select coalesce(json_agg(json_build_object('id', c.id, 'code', c.code, 'promotionId', c.promotion_id, 'usageLimit', c.usage_limit)), '[]'::json)
        from ${promotionCodes} c where c.promotion_id = p.id and c.code in ${entered})) order by p.id), '[]'::json)
    from ${promotions} p
    where (p.activation = 'automatic' and p.status = 'active' and p.starts_at <= ${now} and (p.ends_at is null or p.ends_at > ${now}))
      or p.id in (select c.promotion_id from ${promotionCodes} c where c.code in ${entered}))`;
}

type CandidateRow = Omit<PromotionRule, 'startsAt' | 'endsAt' | 'minSubtotal'> & {
  startsAt: string;
  endsAt: string | null;
  minSubtotal: number | string | null;
  codes: PromotionCodeRule[];
};

/** The engine's `promotions` and `codes` from `promotionCandidatesJson`'s answer. */
export function promotionCandidatesFrom(json: unknown): PromotionCandidates {
  const rows = (json ?? []) as CandidateRow[];
  return {
    promotions: rows.map(({ codes: _codes, ...row }) => ({
      ...row,
      minSubtotal: row.minSubtotal === null ? null : Number(row.minSubtotal),
      startsAt: new Date(row.startsAt),
      endsAt: row.endsAt === null ? null : new Date(row.endsAt),
    })),
    codes: rows.flatMap((row) => row.codes),
  };
}

/** Automatic promotions active at `now` plus the promotions of `codes`: one query. */
export async function loadPromotionCandidates(db: Deps['db'], input: { codes: string[]; now: Date }): Promise<PromotionCandidates> {
  const result = await db.execute<{ candidates: unknown }>(sql`select ${promotionCandidatesJson(input)} as candidates`);
  return promotionCandidatesFrom(result.rows[0]?.candidates);
}

/**
 * Per SKU, its product's category and every ancestor (what `EngineLine.categoryIds`
 * takes): one JSON object `{sku: [categoryId, ...]}`, embeddable like the candidates.
 */
export function lineCategoriesJson(skus: string[]): SQL {
  return sql`(with recursive up(sku, category_id) as (
      select v.sku, p.category_id from ${productVariants} v join ${products} p on p.id = v.product_id
      where v.sku in (select jsonb_array_elements_text(${JSON.stringify(skus)}::jsonb))
      union
      select up.sku, c.parent_id from up join ${categories} c on c.id = up.category_id where c.parent_id is not null
    ) select coalesce(json_object_agg(sku, ids), '{}'::json) from (select sku, json_agg(category_id) as ids from up group by sku) grouped)`;
}

/** `lineCategoriesJson`'s answer as a map. */
export function lineCategoriesFrom(json: unknown): Map<string, string[]> {
  return new Map(Object.entries((json ?? {}) as Record<string, string[]>));
}
