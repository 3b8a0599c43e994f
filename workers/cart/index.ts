import type { Context } from 'hono';
import { principalOf } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import { answerIn, readerLocale } from '../../shared/locale';
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

/** The locale the cart answer names its lines in, said in Content-Language. */
function localeOf(c: Context<AppEnv>) {
  const locale = readerLocale(c, c.get('deps').config.DEFAULT_LOCALE);
  answerIn(c, locale);
  return locale;
}

cart.openapi(routes.getCart, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await service.viewCart(c.get('deps'), key, id, { locale: localeOf(c) }), 200);
});
cart.openapi(routes.addItem, async (c) => {
  const { key, id } = currentCart(c);
  const { sku, quantity } = c.req.valid('json');
  return c.json(await service.addItem(c.get('deps'), key, id, sku, quantity, localeOf(c)), 201);
});
cart.openapi(routes.setQuantity, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await service.setQuantity(c.get('deps'), key, id, c.req.valid('param').lineId, c.req.valid('json').quantity, localeOf(c)), 200);
});
cart.openapi(routes.removeLine, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await service.removeLine(c.get('deps'), key, id, c.req.valid('param').lineId, localeOf(c)), 200);
});
cart.openapi(routes.clearCart, async (c) => {
  await service.clearCart(c.get('deps'), currentCart(c).key);
  return c.body(null, 204);
});
cart.openapi(routes.mergeCart, async (c) =>
  c.json(await service.mergeCarts(c.get('deps'), principalOf(c), c.req.valid('json').cartId, localeOf(c)), 200),
);
cart.openapi(routes.addDiscount, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await service.addDiscountCode(c.get('deps'), key, id, c.req.valid('json').code, localeOf(c)), 200);
});
cart.openapi(routes.removeDiscount, async (c) => {
  const { key, id } = currentCart(c);
  return c.json(await service.removeDiscountCode(c.get('deps'), key, id, c.req.valid('param').code, localeOf(c)), 200);
});
