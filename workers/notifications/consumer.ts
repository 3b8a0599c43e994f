import type { QueueConsumer } from '../../shared/queue';
import { deliverNotification, recordUndeliverable } from './delivery';
import { NOTIFIED_EVENTS } from './templates';

/** Queue consumers of the notifications domain (in-app rows and emails). */
export const notificationConsumers: QueueConsumer[] = [
  { types: NOTIFIED_EVENTS, handle: deliverNotification, deadLetter: recordUndeliverable },
];
