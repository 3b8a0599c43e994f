import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as codes from './codes';
import * as routes from './routes';
import * as service from './service';

export const promotions = createRouter();

promotions.openapi(routes.listPromotions, async (c) => c.json(await service.listPromotions(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
promotions.openapi(routes.getPromotion, async (c) => c.json(await service.getPromotion(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
promotions.openapi(routes.createPromotion, async (c) => c.json(await service.createPromotion(c.get('deps'), principalOf(c), c.req.valid('json')), 201));
promotions.openapi(routes.updatePromotion, async (c) =>
  c.json(await service.updatePromotion(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
promotions.openapi(routes.archivePromotion, async (c) => {
  await service.archivePromotion(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

promotions.openapi(routes.listCodes, async (c) =>
  c.json(await codes.listCodes(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
);
promotions.openapi(routes.addCodes, async (c) => c.json(await codes.addCodes(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 201));
promotions.openapi(routes.generateCodes, async (c) =>
  c.json(await codes.generateCodes(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);
