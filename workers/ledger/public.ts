/**
 * What the composition root uses of the ledger: `postLedger` (wired into
 * `Deps` by workers/wiring.ts, so orders, payments and returns bring an
 * order's entries up to date without importing the ledger) and
 * `postPendingLedgers` (the cron catch-up in workers/scheduled.ts).
 */
export { postLedger, postPendingLedgers } from './post';
