import { principalOf } from '../../shared/auth/middleware';
import { REPLAYED_HEADER } from '../../shared/idempotency';
import { createRouter } from '../../shared/openapi';
import { placeOrder } from './checkout';
import { withCheckoutLease } from './limits';
import { getReceipt } from './receipt';
import * as routes from './routes';
import * as sellerOrderRoutes from './seller-order-routes';
import * as sellerOrderService from './seller-order-service';
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
orders.openapi(routes.getReceipt, async (c) => c.json(await getReceipt(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
orders.openapi(routes.setStatus, async (c) => {
  const { status, note } = c.req.valid('json');
  return c.json(await service.setOrderStatus(c.get('deps'), principalOf(c), c.req.valid('param').id, status, note), 200);
});
orders.openapi(routes.cancelOrder, async (c) => c.json(await service.cancelOrder(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
orders.openapi(sellerOrderRoutes.cancelSellerOrder, async (c) => {
  const { id, sellerOrderId } = c.req.valid('param');
  return c.json(await service.cancelPartOfOrder(c.get('deps'), principalOf(c), id, sellerOrderId), 200);
});

/** `/seller-orders`: a seller's part of an order. */
export const sellerOrders = createRouter();

sellerOrders.openapi(sellerOrderRoutes.listSellerOrders, async (c) =>
  c.json(await sellerOrderService.listMySellerOrders(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
sellerOrders.openapi(sellerOrderRoutes.getSellerOrder, async (c) =>
  c.json(await sellerOrderService.readSellerOrder(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
sellerOrders.openapi(sellerOrderRoutes.setSellerOrderStatus, async (c) => {
  const { status, note } = c.req.valid('json');
  return c.json(await sellerOrderService.moveSellerOrderStatus(c.get('deps'), principalOf(c), c.req.valid('param').id, status, note), 200);
});
sellerOrders.openapi(sellerOrderRoutes.createShipment, async (c) =>
  c.json(await sellerOrderService.createShipment(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);
sellerOrders.openapi(sellerOrderRoutes.cashCollected, async (c) =>
  c.json(await sellerOrderService.recordCashCollected(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

/** `/shipments`: one parcel of a seller order. */
export const shipments = createRouter();

shipments.openapi(sellerOrderRoutes.deliverShipment, async (c) =>
  c.json(await sellerOrderService.markShipmentDelivered(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
shipments.openapi(sellerOrderRoutes.readyForPickup, async (c) =>
  c.json(await sellerOrderService.markShipmentReadyForPickup(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
