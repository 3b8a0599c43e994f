import { readsFromColo } from '../../shared/cache';
import { inReaderLocale } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import { getRecommendations } from './service';

export const recommendations = createRouter();

recommendations.openapi(routes.recommendations, async (c) => {
  const deps = c.get('deps');
  const colo = await readsFromColo(c);
  const body = await inReaderLocale(c, deps.config.DEFAULT_LOCALE, (locale) => getRecommendations(deps, c.get('auth'), c.req.valid('query'), { colo, locale }));
  // The body is already JSON (often straight from the cache); the route documents its schema.
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
});
