import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as fulfilment from './fulfilment';
import * as routes from './routes';
import * as service from './service';

export const returns = createRouter();

returns.openapi(routes.requestReturn, async (c) => c.json(await service.requestReturn(c.get('deps'), principalOf(c), c.req.valid('json')), 201));
returns.openapi(routes.listReturns, async (c) => c.json(await service.listReturns(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
returns.openapi(routes.getReturn, async (c) => c.json(await service.getReturn(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
returns.openapi(routes.approveReturn, async (c) => c.json(await service.approveReturn(c.get('deps'), principalOf(c), c.req.valid('param').id), 200));
returns.openapi(routes.rejectReturn, async (c) =>
  c.json(await service.rejectReturn(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
);
returns.openapi(routes.receiveReturn, async (c) =>
  c.json(await fulfilment.receiveReturn(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').items), 200),
);
returns.openapi(routes.refundReturn, async (c) =>
  c.json(await fulfilment.refundReturn(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json') ?? {}), 200),
);
