import type { EvaluationResult } from './types';

/** Who pays a discount: the platform's promotions and the seller's own add up to the line's (or group's) discount. */
export interface FundingSplit {
  platform: number;
  seller: number;
}

/**
 * Per line and per seller group's shipping, the discount split by who funds
 * it: what checkout records on each order line so the seller's earnings and
 * the platform's commission are right (docs/promotions.md, Funding).
 */
export function discountFunding(result: EvaluationResult): { lines: Map<string, FundingSplit>; shipping: Map<string, FundingSplit> } {
  const lines = new Map<string, FundingSplit>();
  const shipping = new Map<string, FundingSplit>();
  const add = (into: Map<string, FundingSplit>, key: string, side: keyof FundingSplit, amount: number) => {
    const split = into.get(key) ?? { platform: 0, seller: 0 };
    split[side] += amount;
    into.set(key, split);
  };
  for (const applied of result.applied) {
    for (const share of applied.lines) add(lines, share.lineId, applied.funding, share.amount);
    for (const share of applied.shipping) add(shipping, share.sellerId, applied.funding, share.amount);
  }
  return { lines, shipping };
}
