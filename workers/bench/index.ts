import { Hono } from 'hono';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { AppEnv } from '../../shared/context';
import { loadConfig } from '../../shared/env';
import { NotFound } from '../../shared/errors';

/**
 * Benchmark routes (scripts/bench.ts), outside /api/v1 and outside the OpenAPI
 * document. They exist only where the validated config enables BENCH_ROUTES
 * (which production refuses: MISCONFIGURED); anywhere else every /bench path is a 404.
 */
export const bench = new Hono<AppEnv>();

bench.use('*', async (c, next) => {
  // loadConfig parses once per isolate, so the baseline stays the cheapest route there is.
  if (!loadConfig(c.env).BENCH_ROUTES) throw new NotFound('route', `${c.req.method} ${c.req.path}`);
  await next();
});

// The baseline: global middleware and nothing else.
bench.get('/noop', (c) => c.text('ok'));

// One reserve and one release on a SKU's InventoryDO.
bench.post('/reserve-release/:sku', async (c) => {
  const inventory = inventoryFor(c.env, c.req.param('sku'));
  const id = `bench:${crypto.randomUUID()}`;
  const reserved = await inventory.reserve(id, 1, 60);
  await inventory.release(id);
  return c.json({ reserved: reserved.ok });
});

// How long one reserve or release held its object, averaged over the calls since the last read, summed over
// the SKU's shards (inventory-hot-sku). Measured inside the object: the figure that caps one object's calls/s.
bench.get('/inventory-hold/:sku', async (c) => {
  const inventory = inventoryFor(c.env, c.req.param('sku'));
  const shards = await inventory.shardCount();
  const stats = await Promise.all(Array.from({ length: shards }, (_, shard) => inventory.shardStub(shard).holdStats()));
  const calls = stats.reduce((n, s) => n + s.calls, 0);
  const ms = stats.reduce((n, s) => n + s.ms, 0);
  return c.json({ shards, calls, avgHoldMs: calls ? ms / calls : 0 });
});
