/** What the composition root (queue dispatcher) may use from search: keeping the index in step with the catalog. */
export { syncProductToIndex } from './sync';
