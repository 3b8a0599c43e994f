/**
 * What other domains (and the composition root) may use of payments. The
 * payments domain never imports orders: the orders domain hands in its
 * "apply the provider's state" handler through `Deps` (wired in workers/app.ts).
 */
export { recordPaymentState, refundableOf, refundPart, refundRemainder } from './state';
export type { PartRefund } from './state';
export { paymentWebhooks } from './webhook';
export { paymentProviders } from './providers';
export { clickPayments } from './click';
export { recordCashCollected, type CashCollection } from './cash';
export { paymeMerchantApi } from './payme';
