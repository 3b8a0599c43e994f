/** What the composition root (queue dispatcher, cron) may use from outgoing webhooks. */
export { requeueOverdueDeliveries, webhookConsumers } from './delivery';
