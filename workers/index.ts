import type { QueueEvent } from '../shared/queue';
import { consumeQueue } from './queue';
import { runScheduled } from './scheduled';
import { createApp } from './app';
import type { Bindings } from '../shared/env';

export { CartDO } from '../durable-objects/cart';
export { InventoryDO } from '../durable-objects/inventory';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeQueue(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
} satisfies ExportedHandler<Bindings, QueueEvent>;
