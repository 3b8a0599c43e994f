import { verifiedCaller } from '../../shared/auth/middleware';
import { readsFromColo } from '../../shared/cache';
import { requestedLocale, withContentLanguage } from '../../shared/locale';
import { createRouter } from '../../shared/openapi';
import { rateLimit } from '../../shared/rate-limit';
import * as routes from './routes';
import { searchProducts } from './service';

export const search = createRouter();

// A search with a new `q` is the most expensive anonymous read: anonymous callers get their own,
// tighter limit (SEARCH_RATE_LIMIT_REQUESTS) on top of the API-wide one; signed-in callers only the latter.
search.use('/', async (c, next) => {
  const caller = await verifiedCaller(c);
  if (caller) {
    // The handler needs the caller too (a catalog writer reads past the colo's tiers): verified once, here.
    c.set('auth', caller);
    return next();
  }
  const { config } = c.get('deps');
  return rateLimit({ name: 'search-anon', limit: config.SEARCH_RATE_LIMIT_REQUESTS, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS })(c, next);
});

search.openapi(routes.search, async (c) => {
  const deps = c.get('deps');
  const choice = requestedLocale(c, deps.config.DEFAULT_LOCALE);
  // Search answers hits, not editors' records: `*` is not offered here (the route refuses it), the default stands in.
  const locale = choice === '*' ? deps.config.DEFAULT_LOCALE : choice;
  const body = await searchProducts(deps, c.req.valid('query'), undefined, { colo: await readsFromColo(c), locale });
  // The body is JSON already (often straight from the cache); the route documents its schema.
  return withContentLanguage(c.body(body, 200, { 'Content-Type': 'application/json' }), locale, deps.config.DEFAULT_LOCALE) as never;
});
