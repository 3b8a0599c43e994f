import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const inventory = createRouter();

inventory.openapi(routes.reconcile, async (c) => c.json(await service.reconcile(c.get('deps'), principalOf(c), c.req.valid('json')), 200));
inventory.openapi(routes.listLowStock, async (c) =>
  c.json(await service.listLowStock(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
inventory.openapi(routes.getStock, async (c) => c.json(await service.getStock(c.get('deps'), c.get('auth'), c.req.valid('param').sku), 200));
inventory.openapi(routes.setStock, async (c) =>
  c.json(await service.setStock(c.get('deps'), principalOf(c), c.req.valid('param').sku, c.req.valid('json').onHand), 200),
);
inventory.openapi(routes.adjustStock, async (c) => {
  const { delta, reason } = c.req.valid('json');
  return c.json(await service.adjustStock(c.get('deps'), principalOf(c), c.req.valid('param').sku, delta, reason), 200);
});
inventory.openapi(routes.listMovements, async (c) => {
  const { limit, cursor } = c.req.valid('query');
  return c.json(await service.listMovements(c.get('deps'), principalOf(c), c.req.valid('param').sku, limit, cursor), 200);
});
inventory.openapi(routes.setShards, async (c) =>
  c.json(await service.setShards(c.get('deps'), principalOf(c), c.req.valid('param').sku, c.req.valid('json').count), 200),
);
