/**
 * What other domains may use from promotions: the cart and checkout load the
 * candidates (embedded in their own statement, or with the one-query loader)
 * and run the pure engine over the priced lines. Everything else in this
 * folder is the promotions domain's own (rules CRUD).
 */
export { evaluatePromotions } from './engine';
export { discountFunding, type FundingSplit } from './funding';
export { normalizeCode } from './eligibility';
export {
  lineCategoriesFrom,
  lineCategoriesJson,
  loadPromotionCandidates,
  promotionCandidatesFrom,
  promotionCandidatesJson,
  type PromotionCandidates,
} from './candidates';
export {
  REJECTION_REASONS,
  type AppliedPromotion,
  type EngineLine,
  type EngineShipping,
  type EvaluationInput,
  type EvaluationResult,
  type LineAllocation,
  type LineResult,
  type PromotionCodeRule,
  type PromotionRule,
  type PromotionUsage,
  type RejectedCode,
  type RejectionReason,
  type ShippingAllocation,
} from './types';
/**
 * Cart and checkout side (docs/promotions.md, "Cart, checkout and limits"): the engine's context (candidates,
 * uses so far, first order) in one expression; orders records an order's redemptions in its checkout
 * statement and releases (or takes again) their uses when the order moves.
 */
export { isPersonal, loadPromotionContext, type PromotionContext, promotionContextFrom, promotionContextJson } from './promotion-context';
export { type RedemptionInput, promotionLimitOf, reclaimRedemptions, redemptionsInsert, releaseRedemptions, usageClaims } from './redemptions';
