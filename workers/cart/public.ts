/**
 * What other domains may use from cart: auth merges an anonymous cart at sign-in, orders prices
 * a cart from the catalog at checkout and checks the customer's holdings against the limits.
 * Everything else in this folder is cart's own.
 */
export { CART_ID_HEADER, mergeOnSignIn } from './service';
export { type CatalogEntry, catalogEntries, catalogFrom, catalogJson, priceCart, shippingVatOf, vatBpsOf } from './pricing';
export { type Holdings, holdingsFrom, holdingsJson } from './limits';
export type { Cart } from './schemas';
/** Shipping answers the options of the request's cart (GET /shipping/options). */
export { resolveCart, viewCart } from './service';
