/**
 * What other domains (and the composition root) may use of orders. Payments
 * reach `applyPaymentState` only through `Deps` (wired in workers/app.ts),
 * never by importing it.
 */
export { applyPaymentState } from './payment-state';
export { refundUnfinishedCancellations } from './cancel';
export { sweepExpiredOrders } from './service';
/** An order's fiscal receipt data; payments read it through `deps.receiptOf` (wired in workers/wiring.ts). */
export { receiptOf } from './receipt';
