import type { EngineLine, EvaluationInput, PromotionCodeRule, PromotionRule, RejectionReason } from './types';

/**
 * Whether a promotion applies to a cart, and if not the reason a buyer is
 * shown. The checks run in a fixed order, so a code that fails several of
 * them always gives the same (first) reason: window, limits, who the customer
 * is, what the cart holds, then the minimums (docs/promotions.md).
 */

/** Codes are compared upper-case without surrounding spaces. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

export const lineSubtotal = (line: EngineLine): number => line.unitPrice * line.quantity;

/** The lines a promotion reaches: every non-empty target list must match; a seller's promotion reaches only its own lines. */
export function targetedLines(promotion: PromotionRule, lines: EngineLine[]): EngineLine[] {
  const { productIds, categoryIds, sellerIds } = promotion.targets;
  return lines.filter(
    (line) =>
      (promotion.sellerId === null || line.sellerId === promotion.sellerId) &&
      (!productIds.length || productIds.includes(line.productId)) &&
      (!categoryIds.length || line.categoryIds.some((id) => categoryIds.includes(id))) &&
      (!sellerIds.length || sellerIds.includes(line.sellerId)),
  );
}

/** The lines of a buy-X-get-Y's reward products (a seller's promotion gives only its own). */
export function rewardLines(promotion: PromotionRule, lines: EngineLine[], rewardProductIds: string[]): EngineLine[] {
  return lines.filter((line) => rewardProductIds.includes(line.productId) && (promotion.sellerId === null || line.sellerId === promotion.sellerId));
}

/** How many times a buy-X-get-Y is earned by the cart (before the reward units are counted). */
export function buyXGetYApplications(promotion: PromotionRule, lines: EngineLine[]): number {
  const params = promotion.params;
  if (params.kind !== 'buy_x_get_y') return 0;
  const targeted = targetedLines(promotion, lines);
  const units = (ls: EngineLine[]) => ls.reduce((sum, line) => sum + line.quantity, 0);
  const earned = params.rewardProductIds.length
    ? Math.floor(units(targeted.filter((line) => !params.rewardProductIds.includes(line.productId))) / params.buyQuantity)
    : Math.floor(units(targeted) / (params.buyQuantity + params.getQuantity));
  return params.maxApplications ? Math.min(earned, params.maxApplications) : earned;
}

function windowReason(promotion: PromotionRule, now: Date): RejectionReason | null {
  if (promotion.status !== 'active') return 'inactive';
  if (now.getTime() < promotion.startsAt.getTime()) return 'not_started';
  if (promotion.endsAt && now.getTime() >= promotion.endsAt.getTime()) return 'expired';
  return null;
}

function limitReason(promotion: PromotionRule, code: PromotionCodeRule | null, input: EvaluationInput): RejectionReason | null {
  const used = input.usage?.promotions?.[promotion.id];
  if (promotion.usageLimit !== null && (used?.total ?? 0) >= promotion.usageLimit) return 'limit_reached';
  if (code && code.usageLimit !== null && (input.usage?.codes?.[code.code] ?? 0) >= code.usageLimit) return 'limit_reached';
  if (promotion.perCustomerLimit !== null && input.customer && (used?.byCustomer ?? 0) >= promotion.perCustomerLimit) return 'limit_reached';
  return null;
}

function customerReason(promotion: PromotionRule, input: EvaluationInput): RejectionReason | null {
  const personal = promotion.firstOrderOnly || promotion.perCustomerLimit !== null || promotion.targets.customerIds.length > 0;
  if (!personal) return null;
  if (!input.customer) return 'sign_in_required';
  if (promotion.targets.customerIds.length && !promotion.targets.customerIds.includes(input.customer.id)) return 'not_eligible';
  if (promotion.firstOrderOnly && !input.customer.isFirstOrder) return 'not_eligible';
  return null;
}

function cartReason(promotion: PromotionRule, lines: EngineLine[], currency: string): RejectionReason | null {
  if (promotion.currency !== null && promotion.currency !== currency) return 'not_eligible';
  const targeted = targetedLines(promotion, lines);
  if (!targeted.length) return 'not_eligible';
  const subtotal = targeted.reduce((sum, line) => sum + lineSubtotal(line), 0);
  const units = targeted.reduce((sum, line) => sum + line.quantity, 0);
  if (promotion.minSubtotal !== null && subtotal < promotion.minSubtotal) return 'minimum_not_met';
  if (promotion.minQuantity !== null && units < promotion.minQuantity) return 'minimum_not_met';
  const params = promotion.params;
  if (params.kind === 'tiered' && !params.tiers.some((tier) => subtotal >= tier.minSubtotal)) return 'minimum_not_met';
  if (params.kind === 'buy_x_get_y') {
    if (buyXGetYApplications(promotion, lines) === 0) return 'minimum_not_met';
    if (params.rewardProductIds.length && !rewardLines(promotion, lines, params.rewardProductIds).length) return 'not_eligible';
  }
  return null;
}

/** null when the promotion applies to this cart (with `code` when it came from one), else why not. */
export function rejectionOf(promotion: PromotionRule, code: PromotionCodeRule | null, input: EvaluationInput, lines: EngineLine[]): RejectionReason | null {
  return windowReason(promotion, input.now) ?? limitReason(promotion, code, input) ?? customerReason(promotion, input) ?? cartReason(promotion, lines, input.currency);
}
