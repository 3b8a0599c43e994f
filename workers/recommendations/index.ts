import { readsFromColo } from '../../shared/cache';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import { getRecommendations } from './service';

export const recommendations = createRouter();

recommendations.openapi(routes.recommendations, async (c) => {
  const body = await getRecommendations(c.get('deps'), c.get('auth'), c.req.valid('query'), { colo: await readsFromColo(c) });
  // The body is already JSON (often straight from the cache); the route documents its schema.
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
});
