import { allocate } from '../../shared/money';
import { lineSubtotal, rewardLines, targetedLines, buyXGetYApplications } from './eligibility';
import type { EngineLine, EngineShipping, LineAllocation, PromotionRule, ShippingAllocation } from './types';

/**
 * What one promotion takes off, given what earlier promotions left
 * (`remaining`): every discount is computed on remaining amounts, so the
 * lines' discounts never exceed their amounts however promotions stack.
 */
export interface CartState {
  lines: EngineLine[];
  /** Per line id: its amount after the promotions applied so far. */
  remaining: Map<string, number>;
  /** Per line id: units already given by a buy-X-get-Y (a unit is given once). */
  rewardedUnits: Map<string, number>;
  shipping: EngineShipping[];
  /** Per seller id: its shipping after the promotions applied so far. */
  shippingRemaining: Map<string, number>;
}

export interface Discount {
  lines: LineAllocation[];
  shipping: ShippingAllocation[];
}

/** `percent`% of `amount`, rounded half-up to the minor unit; exact beyond 2^53. */
export function percentShare(amount: number, percent: number): number {
  return Number((BigInt(amount) * BigInt(percent) * 2n + 100n) / 200n);
}

/** Shares `amount` (≤ the lines' remaining sum) over `lines` in proportion to what remains of each (shared/money.ts allocate). */
function spread(state: CartState, lines: EngineLine[], amount: number): LineAllocation[] {
  const weights = lines.map((line) => state.remaining.get(line.lineId) ?? 0);
  const base = weights.reduce((a, b) => a + b, 0);
  const parts = allocate(Math.min(amount, base), weights);
  return lines.map((line, i) => ({ lineId: line.lineId, amount: parts[i] ?? 0 }));
}

const remainingOf = (state: CartState, lines: EngineLine[]) => lines.reduce((sum, line) => sum + (state.remaining.get(line.lineId) ?? 0), 0);

/** The cheapest units (then earlier lines) of `pool`, `count` of them, each taken `rewardPercent`% off. */
function rewardUnits(state: CartState, pool: EngineLine[], count: number, rewardPercent: number): LineAllocation[] {
  const order = pool.map((line, index) => ({ line, index })).sort((a, b) => a.line.unitPrice - b.line.unitPrice || a.index - b.index);
  const given: LineAllocation[] = [];
  let left = count;
  for (const { line } of order) {
    if (left <= 0) break;
    const free = Math.min(left, line.quantity - (state.rewardedUnits.get(line.lineId) ?? 0));
    if (free <= 0) continue;
    left -= free;
    state.rewardedUnits.set(line.lineId, (state.rewardedUnits.get(line.lineId) ?? 0) + free);
    const amount = Math.min(percentShare(line.unitPrice * free, rewardPercent), state.remaining.get(line.lineId) ?? 0);
    given.push({ lineId: line.lineId, amount });
  }
  return given;
}

function lineDiscount(promotion: PromotionRule, state: CartState): LineAllocation[] {
  const params = promotion.params;
  const targeted = targetedLines(promotion, state.lines);
  switch (params.kind) {
    case 'percentage': {
      const off = percentShare(remainingOf(state, targeted), params.percent);
      return spread(state, targeted, params.maxDiscount != null ? Math.min(off, params.maxDiscount) : off);
    }
    case 'fixed_amount':
      return spread(state, targeted, params.amount);
    case 'tiered': {
      const subtotal = targeted.reduce((sum, line) => sum + lineSubtotal(line), 0);
      const tier = params.tiers.filter((t) => subtotal >= t.minSubtotal).sort((a, b) => b.minSubtotal - a.minSubtotal)[0];
      return tier ? spread(state, targeted, tier.amount) : [];
    }
    case 'buy_x_get_y': {
      const applications = buyXGetYApplications(promotion, state.lines);
      const pool = params.rewardProductIds.length ? rewardLines(promotion, state.lines, params.rewardProductIds) : targeted;
      return rewardUnits(state, pool, applications * params.getQuantity, params.rewardPercent);
    }
    case 'free_shipping':
      return [];
  }
}

/** Free shipping: the shipping of every seller group that holds a targeted line. */
function shippingDiscount(promotion: PromotionRule, state: CartState): ShippingAllocation[] {
  if (promotion.params.kind !== 'free_shipping') return [];
  const sellers = new Set(targetedLines(promotion, state.lines).map((line) => line.sellerId));
  return state.shipping
    .filter((group) => sellers.has(group.sellerId))
    .map((group) => ({ sellerId: group.sellerId, amount: state.shippingRemaining.get(group.sellerId) ?? 0 }));
}

/** Applies one promotion to `state` and returns its shares (non-zero ones, lines in input order). */
export function applyPromotion(promotion: PromotionRule, state: CartState): Discount {
  const byLine = new Map<string, number>();
  for (const share of lineDiscount(promotion, state)) byLine.set(share.lineId, (byLine.get(share.lineId) ?? 0) + share.amount);
  const lines: LineAllocation[] = [];
  for (const line of state.lines) {
    const amount = byLine.get(line.lineId) ?? 0;
    if (amount <= 0) continue;
    state.remaining.set(line.lineId, (state.remaining.get(line.lineId) ?? 0) - amount);
    lines.push({ lineId: line.lineId, amount });
  }
  const shipping = shippingDiscount(promotion, state).filter((share) => share.amount > 0);
  for (const share of shipping) state.shippingRemaining.set(share.sellerId, (state.shippingRemaining.get(share.sellerId) ?? 0) - share.amount);
  return { lines, shipping };
}
