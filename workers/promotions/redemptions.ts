import { type SQL, sql } from 'drizzle-orm';
import { sqlState } from '../../shared/db/errors';
import { promotionRedemptions, promotionUsage, type UsageClaim } from '../../shared/db/schema';
import { newId } from '../../shared/ids';

/** A promotion an order uses, with the limits that bound it (null = no limit). */
export interface RedemptionInput {
  promotionId: string;
  codeId: string | null;
  /** The whole discount this promotion gives the order (lines and shipping). */
  discount: number;
  limits: { total: number | null; perCustomer: number | null; code: number | null };
}

/**
 * The usage scopes one redemption counts, each under its limit: the promotion's uses, the code's own uses
 * (when the code has a limit) and this customer's uses of the promotion. A scope without a limit is still
 * counted (so a limit added later starts from the truth) but never refuses.
 */
export function usageClaims(userId: string, r: RedemptionInput): UsageClaim[] {
  const claim = (scope: string, limit: number | null): UsageClaim => ({ scope, limit, promotionId: r.promotionId, reason: 'limit_reached' });
  return [
    claim(`promotion:${r.promotionId}`, r.limits.total),
    ...(r.codeId ? [claim(`code:${r.codeId}`, r.limits.code)] : []),
    claim(`customer:${r.promotionId}:${userId}`, r.limits.perCustomer),
  ];
}

/**
 * The CTE body that records an order's redemptions and counts their uses, for the checkout's single insert
 * statement (`order` names its order CTE). `claim_promotion_usage()` (migration 0015) runs once, before
 * any row is written; a scope at its limit raises SQLSTATE UMP01 and the whole statement — the order
 * included — rolls back. The unique (order, promotion) makes a redemption exactly-once.
 */
export function redemptionsInsert(order: SQL, userId: string, currency: string, redemptions: RedemptionInput[]): SQL {
  const rows = redemptions.map((r) => ({ id: newId(), promotion_id: r.promotionId, code_id: r.codeId, discount: r.discount, claims: usageClaims(userId, r) }));
  const claims = rows.flatMap((r) => r.claims);
  return sql`insert into ${promotionRedemptions} (id, promotion_id, code_id, order_id, user_id, discount, currency, claims)
    select x.id, x.promotion_id, x.code_id, (select id from ${order}), ${userId}::uuid, x.discount, ${currency}, x.claims
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(id uuid, promotion_id uuid, code_id uuid, discount bigint, claims jsonb)
    where (select claim_promotion_usage(${JSON.stringify(claims)}::jsonb)) and exists (select 1 from ${order})
    returning id`;
}

/** The promotion and reason of a checkout statement refused by a limit (SQLSTATE UMP01), else undefined. */
export function promotionLimitOf(err: unknown): { promotionId: string; reason: string } | undefined {
  if (sqlState(err) !== 'UMP01') return undefined;
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { detail, hint } = e as { detail?: unknown; hint?: unknown };
    if (typeof detail === 'string') return { promotionId: detail, reason: typeof hint === 'string' ? hint : 'limit_reached' };
  }
  return { promotionId: '', reason: 'limit_reached' };
}

/**
 * CTEs that release the redemptions of the orders `orderIds` selects (an unpaid order cancelled or
 * expired) and give their uses back, in the statement that moves the order. Only a redemption not yet
 * released is released, under its row lock, so a second cancel or sweep gives nothing back twice.
 */
export function releaseRedemptions(orderIds: SQL): SQL {
  return sql`released_redemptions as (
      update ${promotionRedemptions} r set released_at = now()
      where r.order_id in (${orderIds}) and r.released_at is null
      returning r.claims
    ), released_usage as (
      update ${promotionUsage} u set used = greatest(u.used - c.n, 0), updated_at = now()
      from (select c->>'scope' as scope, count(*)::int as n from released_redemptions cross join jsonb_array_elements(released_redemptions.claims) c group by 1) c
      where u.scope = c.scope
    )`;
}

/**
 * CTEs that count again the released redemptions of the orders `orderIds` selects: an expired order paid
 * late (its payment arrived after the sweep) keeps the price the shopper paid, so its uses count again,
 * without a limit check — the money is already taken (docs/promotions.md).
 */
export function reclaimRedemptions(orderIds: SQL): SQL {
  return sql`reclaimed_redemptions as (
      update ${promotionRedemptions} r set released_at = null
      where r.order_id in (${orderIds}) and r.released_at is not null
      returning r.claims
    ), reclaimed_usage as (
      insert into ${promotionUsage} as u (scope, used)
      select c->>'scope', count(*)::int from reclaimed_redemptions cross join jsonb_array_elements(reclaimed_redemptions.claims) c group by 1
      on conflict (scope) do update set used = u.used + excluded.used, updated_at = now()
    )`;
}
