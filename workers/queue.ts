import type { Bindings } from '../shared/env';
import { createLogger, type LogLevel } from '../shared/logger';
import type { QueueEvent, QueueHandler } from '../shared/queue';
import { notificationConsumers } from './notifications/public';
import { PRODUCT_CHANGED } from './products/public';
import { syncProductToIndex } from './search/public';
import { webhookConsumers } from './webhooks/public';
import { wishlistConsumers } from './wishlists/public';

export type { Delivery, QueueConsumer, QueueEvent, QueueHandler } from '../shared/queue';

/**
 * Consumers by message type; domains subscribe theirs with `subscribe`.
 * Several handlers may share a type: all run, and if one throws the message is
 * retried for all of them, so every handler must be idempotent per event id.
 */
export const queueHandlers: Record<string, QueueHandler[]> = {};

/** Handlers for messages that ran out of retries, by type (the dead-letter queue's consumer). */
export const deadLetterHandlers: Record<string, QueueHandler> = {};

export function subscribe(types: string | readonly string[], handler: QueueHandler): void {
  for (const type of typeof types === 'string' ? [types] : types) {
    const handlers = (queueHandlers[type] ??= []);
    if (!handlers.includes(handler)) handlers.push(handler);
  }
}

subscribe(PRODUCT_CHANGED, syncProductToIndex);
for (const consumer of [...notificationConsumers, ...webhookConsumers]) {
  subscribe(consumer.types, consumer.handle);
  if (consumer.deadLetter) for (const type of consumer.types) deadLetterHandlers[type] = consumer.deadLetter;
}
// Wishlists tell wishers of price drops and restocks; a failure retries, and their state makes the retry a no-op.
for (const consumer of wishlistConsumers) subscribe(consumer.types, consumer.handle);

/** Exponential backoff: 20 s, 40 s, 80 s, ... capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3_600, 2 ** attempts * 10);
}

const isDeadLetterQueue = (name: string) => /-dlq(-|$)/.test(name);

/**
 * Acks each message its handlers processed and retries (with backoff) each one
 * that failed; after max_retries the platform moves it to the dead-letter
 * queue, whose consumer (this same function) hands it to `deadLetterHandlers`.
 * A message nobody handles is acked rather than retried forever.
 */
export async function consumeQueue(batch: MessageBatch<QueueEvent>, env: Bindings): Promise<void> {
  const logger = createLogger((env.LOG_LEVEL as LogLevel | undefined) ?? 'info', { queue: batch.queue });
  const deadLetters = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) {
    const type = message.body?.type;
    const handlers = deadLetters ? [deadLetterHandlers[type]].filter((h) => h !== undefined) : (queueHandlers[type] ?? []);
    if (!handlers.length) {
      if (deadLetters) logger.error('dead letter without a handler', { type, id: message.id, event: message.body });
      else logger.debug('no handler for queue event', { type, id: message.id });
      message.ack();
      continue;
    }
    try {
      for (const handler of handlers) await handler(message.body, env, { attempts: message.attempts });
      message.ack();
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      logger.error('queue event failed', { type, attempts: message.attempts, deadLetters, error: String(err) });
      message.retry({ delaySeconds });
    }
  }
}
