import type { PromotionActivation, PromotionKind, PromotionParams, PromotionStatus, PromotionTargets } from '../../shared/db/schema';

/**
 * The promotion engine's input and output (docs/promotions.md). Everything is
 * plain data: the engine does no I/O, so checkout and the cart call it with
 * what they loaded, and tests call it with what they build.
 */

/** A cart or order line as the engine sees it, priced by the caller (minor units). */
export interface EngineLine {
  lineId: string;
  sku: string;
  productId: string;
  /** The product's category and all its ancestors (a promotion on a category reaches its descendants). */
  categoryIds: string[];
  sellerId: string;
  unitPrice: number;
  quantity: number;
  currency: string;
}

/** What one seller group pays for shipping before discounts (checkout splits shipping per seller). */
export interface EngineShipping {
  sellerId: string;
  amount: number;
}

/** A promotion's rule, as `loadPromotionCandidates` reads it. */
export interface PromotionRule {
  id: string;
  name: string;
  kind: PromotionKind;
  activation: PromotionActivation;
  status: PromotionStatus;
  /** The funding seller; null = the platform. */
  sellerId: string | null;
  currency: string | null;
  params: PromotionParams;
  targets: PromotionTargets;
  minSubtotal: number | null;
  minQuantity: number | null;
  firstOrderOnly: boolean;
  startsAt: Date;
  endsAt: Date | null;
  exclusive: boolean;
  priority: number;
  usageLimit: number | null;
  perCustomerLimit: number | null;
}

/** A code of a promotion (normalised upper-case). */
export interface PromotionCodeRule {
  id: string;
  code: string;
  promotionId: string;
  usageLimit: number | null;
}

/**
 * Redemptions so far, owned by checkout (it counts them; the engine only
 * compares). Missing entries count as zero.
 */
export interface PromotionUsage {
  /** Per promotion id: redemptions in total and by this customer. */
  promotions?: Record<string, { total: number; byCustomer?: number }>;
  /** Per code (normalised): redemptions of that code. */
  codes?: Record<string, number>;
}

export interface EvaluationInput {
  /** The cart's currency; lines in another currency are ignored. */
  currency: string;
  lines: EngineLine[];
  /** Per seller group; empty or omitted when shipping is not priced yet (a free-shipping promotion then applies with 0). */
  shipping?: EngineShipping[];
  /** null: anonymous. `isFirstOrder`: the customer has no earlier non-cancelled order. */
  customer: { id: string; isFirstOrder: boolean } | null;
  now: Date;
  /** Automatic promotions and the promotions of the entered codes (more is harmless: inactive ones are skipped). */
  promotions: PromotionRule[];
  /** The code rows of the entered codes that exist. */
  codes: PromotionCodeRule[];
  /** As the buyer typed them; normalised by the engine. At most one applies. */
  enteredCodes: string[];
  usage?: PromotionUsage;
}

/** Why an entered code gives no discount: stable strings clients may switch on. */
export const REJECTION_REASONS = [
  'unknown_code',
  'inactive',
  'not_started',
  'expired',
  'limit_reached',
  'sign_in_required',
  'not_eligible',
  'minimum_not_met',
  'not_combinable',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface LineAllocation {
  lineId: string;
  amount: number;
}

export interface ShippingAllocation {
  sellerId: string;
  amount: number;
}

export interface AppliedPromotion {
  promotionId: string;
  name: string;
  kind: PromotionKind;
  /** The code that activated it (normalised), null for an automatic one. */
  code: string | null;
  codeId: string | null;
  funding: 'platform' | 'seller';
  /** The funding seller when `funding` is `seller`. */
  sellerId: string | null;
  /** linesAmount + shippingAmount. */
  amount: number;
  linesAmount: number;
  shippingAmount: number;
  /** Its share per line (only lines with a non-zero share), in input line order; they add up to linesAmount. */
  lines: LineAllocation[];
  /** Its share per seller group's shipping; they add up to shippingAmount. */
  shipping: ShippingAllocation[];
}

export interface RejectedCode {
  code: string;
  reason: RejectionReason;
  promotionId: string | null;
}

export interface LineResult {
  lineId: string;
  subtotal: number;
  discount: number;
  /** subtotal - discount, never negative. */
  total: number;
}

export interface EvaluationResult {
  currency: string;
  /** In application order. */
  applied: AppliedPromotion[];
  rejectedCodes: RejectedCode[];
  /** Every input line in the cart's currency, in input order. */
  lines: LineResult[];
  shipping: Array<{ sellerId: string; amount: number; discount: number }>;
  linesDiscount: number;
  shippingDiscount: number;
  /** linesDiscount + shippingDiscount: what the order's total is reduced by. */
  discountTotal: number;
}
