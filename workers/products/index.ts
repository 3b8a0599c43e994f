import { principalOf } from '../../shared/auth/middleware';
import { readsFromColo, sendWithEtag, wantsFresh } from '../../shared/cache';
import { requestedLocale, withContentLanguage } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import { registerImageRoutes } from './images';
import * as routes from './routes';
import * as service from './service';

export const products = createRouter();

products.openapi(routes.listProducts, async (c) => {
  const deps = c.get('deps');
  const locale = requestedLocale(c, deps.config.DEFAULT_LOCALE);
  const result = await service.listProducts(deps, c.get('auth'), c.req.valid('query'), { fresh: wantsFresh(c), colo: await readsFromColo(c), locale });
  // A raw Response (for ETag and 304) is not a TypedResponse; the route documents its schema.
  return withContentLanguage(sendWithEtag(c, result, result.visibility), locale, deps.config.DEFAULT_LOCALE) as never;
});
products.openapi(routes.getProduct, async (c) => {
  const deps = c.get('deps');
  const locale = requestedLocale(c, deps.config.DEFAULT_LOCALE);
  const options = { fresh: wantsFresh(c), colo: await readsFromColo(c), locale };
  const result = await service.getProduct(deps, c.get('auth'), c.req.valid('param').id, options);
  // A raw Response (for ETag and 304) is not a TypedResponse; the route documents its schema.
  return withContentLanguage(sendWithEtag(c, result, result.visibility), locale, deps.config.DEFAULT_LOCALE) as never;
});
products.openapi(routes.createProduct, async (c) =>
  c.json(await service.createProduct(c.get('deps'), principalOf(c), c.req.valid('json')), 201),
);
products.openapi(routes.updateProduct, async (c) =>
  c.json(await service.updateProduct(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
products.openapi(routes.deleteProduct, async (c) => {
  await service.deleteProduct(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
registerImageRoutes(products);
