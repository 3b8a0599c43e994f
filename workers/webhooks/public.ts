/** What the composition root (cron) may use from outgoing webhooks. */
export { requeueOverdueDeliveries } from './delivery';
