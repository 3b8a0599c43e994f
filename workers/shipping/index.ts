import { principalOf } from '../../shared/auth/middleware';
import type { Context } from 'hono';
import type { AppEnv } from '../../shared/context';
import { inReaderLocale, type Locale } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import { CART_ID_HEADER } from '../cart/public';
import * as methods from './methods';
import { listRegions, shippingOptions } from './options';
import * as points from './points';
import * as routes from './routes';
import * as zones from './zones';

export const shipping = createRouter();

/** A shopper-facing read with method names in the reader's locale (said in Content-Language). */
const named = <T>(c: Context<AppEnv>, read: (locale: Locale) => Promise<T>) => inReaderLocale(c, c.get('deps').config.DEFAULT_LOCALE, read);

shipping.openapi(routes.listRegions, (c) => c.json(listRegions(), 200));
shipping.openapi(routes.shippingOptions, async (c) =>
  c.json(await named(c, (locale) => shippingOptions(c.get('deps'), c.get('auth'), c.req.header(CART_ID_HEADER), c.req.valid('query'), locale)), 200),
);

shipping.openapi(routes.listZones, async (c) => c.json(await zones.listZones(c.get('deps'), c.req.valid('query')), 200));
shipping.openapi(routes.getZone, async (c) => c.json(await zones.getZone(c.get('deps'), c.req.valid('param').id), 200));
shipping.openapi(routes.createZone, async (c) => c.json(await zones.createZone(c.get('deps'), principalOf(c), c.req.valid('json')), 201));
shipping.openapi(routes.updateZone, async (c) =>
  c.json(await zones.updateZone(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
shipping.openapi(routes.deleteZone, async (c) => {
  await zones.deleteZone(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

shipping.openapi(routes.listMethods, async (c) => c.json(await named(c, (locale) => methods.listMethods(c.get('deps'), c.get('auth'), c.req.valid('query'), locale)), 200));
shipping.openapi(routes.getMethod, async (c) => c.json(await named(c, (locale) => methods.getMethod(c.get('deps'), c.get('auth'), c.req.valid('param').id, locale)), 200));
shipping.openapi(routes.createMethod, async (c) => c.json(await methods.createMethod(c.get('deps'), principalOf(c), c.req.valid('json')), 201));
shipping.openapi(routes.updateMethod, async (c) =>
  c.json(await methods.updateMethod(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
shipping.openapi(routes.deleteMethod, async (c) => {
  await methods.deleteMethod(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

shipping.openapi(routes.listPoints, async (c) => c.json(await points.listPoints(c.get('deps'), c.get('auth'), c.req.valid('query')), 200));
shipping.openapi(routes.getPoint, async (c) => c.json(await points.getPoint(c.get('deps'), c.get('auth'), c.req.valid('param').id), 200));
shipping.openapi(routes.createPoint, async (c) => c.json(await points.createPoint(c.get('deps'), principalOf(c), c.req.valid('json')), 201));
shipping.openapi(routes.updatePoint, async (c) =>
  c.json(await points.updatePoint(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
shipping.openapi(routes.deletePoint, async (c) => {
  await points.deletePoint(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
