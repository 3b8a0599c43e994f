/**
 * What other domains may use from cart: auth merges an anonymous cart at sign-in, orders prices
 * a cart from the catalog at checkout. Everything else in this folder is cart's own.
 */
export { CART_ID_HEADER, mergeOnSignIn } from './service';
export { type CatalogEntry, catalogEntries, priceCart } from './pricing';
