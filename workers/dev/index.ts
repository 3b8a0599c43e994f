import { NotFound } from '../../shared/errors';
import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import * as service from './service';

/** Development-only routes: answer 404 unless DEV_ROUTES is on. */
export const dev = createRouter();

// Before validation and routing: with the flag off, nothing here exists, not even as a 400.
dev.use('*', async (c, next) => {
  if (!c.get('deps').config.DEV_ROUTES) throw new NotFound('route', `${c.req.method} ${c.req.path}`);
  await next();
});

dev.openapi(routes.listOutbox, async (c) => c.json(await service.listOutbox(c.get('deps'), c.req.valid('query')), 200));
