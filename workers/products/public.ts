/**
 * What other domains may use from products: the product wire shape and the SQL that builds it
 * (recommendations lists products with it), and the event type the queue routes to search.
 */
export { Product } from './schemas';
export { productJson } from './queries';
export { PRODUCT_CHANGED } from './service';
export { localizeProduct } from './localize';
