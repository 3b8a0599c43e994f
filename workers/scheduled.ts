import type { Bindings } from '../shared/env';
import { createDatabase } from '../shared/db/client';
import { loadConfig } from '../shared/env';
import { createLogger } from '../shared/logger';
import { republishStale } from '../shared/outbox';
import { Deps } from '../shared/context';
import { sweepExpiredOrders } from './orders/service';
import { requeueOverdueDeliveries } from './webhooks/public';

/**
 * Cron-triggered housekeeping (wrangler.toml `[triggers]`). Each job is
 * independent: one failing does not stop the others.
 */
export type ScheduledJob = (env: Bindings, controller: ScheduledController) => Promise<void>;

export const scheduledJobs: Record<string, ScheduledJob> = {
  /** Unpaid orders past their reservation: cancelled, PaymentIntent cancelled, stock released. */
  async 'order-expiry'(env) {
    const config = loadConfig(env);
    if (!config.STRIPE_SECRET_KEY) return;
    const deps = new Deps(config, env, createLogger(config.LOG_LEVEL, { job: 'order-expiry' }));
    try {
      await sweepExpiredOrders(deps);
    } finally {
      await deps.dispose();
    }
  },
  /** Events whose publisher died between commit and queue are sent again. */
  async 'outbox-republish'(env) {
    const database = createDatabase(loadConfig(env));
    try {
      await republishStale(database.db, env.NOTIFICATIONS);
    } finally {
      await database.close();
    }
  },
  /** Outgoing webhook deliveries whose queue message was lost are queued again. */
  'webhook-requeue': (env) => requeueOverdueDeliveries(env),
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
