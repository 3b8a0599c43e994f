import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { categories, products, type PromotionParams, type PromotionTargets, users } from '../../shared/db/schema';
import { type FieldError, Forbidden, ValidationFailed } from '../../shared/errors';

/**
 * The rules a promotion must keep as a whole (after an update merges into
 * it), and who may fund and target what: a seller's promotion is funded by
 * that seller and reaches only its own products (docs/promotions.md).
 */

export interface RuleShape {
  sellerId: string | null;
  params: PromotionParams;
  currency: string | null;
  targets: PromotionTargets;
  minSubtotal: number | null;
  startsAt: Date;
  endsAt: Date | null;
}

/** Only sellers and admins manage promotions; a seller only its own. */
export function assertManager(auth: Principal): void {
  if (auth.role !== 'admin' && auth.role !== 'seller') throw new Forbidden('Only sellers and admins manage promotions.');
}

/** The funding seller of a new promotion: a seller's own, or for an admin the platform unless it names a seller. */
export function funderForCreate(auth: Principal, requested: string | null | undefined): string | null {
  assertManager(auth);
  if (auth.role === 'admin') return requested ?? null;
  if (requested != null && requested !== auth.userId) throw new ValidationFailed([{ path: 'sellerId', message: 'a seller funds only its own promotions' }]);
  return auth.userId;
}

/** Checks that need no database: the window, the currency its amounts need, the tiers' order, a seller's own scope. */
function shapeErrors(rule: RuleShape): FieldError[] {
  const errors: FieldError[] = [];
  if (rule.endsAt && rule.endsAt.getTime() <= rule.startsAt.getTime()) errors.push({ path: 'endsAt', message: 'must be after startsAt' });
  const p = rule.params;
  const needsCurrency =
    p.kind === 'fixed_amount' || p.kind === 'tiered' || (p.kind === 'percentage' && p.maxDiscount != null) || rule.minSubtotal !== null;
  if (needsCurrency && rule.currency === null) errors.push({ path: 'currency', message: 'is required when the promotion has amounts (fixed amount, tiers, maxDiscount, minSubtotal)' });
  if (p.kind === 'tiered') {
    p.tiers.forEach((tier, i) => {
      const previous = p.tiers[i - 1];
      if (previous && tier.minSubtotal <= previous.minSubtotal) errors.push({ path: `params.tiers.${i}.minSubtotal`, message: 'tiers must ascend by minSubtotal' });
    });
  }
  if (rule.sellerId !== null && rule.targets.sellerIds.some((id) => id !== rule.sellerId)) {
    errors.push({ path: 'targets.sellerIds', message: 'a seller’s promotion reaches only its own products' });
  }
  return errors;
}

/**
 * Everything named must exist, and a seller's promotion may name only that
 * seller's products (targeted or given): one statement for every id list.
 */
async function referenceErrors(deps: Pick<Deps, 'db'>, rule: RuleShape): Promise<FieldError[]> {
  const rewardIds = rule.params.kind === 'buy_x_get_y' ? rule.params.rewardProductIds : [];
  const productIds = [...new Set([...rule.targets.productIds, ...rewardIds])];
  const { categoryIds, sellerIds } = rule.targets;
  const funder = rule.sellerId ? [rule.sellerId] : [];
  if (!productIds.length && !categoryIds.length && !sellerIds.length && !funder.length) return [];
  const list = (ids: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;
  const result = await deps.db.execute<{ products: Array<{ id: string; sellerId: string }> | null; categories: string[] | null; sellers: string[] | null }>(sql`
    select (select json_agg(json_build_object('id', p.id, 'sellerId', p.seller_id)) from ${products} p where p.id in ${list(productIds)} and p.deleted_at is null) as products,
      (select json_agg(c.id) from ${categories} c where c.id in ${list(categoryIds)}) as categories,
      (select json_agg(u.id) from ${users} u where u.id in ${list([...sellerIds, ...funder])} and u.role = 'seller') as sellers`);
  const row = result.rows[0];
  const found = new Map((row?.products ?? []).map((p) => [p.id, p.sellerId]));
  const foundCategories = new Set(row?.categories ?? []);
  const foundSellers = new Set(row?.sellers ?? []);
  const errors: FieldError[] = [];
  const checkProducts = (ids: string[], path: string) =>
    ids.forEach((id, i) => {
      const owner = found.get(id);
      if (owner === undefined) errors.push({ path: `${path}.${i}`, message: 'no such product' });
      else if (rule.sellerId !== null && owner !== rule.sellerId) errors.push({ path: `${path}.${i}`, message: 'a seller’s promotion may name only its own products' });
    });
  checkProducts(rule.targets.productIds, 'targets.productIds');
  checkProducts(rewardIds, 'params.rewardProductIds');
  categoryIds.forEach((id, i) => foundCategories.has(id) || errors.push({ path: `targets.categoryIds.${i}`, message: 'no such category' }));
  sellerIds.forEach((id, i) => foundSellers.has(id) || errors.push({ path: `targets.sellerIds.${i}`, message: 'no such seller' }));
  if (rule.sellerId && !foundSellers.has(rule.sellerId)) errors.push({ path: 'sellerId', message: 'no such seller' });
  return errors;
}

/** Throws 422 with every problem found; nothing is written before this passes. */
export async function assertValidRule(deps: Pick<Deps, 'db'>, rule: RuleShape): Promise<void> {
  const errors = shapeErrors(rule);
  if (errors.length) throw new ValidationFailed(errors);
  const missing = await referenceErrors(deps, rule);
  if (missing.length) throw new ValidationFailed(missing);
}
