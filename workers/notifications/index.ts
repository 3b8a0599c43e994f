import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

export const notifications = createRouter();

// Literal paths before /{id}/..., so "failed" and "read-all" are never taken for ids.
notifications.openapi(routes.listNotifications, async (c) =>
  c.json(await service.listNotifications(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
notifications.openapi(routes.readAll, async (c) => c.json(await service.markAllRead(c.get('deps'), principalOf(c)), 200));
notifications.openapi(routes.listFailed, async (c) =>
  c.json(await service.listFailedEmails(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
notifications.openapi(routes.retryFailed, async (c) =>
  c.json(await service.retryFailedEmail(c.get('deps'), principalOf(c), c.req.valid('param').id), 202),
);
notifications.openapi(routes.markRead, async (c) =>
  c.json(await service.markRead(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
