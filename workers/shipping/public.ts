/**
 * What other domains may use from shipping: orders' checkout reads the
 * candidates for the cart and its destination (with the saved address, in one
 * statement), groups the lines by seller and turns the buyer's choices into
 * each seller order's shipping amount and snapshot. The choice's wire shape
 * is part of POST /orders.
 */
export { type Candidates, type Lookup, readCandidates as shippingCandidates } from './quote';
export { type PlanLine, type SellerShipping, type ShippingChoice, sellerGroups, shippingFor } from './plan';
export { ShippingChoiceInput } from './schemas';
