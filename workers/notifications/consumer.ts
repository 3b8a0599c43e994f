import type { QueueConsumer } from '../queue';

/** Queue consumers of the notifications domain (in-app rows and emails). */
export const notificationConsumers: QueueConsumer[] = [];
