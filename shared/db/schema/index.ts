/**
 * The drizzle schema root: every table is exported from here, and drizzle-kit
 * generates migrations/ from it.
 */
export * from './users';
export * from './auth';
export * from './addresses';
export * from './outbox';
export * from './catalog';
export * from './orders';
export * from './notifications';
export * from './webhooks';
export * from './files';
export * from './shipments';
export * from './shipping';
export * from './returns';
export * from './ledger';
export * from './provider-payments';
export * from './click';
export * from './promotions';
export * from './wishlists';
export * from './phone-auth';
export * from './sms';
export * from './promotion-redemptions';
export * from './reviews';
