import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as preferences from './preferences';
import * as service from './service';
import { recordSmsReport } from './sms-reports';

export const notifications = createRouter();

// Literal paths before /{id}/..., so "failed" and "read-all" are never taken for ids.
notifications.openapi(routes.listNotifications, async (c) =>
  c.json(await service.listNotifications(c.get('deps'), principalOf(c), c.req.valid('query')), 200),
);
notifications.openapi(routes.getPreferences, async (c) => c.json(await preferences.getPreferences(c.get('deps'), principalOf(c)), 200));
notifications.openapi(routes.putPreferences, async (c) =>
  c.json(await preferences.updatePreferences(c.get('deps'), principalOf(c), c.req.valid('json')), 200),
);
notifications.openapi(routes.smsReport, async (c) =>
  c.json(await recordSmsReport(c.get('deps'), c.req.valid('query').key, c.req.valid('json')), 200),
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
