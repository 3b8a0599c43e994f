import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { orders, promotionUsage } from '../../shared/db/schema';
import { promotionCandidatesFrom, promotionCandidatesJson, type PromotionCandidates } from './candidates';
import type { PromotionUsage } from './types';

/** Everything the engine needs from Postgres besides the priced lines: the candidates, their uses so far, the customer's standing. */
export interface PromotionContext {
  candidates: PromotionCandidates;
  usage: PromotionUsage;
  /** The customer has no earlier order that was not cancelled (false when anonymous). */
  isFirstOrder: boolean;
}

/**
 * The candidates (automatic promotions active at `now` and those of the entered `codes`), the uses each
 * counted so far (`promotion_usage`: the promotion's, each code's, this customer's) and whether this is the
 * customer's first order, as one SQL expression: the checkout embeds it in its one read statement, the cart
 * reads it alone (one round trip).
 */
export function promotionContextJson(input: { codes: string[]; now: Date; userId: string | null }): SQL {
  const user = input.userId;
  const customerScopes = user ? sql`union all select 'customer:' || (e->>'id') || ':' || ${user} from json_array_elements(c.j) e` : sql``;
  const firstOrder = user ? sql`not exists (select 1 from ${orders} o where o.user_id = ${user}::uuid and o.status <> 'cancelled')` : sql`false`;
  return sql`(select json_build_object('candidates', c.j, 'firstOrder', ${firstOrder},
      'usage', (select coalesce(json_object_agg(u.scope, u.used), '{}'::json) from ${promotionUsage} u where u.scope in (
        select 'promotion:' || (e->>'id') from json_array_elements(c.j) e
        union all select 'code:' || (k->>'id') from json_array_elements(c.j) e cross join json_array_elements(e->'codes') k
        ${customerScopes})))
    from (select ${promotionCandidatesJson({ codes: input.codes, now: input.now })} as j) c)`;
}

/** `promotionContextJson`'s answer as the engine's inputs; `userId` as it was given. */
export function promotionContextFrom(json: unknown, userId: string | null): PromotionContext {
  const row = (json ?? {}) as { candidates?: unknown; firstOrder?: boolean; usage?: Record<string, number> };
  const candidates = promotionCandidatesFrom(row.candidates);
  const used = row.usage ?? {};
  const usage: PromotionUsage = {
    promotions: Object.fromEntries(
      candidates.promotions.map((p) => [p.id, { total: used[`promotion:${p.id}`] ?? 0, byCustomer: userId ? (used[`customer:${p.id}:${userId}`] ?? 0) : 0 }]),
    ),
    codes: Object.fromEntries(candidates.codes.map((c) => [c.code, used[`code:${c.id}`] ?? 0])),
  };
  return { candidates, usage, isFirstOrder: row.firstOrder === true };
}

/** The context read alone: one query. */
export async function loadPromotionContext(deps: Deps, input: { codes: string[]; now: Date; userId: string | null }): Promise<PromotionContext> {
  const result = await deps.db.execute<{ context: unknown }>(sql`select ${promotionContextJson(input)} as context`);
  return promotionContextFrom(result.rows[0]?.context, input.userId);
}

/** Whether a promotion depends on who the customer is (first order, per-customer limit, named customers). */
export const isPersonal = (p: PromotionCandidates['promotions'][number]) =>
  p.firstOrderOnly || p.perCustomerLimit !== null || p.targets.customerIds.length > 0;
