import { principalOf } from '../../shared/auth/middleware';
import { readsFromColo, sendWithEtag, wantsFresh } from '../../shared/cache';
import { requestedLocale, withContentLanguage } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const categories = createRouter();

categories.openapi(routes.getTree, async (c) => {
  const deps = c.get('deps');
  const locale = requestedLocale(c, deps.config.DEFAULT_LOCALE);
  const result = await service.getCategoryTree(deps, { fresh: wantsFresh(c), colo: await readsFromColo(c), locale });
  // A raw Response (for ETag and 304) is not a TypedResponse; the route documents its schema.
  return withContentLanguage(sendWithEtag(c, result, 'public'), locale, deps.config.DEFAULT_LOCALE) as never;
});
categories.openapi(routes.createCategory, async (c) =>
  c.json(await service.createCategory(c.get('deps'), principalOf(c), c.req.valid('json')), 201),
);
categories.openapi(routes.updateCategory, async (c) =>
  c.json(await service.updateCategory(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
categories.openapi(routes.deleteCategory, async (c) => {
  await service.deleteCategory(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
