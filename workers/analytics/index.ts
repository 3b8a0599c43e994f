import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import { getPromotionFigures } from './promotions';
import * as service from './service';

export const analytics = createRouter();

analytics.openapi(routes.overview, async (c) => c.json(await service.getOverview(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
analytics.openapi(routes.sales, async (c) => c.json(await service.getSales(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
analytics.openapi(routes.topProducts, async (c) => c.json(await service.getTopProducts(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
analytics.openapi(routes.promotionFigures, async (c) => c.json(await getPromotionFigures(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
