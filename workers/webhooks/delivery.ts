import type { QueueConsumer } from '../queue';

/** Queue consumers of outgoing webhooks (fan-out to endpoints, then one delivery each). */
export const webhookConsumers: QueueConsumer[] = [];
