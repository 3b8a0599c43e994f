import { Scalar } from '@scalar/hono-api-reference';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { dependencies, type AppEnv, type DepsWiring } from '../shared/context';
import { loadConfig } from '../shared/env';
import { NotFound } from '../shared/errors';
import { bodyLimit, requireContentType } from '../shared/middleware/body';
import { observe } from '../shared/middleware/observe';
import { requestId, REQUEST_ID_HEADER } from '../shared/middleware/request-id';
import { createRouter, type Router, withOperationIds } from '../shared/openapi';
import { handleError } from '../shared/problem';
import { apiRateLimit } from '../shared/rate-limit';
import { auth } from './auth';
import { bench } from './bench';
import { cart } from './cart';
import { categories } from './categories';
import { inventory } from './inventory';
import { orders, sellerOrders, shipments } from './orders';
import { shipping } from './shipping';
import { payments } from './payments';
import { clickPayments, paymeMerchantApi, paymentWebhooks } from './payments/public';
import { returns } from './returns';
import { products } from './products';
import { recommendations } from './recommendations';
import { search } from './search';
import { system } from './system';
import { users as usersRouter } from './users';
import { webhooks } from './webhooks';
import { WIRING } from './wiring';
import { analytics } from './analytics';
import { dev } from './dev';
import { files } from './files';
import { notifications } from './notifications';
import { ledger } from './ledger';
import { promotions } from './promotions';
import { wishlist } from './wishlists';
import { productReviews, reviews, sellers } from './reviews';

export const API_BASE = '/api/v1';
/** Where /docs loads its script: `.assets/` (scripts/docs-assets.ts) served as static assets. */
const DOCS_SCRIPT_PATH = '/docs/assets/api-reference.js';

/** Media types other than JSON that a path prefix accepts. */
const EXTRA_MEDIA_TYPES: Record<string, string[]> = {
  [`${API_BASE}/files`]: ['multipart/form-data'],
  // Click posts Prepare and Complete form-encoded (docs/payments-click.md).
  [`${API_BASE}/payments/click/`]: ['application/x-www-form-urlencoded', 'multipart/form-data'],
};

/** Provider calls authenticated by their own signatures: a rate limit would only lose payments. */

/** Paths that must answer even when the configuration is broken. */
const LIVENESS = new Set(['/health']);
/** The benchmark routes build no per-request dependencies (workers/bench checks the config itself). */
const BENCH_PREFIX = '/bench/';

/** Liveness must answer even with a broken config, so CORS treats that as "no origins allowed". */
function allowedOrigins(env: AppEnv['Bindings']): string[] {
  try {
    return loadConfig(env).CORS_ORIGINS;
  } catch {
    return [];
  }
}

const corsFromConfig = () =>
  createMiddleware<AppEnv>((c, next) =>
    cors({
      origin: (origin) => (allowedOrigins(c.env).includes(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', REQUEST_ID_HEADER, 'X-Cart-Id', 'If-None-Match', 'Range', 'If-Range'],
      exposeHeaders: [
        REQUEST_ID_HEADER,
        'X-Cart-Id',
        'ETag',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'Retry-After',
        // File downloads: browsers on other origins need these to use range responses.
        'Content-Range',
        'Accept-Ranges',
        'Content-Disposition',
        'Content-Length',
      ],
      maxAge: 600,
      credentials: true,
    })(c, next),
  );

/** Paths the API-wide rate limit skips: payment providers' calls, authenticated by the provider's credentials. */
const UNTHROTTLED = new Set([
  `${API_BASE}/webhooks/stripe`,
  `${API_BASE}/payments/payme`,
  `${API_BASE}/payments/click/prepare`,
  `${API_BASE}/payments/click/complete`,
]);

/**
 * The application: global middleware in the order DESIGN §1 fixes, then one
 * router per domain. `mount` adds the domain routers (tests can mount extra
 * ones on a fresh app); `wiring` overrides parts of the wiring (a test's own
 * payment gateway).
 */
export function createApp(mount: (api: Router) => void = mountDomains, wiring: DepsWiring = {}): Router {
  const app = createRouter();
  const deps = dependencies({ ...WIRING, ...wiring });

  app.use('*', requestId());
  app.use('*', observe());
  app.use('*', (c, next) => (LIVENESS.has(c.req.path) || c.req.path.startsWith(BENCH_PREFIX) ? next() : deps(c, next)));
  app.use('*', corsFromConfig());
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  // The limiter runs before any body is read: a flood of large or malformed bodies costs one count in the colo each
  // (the Rate Limiting binding; shared/rate-limit.ts), not a parse.
  // Payment providers' calls (Stripe's signed webhooks, Payme's authenticated Merchant API, Click's signed Prepare and
  // Complete) must never be throttled away.
  const limitApi = apiRateLimit();
  app.use(`${API_BASE}/*`, (c, next) => (UNTHROTTLED.has(c.req.path) ? next() : limitApi(c, next)));
  app.use(`${API_BASE}/*`, bodyLimit());
  // Payme's Merchant API answers a malformed body in its own format (JSON-RPC -32700, HTTP 200), so it reads the body itself.
  app.use(`${API_BASE}/*`, (c, next) => (c.req.path === `${API_BASE}/payments/payme` ? next() : requireContentType(EXTRA_MEDIA_TYPES)(c, next)));

  app.route('/', system);
  // Benchmarks only: 404 unless the config enables BENCH_ROUTES.
  app.route('/bench', bench);
  const api = createRouter();
  mount(api);
  app.route(API_BASE, api);

  const documentConfig = {
    openapi: '3.1.0' as const,
    info: {
      title: 'UltraMarket Edge API',
      version: '1.0.0',
      description:
        'Marketplace commerce API on Cloudflare Workers. Errors are RFC 9457 problem+json with a stable `code`; ' +
        'money is integer minor units plus an ISO 4217 currency; lists are cursor-paginated.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This server' }],
  };
  // The document as @hono/zod-openapi builds it, plus a stable operationId on every operation (shared/openapi.ts).
  app.get('/openapi.json', (c) => c.json(withOperationIds(app.getOpenAPI31Document(documentConfig))));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // The page's script is the pinned @scalar/api-reference bundle served from this Worker's static assets (never a CDN).
  // No web fonts (they come from Scalar's servers): the page uses the system's, and loads nothing from elsewhere.
  app.get(
    '/docs',
    Scalar({ url: '/openapi.json', pageTitle: 'UltraMarket Edge API', cdn: DOCS_SCRIPT_PATH, withDefaultFonts: false, showDeveloperTools: 'never' }),
  );

  app.notFound((c) => {
    throw new NotFound('route', `${c.req.method} ${c.req.path}`);
  });
  app.onError(handleError);
  return app;
}

/** Domain routers, each under /api/v1. */
function mountDomains(api: Router): void {
  api.route('/auth', auth);
  api.route('/users', usersRouter);
  api.route('/categories', categories);
  api.route('/products', products);
  api.route('/search', search);
  api.route('/recommendations', recommendations);
  api.route('/inventory', inventory);
  api.route('/cart', cart);
  api.route('/orders', orders);
  // Click's Prepare/Complete (public, signed by Click) before the payments router's /{id} routes.
  api.route('/payments/click', clickPayments);
  api.route('/payments', payments);
  // Payme Business calls this one (Basic auth with the merchant key, no bearer token).
  api.route('/payments/payme', paymeMerchantApi);
  api.route('/seller-orders', sellerOrders);
  api.route('/shipments', shipments);
  api.route('/returns', returns);
  // /webhooks/stripe comes in from the payment provider; /webhooks/endpoints are the outgoing ones.
  api.route('/webhooks', paymentWebhooks);
  api.route('/webhooks', webhooks);
  api.route('/notifications', notifications);
  api.route('/files', files);
  api.route('/analytics', analytics);
  api.route('/dev', dev);
  api.route('/shipping', shipping);
  api.route('/ledger', ledger);
  api.route('/promotions', promotions);
  api.route('/wishlist', wishlist);
  // /products/{id}/reviews lives in the reviews domain, next to the products router's own paths.
  api.route('/products', productReviews);
  api.route('/reviews', reviews);
  api.route('/sellers', sellers);
}
