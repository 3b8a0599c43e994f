import { createRouter } from '../../shared/openapi';
import * as routes from './routes';
import { searchProducts } from './service';

export const search = createRouter();

search.openapi(routes.search, async (c) =>
  // The body is JSON already (often straight from the cache); the route documents its schema.
  c.body(await searchProducts(c.get('deps'), c.req.valid('query')), 200, { 'Content-Type': 'application/json' }) as never,
);
