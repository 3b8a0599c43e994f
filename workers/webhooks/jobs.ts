import type { QueueEvent } from '../../shared/queue';

/** The queue message that makes one delivery attempt. */
export const DELIVER = 'webhook.deliver';

/**
 * `attempt` is the try this message performs: the consumer claims the
 * delivery only while exactly `attempt - 1` tries were made, so a duplicate
 * message (queue redelivery, the cron safety net) never sends twice.
 */
export function deliveryJob(deliveryId: string, attempt: number): QueueEvent {
  return { id: deliveryId, type: DELIVER, payload: { deliveryId, attempt } };
}

export async function enqueueDeliveries(queue: Queue, jobs: Array<{ id: string; attempt: number }>, delaySeconds?: number): Promise<void> {
  if (!jobs.length) return;
  await queue.sendBatch(
    jobs.map((j) => ({ body: deliveryJob(j.id, j.attempt), contentType: 'json' as const, ...(delaySeconds ? { delaySeconds } : {}) })),
  );
}
