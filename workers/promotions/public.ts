/**
 * What other domains may use from promotions: orders records an order's redemptions in its checkout
 * statement and releases (or takes again) their uses when the order moves.
 */
export { type RedemptionInput, promotionLimitOf, reclaimRedemptions, redemptionsInsert, releaseRedemptions, usageClaims } from './redemptions';
