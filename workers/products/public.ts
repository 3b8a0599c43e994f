/**
 * What other domains may use from products: the product wire shape and the SQL that builds it
 * (recommendations lists products with it).
 */
export { Product } from './schemas';
export { productJson } from './queries';
