import type { Bindings } from '../shared/env';
import { PRODUCT_CHANGED } from './products/service';
import { syncProductToIndex } from './search/sync';
import { createLogger, type LogLevel } from '../shared/logger';

/** A message on the NOTIFICATIONS queue: an event some domain emitted. */
export interface QueueEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

export type QueueHandler = (event: QueueEvent, env: Bindings) => Promise<void>;

/** Consumers by event type; domains register theirs here. */
export const queueHandlers: Record<string, QueueHandler> = {
  [PRODUCT_CHANGED]: syncProductToIndex,
};

/** Exponential backoff: 20 s, 40 s, 80 s, ... capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3_600, 2 ** attempts * 10);
}

/**
 * Acks each message its handler processed and retries (with backoff) each one
 * that failed; after max_retries the platform moves it to the dead-letter queue.
 * A message nobody handles is acked with a warning rather than retried forever.
 */
export async function consumeQueue(batch: MessageBatch<QueueEvent>, env: Bindings): Promise<void> {
  const logger = createLogger((env.LOG_LEVEL as LogLevel | undefined) ?? 'info', { queue: batch.queue });
  for (const message of batch.messages) {
    const handler = queueHandlers[message.body?.type];
    if (!handler) {
      // Events for consumers that are not deployed yet (e.g. notifications) are dropped, not retried.
      logger.debug('no handler for queue event', { type: message.body?.type, id: message.id });
      message.ack();
      continue;
    }
    try {
      await handler(message.body, env);
      message.ack();
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      logger.error('queue event failed', { type: message.body.type, attempts: message.attempts, error: String(err) });
      message.retry({ delaySeconds });
    }
  }
}
