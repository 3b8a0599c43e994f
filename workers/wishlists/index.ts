import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const wishlist = createRouter();

wishlist.openapi(routes.listWishlist, async (c) => c.json(await service.listWishlist(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
wishlist.openapi(routes.addWishlistItem, async (c) => {
  const { item, created } = await service.addToWishlist(c.get('deps'), principalOf(c), c.req.valid('json'));
  return created ? c.json(item, 201) : c.json(item, 200);
});
wishlist.openapi(routes.updateWishlistItem, async (c) =>
  c.json(await service.setWishlistNotify(c.get('deps'), principalOf(c), c.req.valid('param').sku, c.req.valid('json').notify), 200),
);
wishlist.openapi(routes.removeWishlistItem, async (c) => {
  await service.removeFromWishlist(c.get('deps'), principalOf(c), c.req.valid('param').sku);
  return c.body(null, 204);
});
