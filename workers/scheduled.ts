import type { Bindings } from '../shared/env';
import { loadConfig } from '../shared/env';
import { createLogger } from '../shared/logger';
import { republishStale } from '../shared/outbox';
import { runWithDeps } from '../shared/context';
import { paymentsConfigured } from '../shared/payments';
import { postPendingLedgers } from './ledger/public';
import { refundUnfinishedCancellations, sweepExpiredOrders } from './orders/public';
import { requeueOverdueDeliveries } from './webhooks/public';
import { WIRING } from './wiring';

/**
 * Cron-triggered housekeeping (wrangler.toml `[triggers]`). Each job is
 * independent: one failing does not stop the others.
 */
export type ScheduledJob = (env: Bindings, controller: ScheduledController) => Promise<void>;

export const scheduledJobs: Record<string, ScheduledJob> = {
  /** Unpaid orders past their reservation: cancelled, their payment cancelled, stock released. */
  async 'order-expiry'(env) {
    if (!paymentsConfigured(loadConfig(env))) return;
    await runWithDeps(env, { job: 'order-expiry' }, (deps) => sweepExpiredOrders(deps), WIRING);
  },
  /** Paid seller orders cancelled without their refund (the provider failed then): refunded under the cancel's key. */
  async 'cancel-refunds'(env) {
    if (!paymentsConfigured(loadConfig(env))) return;
    await runWithDeps(env, { job: 'cancel-refunds' }, (deps) => refundUnfinishedCancellations(deps), WIRING);
  },
  /** Events whose publisher died between commit and queue are sent again. */
  async 'outbox-republish'(env) {
    await runWithDeps(env, { job: 'outbox-republish' }, (deps) => republishStale(deps.db, env.NOTIFICATIONS));
  },
  /** Outgoing webhook deliveries whose queue message was lost are queued again. */
  'webhook-requeue': (env) => requeueOverdueDeliveries(env),
  /** Paid seller orders and refund allocations of the last week that the ledger has not booked yet (a post that failed). */
  async 'ledger-catch-up'(env) {
    await runWithDeps(env, { job: 'ledger-catch-up' }, (deps) => postPendingLedgers(deps), WIRING);
  },
};

export async function runScheduled(controller: ScheduledController, env: Bindings): Promise<void> {
  const logger = createLogger('info', { cron: controller.cron });
  const results = await Promise.allSettled(
    Object.entries(scheduledJobs).map(async ([name, job]) => {
      await job(env, controller);
      return name;
    }),
  );
  for (const result of results) {
    if (result.status === 'rejected') logger.error('scheduled job failed', { error: String(result.reason) });
  }
  logger.info('scheduled run finished', { jobs: results.length });
}
