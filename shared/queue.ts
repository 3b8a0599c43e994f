import type { Bindings } from './env';

/**
 * The NOTIFICATIONS queue's message types. They live here, not beside the
 * dispatcher (`workers/queue.ts`), so that consumers can be typed without
 * importing the module that imports them.
 */

/** A message on the NOTIFICATIONS queue: an event some domain emitted, or a follow-up job one of them queued. */
export interface QueueEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** What a handler learns about its message besides the event. */
export interface Delivery {
  /** 1 on the first delivery, then 2, 3, ... */
  attempts: number;
}

export type QueueHandler = (event: QueueEvent, env: Bindings, delivery: Delivery) => Promise<void>;

/** A domain's consumer: the message types it handles, and what to do when one of them runs out of retries. */
export interface QueueConsumer {
  types: readonly string[];
  handle: QueueHandler;
  deadLetter?: QueueHandler;
}
