import { readsFromColo } from '../../shared/cache';
import { answerIn, readerLocale } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import { getRecommendations } from './service';

export const recommendations = createRouter();

recommendations.openapi(routes.recommendations, async (c) => {
  const deps = c.get('deps');
  const locale = readerLocale(c, deps.config.DEFAULT_LOCALE);
  const body = await getRecommendations(deps, c.get('auth'), c.req.valid('query'), { colo: await readsFromColo(c), locale });
  answerIn(c, locale);
  // The body is already JSON (often straight from the cache); the route documents its schema.
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
});
