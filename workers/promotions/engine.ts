import type { PromotionKind } from '../../shared/db/schema';
import { applyPromotion, type CartState } from './compute';
import { lineSubtotal, normalizeCode, rejectionOf } from './eligibility';
import type { AppliedPromotion, EngineLine, EvaluationInput, EvaluationResult, PromotionCodeRule, PromotionRule, RejectedCode } from './types';

/**
 * The promotion engine: pure, deterministic, no I/O (docs/promotions.md).
 *
 * 1. Each entered code is checked in the order entered; the first that
 *    applies is the code, any later one that would apply is `not_combinable`.
 * 2. Automatic promotions apply silently when their rule matches.
 * 3. Stacking: the code with every non-exclusive automatic promotion (an
 *    exclusive code alone), or one exclusive automatic promotion alone —
 *    whichever takes the most off (ties: the code's set, then priority, then id).
 * 4. Application order within the chosen set: buy X get Y, percentage, fixed
 *    amount, tiered, free shipping; within a stage higher priority first,
 *    automatic before the code, then id. Each promotion works on what the
 *    earlier ones left.
 */

const STAGE: Record<PromotionKind, number> = { buy_x_get_y: 0, percentage: 1, fixed_amount: 2, tiered: 3, free_shipping: 4 };

interface Candidate {
  promotion: PromotionRule;
  code: PromotionCodeRule | null;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function applicationOrder(a: Candidate, b: Candidate): number {
  return (
    STAGE[a.promotion.kind] - STAGE[b.promotion.kind] ||
    b.promotion.priority - a.promotion.priority ||
    Number(a.code !== null) - Number(b.code !== null) ||
    byId(a.promotion.id, b.promotion.id)
  );
}

interface Outcome {
  applied: AppliedPromotion[];
  state: CartState;
  total: number;
}

function freshState(lines: EngineLine[], input: EvaluationInput): CartState {
  const shippingRemaining = new Map<string, number>();
  for (const group of input.shipping ?? []) shippingRemaining.set(group.sellerId, (shippingRemaining.get(group.sellerId) ?? 0) + group.amount);
  return {
    lines,
    remaining: new Map(lines.map((line) => [line.lineId, lineSubtotal(line)])),
    rewardedUnits: new Map(),
    shipping: [...shippingRemaining].map(([sellerId, amount]) => ({ sellerId, amount })),
    shippingRemaining,
  };
}

function run(set: Candidate[], lines: EngineLine[], input: EvaluationInput): Outcome {
  const state = freshState(lines, input);
  const applied: AppliedPromotion[] = [];
  for (const { promotion, code } of [...set].sort(applicationOrder)) {
    const share = applyPromotion(promotion, state);
    const linesAmount = share.lines.reduce((sum, s) => sum + s.amount, 0);
    const shippingAmount = share.shipping.reduce((sum, s) => sum + s.amount, 0);
    // An automatic promotion that takes nothing off is noise; a code the buyer entered stays visible as accepted.
    if (!code && linesAmount + shippingAmount === 0) continue;
    applied.push({
      promotionId: promotion.id,
      name: promotion.name,
      kind: promotion.kind,
      code: code?.code ?? null,
      codeId: code?.id ?? null,
      funding: promotion.sellerId ? 'seller' : 'platform',
      sellerId: promotion.sellerId,
      amount: linesAmount + shippingAmount,
      linesAmount,
      shippingAmount,
      lines: share.lines,
      shipping: share.shipping,
    });
  }
  return { applied, state, total: applied.reduce((sum, a) => sum + a.amount, 0) };
}

/** Checks the entered codes: the first that applies, and the reasons of the others. */
function checkCodes(input: EvaluationInput, lines: EngineLine[]): { chosen: Candidate | null; rejected: RejectedCode[] } {
  const promotions = new Map(input.promotions.map((p) => [p.id, p]));
  const codes = new Map(input.codes.map((c) => [normalizeCode(c.code), c]));
  const rejected: RejectedCode[] = [];
  let chosen: Candidate | null = null;
  for (const code of [...new Set(input.enteredCodes.map(normalizeCode))].filter(Boolean)) {
    const row = codes.get(code);
    const promotion = row && promotions.get(row.promotionId);
    if (!row || !promotion || promotion.activation !== 'code' || promotion.status === 'archived') {
      rejected.push({ code, reason: 'unknown_code', promotionId: null });
      continue;
    }
    const reason = rejectionOf(promotion, row, input, lines) ?? (chosen ? 'not_combinable' : null);
    if (reason) rejected.push({ code, reason, promotionId: promotion.id });
    else chosen = { promotion, code: { ...row, code } };
  }
  return { chosen, rejected };
}

export function evaluatePromotions(input: EvaluationInput): EvaluationResult {
  const lines = input.lines.filter((line) => line.currency === input.currency && line.quantity > 0);
  const { chosen, rejected } = checkCodes(input, lines);
  const automatic = input.promotions
    .filter((p) => p.activation === 'automatic' && rejectionOf(p, null, input, lines) === null)
    .sort((a, b) => b.priority - a.priority || byId(a.id, b.id));

  const withCode: Candidate[] = chosen?.promotion.exclusive
    ? [chosen]
    : [...(chosen ? [chosen] : []), ...automatic.filter((p) => !p.exclusive).map((promotion) => ({ promotion, code: null }))];
  let best = run(withCode, lines, input);
  for (const promotion of automatic.filter((p) => p.exclusive)) {
    const alone = run([{ promotion, code: null }], lines, input);
    if (alone.total > best.total) best = alone;
  }
  if (chosen && !best.applied.some((a) => a.codeId === chosen.code?.id)) {
    rejected.push({ code: chosen.code?.code ?? '', reason: 'not_combinable', promotionId: chosen.promotion.id });
  }

  const resultLines = lines.map((line) => {
    const subtotal = lineSubtotal(line);
    const total = best.state.remaining.get(line.lineId) ?? subtotal;
    return { lineId: line.lineId, subtotal, discount: subtotal - total, total };
  });
  const shipping = best.state.shipping.map((group) => {
    const left = best.state.shippingRemaining.get(group.sellerId) ?? group.amount;
    return { sellerId: group.sellerId, amount: group.amount, discount: group.amount - left };
  });
  const linesDiscount = resultLines.reduce((sum, l) => sum + l.discount, 0);
  const shippingDiscount = shipping.reduce((sum, s) => sum + s.discount, 0);
  const order = new Map(input.enteredCodes.map((c, i) => [normalizeCode(c), i]));
  rejected.sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0));
  return { currency: input.currency, applied: best.applied, rejectedCodes: rejected, lines: resultLines, shipping, linesDiscount, shippingDiscount, discountTotal: linesDiscount + shippingDiscount };
}
