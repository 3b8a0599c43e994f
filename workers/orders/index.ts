import { principalOf } from '../../shared/auth/middleware';
import { REPLAYED_HEADER } from '../../shared/idempotency';
import { createRouter } from '../../shared/openapi';
import { placeOrder } from './checkout';
import { withCheckoutLease } from './limits';
import * as routes from './routes';
import * as service from './service';

export const orders = createRouter();

orders.openapi(routes.placeOrder, async (c) => {
  const [deps, auth] = [c.get('deps'), principalOf(c)];
  const { replayed, ...placed } = await withCheckoutLease(deps, auth, () =>
    placeOrder(deps, auth, c.req.valid('json'), c.req.valid('header')['idempotency-key']),
  );
  if (replayed) c.header(REPLAYED_HEADER, 'true');
  return c.json(placed, 201);
});
orders.openapi(routes.listOrders, async (c) => c.json(await service.listOrders(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
orders.openapi(routes.orderStats, async (c) => {
  const { from, to, currency } = c.req.valid('query');
  return c.json(await service.orderStats(c.get('deps'), principalOf(c), { from, to }, currency), 200);
});
orders.openapi(routes.getOrder, async (c) => c.json(await service.getOrder(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
orders.openapi(routes.setStatus, async (c) => {
  const { status, note } = c.req.valid('json');
  return c.json(await service.setOrderStatus(c.get('deps'), principalOf(c), c.req.valid('param').id, status, note), 200);
});
orders.openapi(routes.cancelOrder, async (c) => c.json(await service.cancelOrder(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
