import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const payments = createRouter();

payments.openapi(routes.intent, async (c) => c.json(await service.paymentIntentFor(c.get('deps'), principalOf(c), c.req.valid('json').orderId), 200));
payments.openapi(routes.processPayment, async (c) => {
  const { orderId, paymentMethodId } = c.req.valid('json');
  return c.json(await service.processPayment(c.get('deps'), principalOf(c), orderId, paymentMethodId), 200);
});
payments.openapi(routes.listPayments, async (c) => c.json(await service.listPayments(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
payments.openapi(routes.getPayment, async (c) => c.json(await service.getPayment(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
payments.openapi(routes.refund, async (c) =>
  c.json(
    await service.refundPayment(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key']),
    200,
  ),
);
