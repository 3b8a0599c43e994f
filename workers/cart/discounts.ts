import { sql } from 'drizzle-orm';
import type { CartKey } from '../../durable-objects/cart-client';
import { readThrough } from '../../shared/cache';
import type { Deps } from '../../shared/context';
import type { Config } from '../../shared/env';
import { money, percentOf, vatContained } from '../../shared/money';
import {
  type EngineLine,
  type EvaluationResult,
  evaluatePromotions,
  isPersonal,
  loadPromotionContext,
  type PromotionContext,
  promotionContextFrom,
  promotionContextJson,
} from '../promotions/public';
import { type CatalogEntry, shippingVatOf, vatBpsOf } from './pricing';
import type { Cart } from './schemas';

/** How many codes a cart keeps: one applies (docs/promotions.md); the others say why not. */
export const MAX_CART_CODES = 5;

/**
 * The promotions a cart view needs. With codes entered, read live: one round trip. Without, the
 * automatic set comes from the read cache (one entry shared by every cart, in the `promotions` scope:
 * a promotion write that invalidates the scope outdates it at once, otherwise it is at most the cache's
 * TTL old, with its uses then — the engine still checks each window against now), so a cart without a
 * code costs no round trip once that entry is cached; only a signed-in shopper facing a personal
 * automatic promotion (first order, per-customer limit, named customers) reads live. Checkout always
 * reads everything live inside its own statement, so what a shopper pays is never stale.
 */
export async function promotionContextFor(deps: Deps, key: CartKey, codes: string[], now: Date, automatic?: Promise<PromotionContext>): Promise<PromotionContext> {
  const userId = key.kind === 'user' ? key.userId : null;
  if (codes.length) return loadPromotionContext(deps, { codes, now, userId });
  const shared = await (automatic ?? cachedAutomaticPromotions(deps, now));
  if (userId && shared.candidates.promotions.some(isPersonal)) return loadPromotionContext(deps, { codes, now, userId });
  return shared;
}

/**
 * The automatic promotions from the read cache (read and cached on a miss). A caller that is about to
 * read the cache anyway (add-to-cart reads the SKU's entry) starts this alongside, so both go to Redis
 * in one pipelined request.
 */
export async function cachedAutomaticPromotions(deps: Deps, now: Date): Promise<PromotionContext> {
  const cached = await readThrough(deps, 'promotions', 'automatic', async () => {
    const result = await deps.db.execute<{ context: unknown }>(sql`select ${promotionContextJson({ codes: [], now, userId: null })} as context`);
    return result.rows[0]?.context ?? {};
  });
  return promotionContextFrom(cached ? JSON.parse(cached.body) : {}, null);
}

/** The engine's line for a priced line; null for a line that cannot be bought (it takes no discount). */
export function engineLine(line: { id: string; sku: string; quantity: number; unitPrice: number | null; currency: string }, entry: CatalogEntry | undefined): EngineLine | null {
  if (line.unitPrice === null || !entry) return null;
  return {
    lineId: line.id,
    sku: line.sku,
    productId: entry.productId,
    categoryIds: entry.categoryIds ?? [],
    sellerId: entry.sellerId,
    unitPrice: line.unitPrice,
    quantity: line.quantity,
    currency: line.currency,
  };
}

/** Runs the engine over a priced cart. The cart's one shipping figure is the platform's (checkout splits it per seller). */
export function evaluateCart(cart: Cart, catalog: Map<string, CatalogEntry>, context: PromotionContext, codes: string[], userId: string | null, now: Date): EvaluationResult {
  const lines = cart.lines.flatMap((l) => engineLine(l, catalog.get(l.sku)) ?? []);
  return evaluatePromotions({
    currency: cart.currency,
    lines,
    shipping: cart.shipping > 0 ? [{ sellerId: '', amount: cart.shipping }] : [],
    customer: userId ? { id: userId, isFirstOrder: context.isFirstOrder } : null,
    now,
    promotions: context.candidates.promotions,
    codes: context.candidates.codes,
    enteredCodes: codes,
    usage: context.usage,
  });
}

/**
 * The cart with the engine's result: each line's discount, the promotions applied, each entered code
 * applied or why not, and the totals after discounts — tax taken from the discounted amounts as
 * `priceCart` takes it from the full ones.
 */
export function discountCart(cart: Cart, catalog: Map<string, CatalogEntry>, result: EvaluationResult, codes: string[], config: Config): Cart {
  const discountOf = new Map(result.lines.map((l) => [l.lineId, l.discount]));
  const lines = cart.lines.map((l) => ({ ...l, discount: discountOf.get(l.id) ?? 0 }));
  const shipping = Math.max(0, cart.shipping - result.shippingDiscount);
  let goods = 0;
  let linesVat = 0;
  for (const line of lines) {
    const entry = catalog.get(line.sku);
    if (line.unitPrice === null || !entry || line.currency !== cart.currency) continue;
    goods += line.lineTotal - line.discount;
    linesVat += vatContained(line.lineTotal - line.discount, vatBpsOf(entry, config));
  }
  const tax = config.PRICES_INCLUDE_TAX ? linesVat + shippingVatOf(shipping, config) : percentOf(money(goods, cart.currency), config.TAX_RATE_BPS).amount;
  const appliedCode = new Set(result.applied.flatMap((a) => (a.code ? [a.code] : [])));
  const rejected = new Map(result.rejectedCodes.map((r) => [r.code, r.reason]));
  return {
    ...cart,
    lines,
    tax,
    shipping,
    total: goods + shipping + (config.PRICES_INCLUDE_TAX ? 0 : tax),
    discount: result.discountTotal,
    shippingDiscount: result.shippingDiscount,
    promotions: result.applied.map((a) => ({
      promotionId: a.promotionId,
      name: a.name,
      kind: a.kind,
      code: a.code,
      funding: a.funding,
      amount: a.amount,
      linesAmount: a.linesAmount,
      shippingAmount: a.shippingAmount,
    })),
    codes: codes.map((code) => {
      const applied = appliedCode.has(code);
      return { code, applied, reason: applied ? null : (rejected.get(code) ?? 'not_eligible') };
    }),
  };
}
