import type { Context } from 'hono';
import { principalOf } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import { inReaderLocale, type Locale } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const cart = createRouter();

/** The request's cart; a new anonymous cart's id goes back in X-Cart-Id. */
function currentCart(c: Context<AppEnv>) {
  const resolved = service.resolveCart(c.get('auth'), c.req.header(service.CART_ID_HEADER));
  if (resolved.key.kind === 'anon') c.header(service.CART_ID_HEADER, resolved.id);
  return resolved;
}

/** A cart answer with its lines named in the reader's locale (said in Content-Language). */
const named = <T>(c: Context<AppEnv>, read: (locale: Locale) => Promise<T>) => inReaderLocale(c, c.get('deps').config.DEFAULT_LOCALE, read);

cart.openapi(routes.getCart, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await named(c, (locale) => service.viewCart(c.get('deps'), key, id, { locale })), 200);
});
cart.openapi(routes.addItem, async (c) => {
  const { key, id } = currentCart(c);
  const { sku, quantity } = c.req.valid('json');
  return c.json(await named(c, (locale) => service.addItem(c.get('deps'), key, id, sku, quantity, locale)), 201);
});
cart.openapi(routes.setQuantity, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await named(c, (locale) => service.setQuantity(c.get('deps'), key, id, c.req.valid('param').lineId, c.req.valid('json').quantity, locale)), 200);
});
cart.openapi(routes.removeLine, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await named(c, (locale) => service.removeLine(c.get('deps'), key, id, c.req.valid('param').lineId, locale)), 200);
});
cart.openapi(routes.clearCart, async (c) => {
  await service.clearCart(c.get('deps'), currentCart(c).key);
  return c.body(null, 204);
});
cart.openapi(routes.mergeCart, async (c) =>
  c.json(await named(c, (locale) => service.mergeCarts(c.get('deps'), principalOf(c), c.req.valid('json').cartId, locale)), 200),
);
cart.openapi(routes.addDiscount, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await named(c, (locale) => service.addDiscountCode(c.get('deps'), key, id, c.req.valid('json').code, locale)), 200);
});
cart.openapi(routes.removeDiscount, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await named(c, (locale) => service.removeDiscountCode(c.get('deps'), key, id, c.req.valid('param').code, locale)), 200);
});
