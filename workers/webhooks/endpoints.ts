import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

/** Admin management of outgoing webhook endpoints: /api/v1/webhooks/endpoints. */
export const webhookEndpointsRouter = createRouter();

webhookEndpointsRouter.openapi(routes.createEndpoint, async (c) =>
  c.json(await service.createEndpoint(c.get('deps'), principalOf(c), c.req.valid('json')), 201),
);
webhookEndpointsRouter.openapi(routes.listEndpoints, async (c) =>
  c.json(await service.listEndpoints(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
webhookEndpointsRouter.openapi(routes.getEndpoint, async (c) =>
  c.json(await service.getEndpoint(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
webhookEndpointsRouter.openapi(routes.deleteEndpoint, async (c) => {
  await service.deleteEndpoint(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
webhookEndpointsRouter.openapi(routes.enableEndpoint, async (c) =>
  c.json(await service.enableEndpoint(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
webhookEndpointsRouter.openapi(routes.listDeliveries, async (c) =>
  c.json(await service.listDeliveries(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
);
webhookEndpointsRouter.openapi(routes.resendDelivery, async (c) => {
  const { id, deliveryId } = c.req.valid('param');
  return c.json(await service.resendDelivery(c.get('deps'), principalOf(c), id, deliveryId), 202);
});
