import type { RateRule } from '../../shared/db/schema';

/** What a seller group ships: its subtotal (cart currency, minor units) and weight (null: a line's weight is unknown). */
export interface GroupLoad {
  subtotal: number;
  weightGrams: number | null;
}

/**
 * The price of one rate rule for a seller group, or null when the rule does
 * not offer the method for it: a weight rule needs every line's weight and a
 * band that holds it (`upToGrams` inclusive). `freeAbove` makes it free at a
 * subtotal of at least that much, whatever the weight.
 */
export function priceOf(rule: RateRule, load: GroupLoad): number | null {
  if (rule.type === 'weight') {
    if (load.weightGrams === null) return null;
    const weight = load.weightGrams;
    const band = rule.bands.find((b) => weight <= b.upToGrams);
    if (!band) return null;
    return rule.freeAbove != null && load.subtotal >= rule.freeAbove ? 0 : band.amount;
  }
  return rule.freeAbove != null && load.subtotal >= rule.freeAbove ? 0 : rule.amount;
}
