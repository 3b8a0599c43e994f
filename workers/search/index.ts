import { verifiedCaller } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import { rateLimit } from '../../shared/rate-limit';
import * as routes from './routes';
import { searchProducts } from './service';

export const search = createRouter();

// A search with a new `q` is the most expensive anonymous read: anonymous callers get their own,
// tighter limit (SEARCH_RATE_LIMIT_REQUESTS) on top of the API-wide one; signed-in callers only the latter.
search.use('/', async (c, next) => {
  if (await verifiedCaller(c)) return next();
  const { config } = c.get('deps');
  return rateLimit({ name: 'search-anon', limit: config.SEARCH_RATE_LIMIT_REQUESTS, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS })(c, next);
});

search.openapi(routes.search, async (c) =>
  // The body is JSON already (often straight from the cache); the route documents its schema.
  c.body(await searchProducts(c.get('deps'), c.req.valid('query')), 200, { 'Content-Type': 'application/json' }) as never,
);
