import type { ShippingChoiceSnapshot } from '../../shared/db/schema';
import type { Config } from '../../shared/env';
import { ShippingChoiceInvalid, type ShippingChoiceProblem } from '../../shared/errors';
import { type Locale, nameIn } from '../../shared/locale';
import { allocate } from '../../shared/money';
import type { Candidate, Candidates, PointOption } from './quote';
import { priceOf } from './rates';

/** A cart line as shipping sees it (priced by the cart). */
export interface PlanLine {
  sku: string;
  quantity: number;
  lineTotal: number;
}

export interface Option {
  candidate: Candidate;
  price: number;
}

export interface SellerGroup {
  sellerId: string;
  subtotal: number;
  /** null when a line's weight is unknown. */
  weightGrams: number | null;
  /** The methods offered to this group, cheapest first; empty: the group ships at the flat rate, no choice needed. */
  options: Option[];
}

/**
 * The cart's lines grouped by seller (sorted by seller id, as checkout splits
 * the order), each with the methods it may choose: its seller's own and the
 * platform's, priced in the cart's currency for the group's subtotal and weight.
 */
export function sellerGroups(lines: PlanLine[], candidates: Candidates, currency: string): SellerGroup[] {
  const groups = new Map<string, SellerGroup>();
  for (const line of lines) {
    const sku = candidates.skus.get(line.sku);
    if (!sku) continue;
    const group = groups.get(sku.sellerId) ?? { sellerId: sku.sellerId, subtotal: 0, weightGrams: 0, options: [] };
    group.subtotal += line.lineTotal;
    group.weightGrams = group.weightGrams === null || sku.weightGrams === null ? null : group.weightGrams + sku.weightGrams * line.quantity;
    groups.set(sku.sellerId, group);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.sellerId < b.sellerId ? -1 : a.sellerId > b.sellerId ? 1 : 0));
  for (const group of sorted) {
    for (const candidate of candidates.methods) {
      if (candidate.sellerId !== null && candidate.sellerId !== group.sellerId) continue;
      if (candidate.currency !== currency) continue;
      if (candidate.kind === 'pickup' && !candidate.points.length) continue;
      const price = priceOf(candidate.rule, group);
      if (price !== null) group.options.push({ candidate, price });
    }
    group.options.sort((a, b) => a.price - b.price || a.candidate.minDays - b.candidate.minDays);
  }
  return sorted;
}

export interface ShippingChoice {
  sellerId: string;
  methodId: string;
  pickupPointId?: string;
}

/** What one seller order pays for shipping, and the choice it snapshots (null: the flat rate). */
export interface SellerShipping {
  sellerId: string;
  amount: number;
  methodId: string | null;
  choice: ShippingChoiceSnapshot | null;
}

/** The choice as the order keeps it: `name` in the default locale (whoever ordered), `names` in all. */
const snapshot = (candidate: Candidate, point: PointOption | undefined, defaultLocale: Locale): ShippingChoiceSnapshot => ({
  methodId: candidate.methodId,
  kind: candidate.kind,
  name: nameIn(candidate.names, defaultLocale, defaultLocale),
  names: candidate.names,
  minDays: candidate.minDays,
  maxDays: candidate.maxDays,
  pickupPoint: point ? { ...point } : null,
});

/**
 * Each seller group's shipping from the buyer's choices. A group with options
 * must choose one (a pickup method with one of its points); a group without
 * any ships as before: the groups without options together pay the flat rate
 * on their combined subtotal (free from the threshold on), split in
 * proportion to their subtotals — with no methods configured anywhere this is
 * exactly the shipping of an order before shipping methods existed. Every
 * invalid choice is reported at once, naming its seller.
 */
export function shippingFor(groups: SellerGroup[], choices: ShippingChoice[], config: Pick<Config, 'SHIPPING_FLAT_RATE' | 'FREE_SHIPPING_THRESHOLD' | 'DEFAULT_LOCALE'>): SellerShipping[] {
  const problems: Array<{ sellerId: string; problem: ShippingChoiceProblem; methodId?: string; pickupPointId?: string }> = [];
  const bySeller = new Map(groups.map((g) => [g.sellerId, g]));
  for (const choice of choices) {
    if (!bySeller.has(choice.sellerId)) problems.push({ sellerId: choice.sellerId, problem: 'seller_not_in_cart', methodId: choice.methodId });
  }
  const chosen = new Map<string, SellerShipping>();
  for (const group of groups) {
    const choice = choices.find((c) => c.sellerId === group.sellerId);
    if (!group.options.length) {
      // Nothing reaches this group: a method named for it is not one it can have.
      if (choice) problems.push({ sellerId: group.sellerId, problem: 'method_unavailable', methodId: choice.methodId });
      continue;
    }
    if (!choice) {
      problems.push({ sellerId: group.sellerId, problem: 'missing' });
      continue;
    }
    const option = group.options.find((o) => o.candidate.methodId === choice.methodId);
    const report = (problem: ShippingChoiceProblem) =>
      problems.push({ sellerId: group.sellerId, problem, methodId: choice.methodId, ...(choice.pickupPointId ? { pickupPointId: choice.pickupPointId } : {}) });
    if (!option) {
      report('method_unavailable');
      continue;
    }
    let point: PointOption | undefined;
    if (option.candidate.kind === 'pickup') {
      if (!choice.pickupPointId) {
        report('pickup_point_required');
        continue;
      }
      point = option.candidate.points.find((p) => p.id === choice.pickupPointId);
      if (!point) {
        report('pickup_point_invalid');
        continue;
      }
    } else if (choice.pickupPointId) {
      report('pickup_point_not_allowed');
      continue;
    }
    chosen.set(group.sellerId, { sellerId: group.sellerId, amount: option.price, methodId: option.candidate.methodId, choice: snapshot(option.candidate, point, config.DEFAULT_LOCALE) });
  }
  if (problems.length) throw new ShippingChoiceInvalid(problems);

  const flat = groups.filter((g) => !g.options.length);
  const flatSubtotal = flat.reduce((sum, g) => sum + g.subtotal, 0);
  const flatTotal = flatSubtotal === 0 || flatSubtotal >= config.FREE_SHIPPING_THRESHOLD ? 0 : config.SHIPPING_FLAT_RATE;
  const shares = flat.length ? allocate(flatTotal, flat.map((g) => g.subtotal)) : [];
  const flatShare = new Map(flat.map((g, i) => [g.sellerId, shares[i] ?? 0]));
  return groups.map((g) => chosen.get(g.sellerId) ?? { sellerId: g.sellerId, amount: flatShare.get(g.sellerId) ?? 0, methodId: null, choice: null });
}
