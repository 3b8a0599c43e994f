/**
 * What `npm run bench` measures (scripts/bench.ts). Every entry is measured in
 * the same run as the baseline, a do-nothing route behind all global
 * middleware, so a figure always reads "x requests/s where this machine's
 * ceiling is y". Each endpoint must answer 2xx on the seeded stack (demo
 * accounts and the demo catalog, scripts/stack/demo-catalog.ts): the bench
 * probes it once first and stops if it does not.
 */
import { analyticsAdminToken, BENCH_DISCOUNT_CODE, benchUsers, preparedCart, preparedCodedCart, sellerToken, stockedSkus, uploadedFile } from './bench/fixtures';
import { inventoryHotSku, orderCreate, orderCreateShipping, webhookFirstDelivery, webhookReplay } from './bench/scenarios';
import type { BenchEndpoint } from './bench/types';
import { DEMO_SEARCH } from './stack/demo-catalog';

export type { BenchEndpoint, BenchMethod } from './bench/types';

const json = { 'content-type': 'application/json' };
const demoCustomer = JSON.stringify({ email: 'customer@ultramarket.local', password: 'demo-customer-pass' });

/** Signs the demo customer in `count` times: one refresh-token chain per connection. */
async function refreshTokens(baseUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: json, body: demoCustomer });
    if (!res.ok) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
    tokens.push(((await res.json()) as { refreshToken: string }).refreshToken);
  }
  return tokens;
}

const demoSeller = JSON.stringify({ email: 'seller@ultramarket.local', password: 'demo-seller-pass' });

/**
 * Skips reading the read-through cache (shared/cache.ts), so every request reaches Postgres.
 * Only a catalog writer (seller or admin) may skip it: the demo seller's token comes along.
 */
const noCacheHeaders = (baseUrl: string) =>
  once(`no-cache ${baseUrl}`, async () => {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: json, body: demoSeller });
    if (!res.ok) throw new Error(`bench seller login failed: ${res.status} ${await res.text()}`);
    const { accessToken } = (await res.json()) as { accessToken: string };
    return { 'cache-control': 'no-cache', authorization: `Bearer ${accessToken}` };
  });

async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const res = await fetch(baseUrl + path);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    memo.set(key, value);
  }
  return value;
}

/** `count` SKUs of the stocked pool, distinct while the pool lasts: one InventoryDO per connection. */
async function skusPerConnection(baseUrl: string, count: number): Promise<string[]> {
  const skus = await stockedSkus(baseUrl);
  return Array.from({ length: count }, (_, i) => skus[i % skus.length]!);
}

/** The slug of the most popular published product of the seeded catalog. */
const popularSlug = (baseUrl: string) =>
  once(`slug ${baseUrl}`, async () => {
    const page = await getJson<{ data: Array<{ slug: string }> }>(baseUrl, '/api/v1/products?limit=1&sort=popular');
    const slug = page.data[0]?.slug;
    if (!slug) throw new Error('the catalog has no published product: is the demo catalog seeded (--products)?');
    return slug;
  });

/** The id of a root category of the demo tree (its products are all in descendants). */
const categoryId = (baseUrl: string, slug: string) =>
  once(`category ${slug} ${baseUrl}`, async () => {
    const tree = await getJson<{ data: Array<{ id: string; slug: string }> }>(baseUrl, '/api/v1/categories');
    const root = tree.data.find((c) => c.slug === slug);
    if (!root) throw new Error(`no root category ${slug}: is the demo catalog seeded (--products)?`);
    return root.id;
  });

const productDetail = async (baseUrl: string) => ({ path: `/api/v1/products/${await popularSlug(baseUrl)}` });

export const BENCH_ENDPOINTS: BenchEndpoint[] = [
  { name: 'baseline', method: 'GET', path: '/bench/noop', baseline: true },
  { name: 'health', method: 'GET', path: '/health' },
  // PBKDF2 (100,000 iterations) is most of a login's cost: it is the price of a password.
  { name: 'auth-login', method: 'POST', path: '/api/v1/auth/login', headers: json, body: demoCustomer },
  {
    name: 'auth-refresh',
    method: 'POST',
    path: '/api/v1/auth/refresh',
    headers: json,
    chain: {
      prepare: refreshTokens,
      body: (token) => JSON.stringify({ refreshToken: token }),
      next: (token, responseBody) => {
        try {
          return (JSON.parse(responseBody) as { refreshToken?: string }).refreshToken ?? token;
        } catch {
          return token;
        }
      },
    },
  },
  // Catalog reads: one Redis MGET on a cache hit; a miss (or `Cache-Control: no-cache`) adds one SQL statement.
  { name: 'product', method: 'GET', path: '/api/v1/products/<popular slug>', cached: true, resolve: productDetail },
  {
    name: 'product-nocache',
    method: 'GET',
    path: '/api/v1/products/<popular slug> [seller, no-cache]',
    resolve: async (baseUrl) => ({ ...(await productDetail(baseUrl)), headers: await noCacheHeaders(baseUrl) }),
  },
  { name: 'products', method: 'GET', path: '/api/v1/products?limit=20&sort=price_asc', cached: true },
  {
    name: 'products-nocache',
    method: 'GET',
    // status=published: the public listing (a seller's unfiltered list would include its own drafts).
    path: '/api/v1/products?limit=20&sort=price_asc&status=published [seller, no-cache]',
    resolve: async (baseUrl) => ({ path: '/api/v1/products?limit=20&sort=price_asc&status=published', headers: await noCacheHeaders(baseUrl) }),
  },
  {
    name: 'products-category',
    method: 'GET',
    path: '/api/v1/products?category=<electronics>&limit=20',
    cached: true,
    resolve: async (baseUrl) => ({ path: `/api/v1/products?category=${await categoryId(baseUrl, 'electronics')}&limit=20` }),
  },
  // Search is not cached: full text plus trigram similarity and facets, one statement per request.
  { name: 'search', method: 'GET', path: `/api/v1/search?q=${DEMO_SEARCH.word}` },
  { name: 'search-typo', method: 'GET', path: `/api/v1/search?q=${DEMO_SEARCH.typo}` },
  // Cart: an anonymous add makes a new cart (one CartDO) per request; no stock hold (CART_HOLD_MINUTES=0).
  // The SKU's catalog entry is cached after the first add (its stock is read from its InventoryDO).
  {
    name: 'cart-add',
    method: 'POST',
    path: '/api/v1/cart/items <in-stock sku>',
    cached: true,
    headers: json,
    resolve: async (baseUrl) => {
      const [sku] = await stockedSkus(baseUrl);
      return { path: '/api/v1/cart/items', body: JSON.stringify({ sku, quantity: 1 }) };
    },
  },
  {
    name: 'cart-get',
    method: 'GET',
    path: '/api/v1/cart [X-Cart-Id: <3-line cart>]',
    resolve: async (baseUrl) => ({ path: '/api/v1/cart', headers: { 'X-Cart-Id': await preparedCart(baseUrl) } }),
  },
  // One reserve and one release on a SKU's InventoryDO (BENCH_ROUTES); each connection has its own SKU.
  {
    name: 'inventory-reserve-release',
    method: 'POST',
    path: '/bench/reserve-release/<sku per connection>',
    chain: {
      prepare: skusPerConnection,
      body: () => '',
      next: (sku) => sku,
      path: (sku) => `/bench/reserve-release/${encodeURIComponent(sku)}`,
    },
  },
  // A flash sale: every loop reserves and releases on one SKU, unsharded and split into 8 stock shards (scenario loops;
  // before the orders, which would hold reservations on the SKU and so block its resharding).
  { name: 'inventory-hot-sku', method: 'POST', path: '/bench/reserve-release/<one sku>', scenario: inventoryHotSku(1) },
  { name: 'inventory-hot-sku-8', method: 'POST', path: '/bench/reserve-release/<one sku, 8 shards>', scenario: inventoryHotSku(8) },
  // Scenario loops (scripts/bench/scenarios.ts), at most 16 concurrent: each order follows an untimed add-to-cart.
  { name: 'order-create', method: 'POST', path: '/api/v1/orders', scenario: orderCreate },
  // Two sellers in the cart, a shipping method chosen for each (zone, methods and second seller made once per run).
  { name: 'order-create-shipping', method: 'POST', path: '/api/v1/orders [two sellers, shipping choices]', scenario: orderCreateShipping },
  // Signed payment_intent.succeeded events of paid orders, captured from the Stripe stand-in, each delivered once.
  { name: 'webhook', method: 'POST', path: '/api/v1/webhooks/stripe', scenario: webhookFirstDelivery },
  // The same event ids again: the replay fast path.
  { name: 'webhook-replay', method: 'POST', path: '/api/v1/webhooks/stripe [replayed event]', scenario: webhookReplay },
  // A 64 KiB PDF uploaded once by the demo customer, downloaded by its owner: R2 read plus the file's row.
  {
    name: 'file-download',
    method: 'GET',
    path: '/api/v1/files/<uploaded file id>',
    requires: { method: 'GET', path: '/api/v1/files/{id}' },
    resolve: async (baseUrl) => {
      const file = await uploadedFile(baseUrl);
      return { path: `/api/v1/files/${file.id}`, headers: { authorization: `Bearer ${file.token}` } };
    },
  },
  {
    name: 'analytics-overview',
    method: 'GET',
    path: '/api/v1/analytics/overview [admin]',
    requires: { method: 'GET', path: '/api/v1/analytics/overview' },
    resolve: async (baseUrl) => ({
      path: '/api/v1/analytics/overview',
      headers: { authorization: `Bearer ${await analyticsAdminToken(baseUrl)}` },
    }),
  },
  // The marketplace's reads (docs/marketplace.md, shipping.md, returns.md, ledger.md), each one statement.
  {
    name: 'shipping-options',
    method: 'GET',
    path: '/api/v1/shipping/options?country=UZ&regionCode=UZ-TK [anonymous cart]',
    requires: { method: 'GET', path: '/api/v1/shipping/options' },
    resolve: async (baseUrl) => ({ path: '/api/v1/shipping/options?country=UZ&regionCode=UZ-TK', headers: { 'X-Cart-Id': await preparedCart(baseUrl) } }),
  },
  ...(
    [
      ['seller-orders', '/api/v1/seller-orders', '?limit=20'],
      ['returns-list', '/api/v1/returns', '?limit=20'],
      ['ledger-balance', '/api/v1/ledger/balance', ''],
      ['promotions-list', '/api/v1/promotions', '?limit=20'],
    ] as const
  ).map(
    ([name, path, query]): BenchEndpoint => ({
      name,
      method: 'GET',
      path: `${path}${query} [seller]`,
      requires: { method: 'GET', path },
      resolve: async (baseUrl) => ({ path: `${path}${query}`, headers: { authorization: `Bearer ${await sellerToken(baseUrl)}` } }),
    }),
  ),
  // A shopper's wishlist of three stocked SKUs: the list reads each one's stock live; adding again is the idempotent path.
  {
    name: 'wishlist-list',
    method: 'GET',
    path: '/api/v1/wishlist?limit=20 [3 items]',
    requires: { method: 'GET', path: '/api/v1/wishlist' },
    resolve: async (baseUrl) => ({ path: '/api/v1/wishlist?limit=20', headers: { authorization: `Bearer ${await wishingShopper(baseUrl)}` } }),
  },
  {
    name: 'wishlist-add',
    method: 'POST',
    path: '/api/v1/wishlist/items <wished sku>',
    requires: { method: 'POST', path: '/api/v1/wishlist/items' },
    headers: json,
    resolve: async (baseUrl) => {
      const [sku] = await stockedSkus(baseUrl);
      return { path: '/api/v1/wishlist/items', body: JSON.stringify({ sku }), headers: { ...json, authorization: `Bearer ${await wishingShopper(baseUrl)}` } };
    },
  },
  // Promotions on the cart (docs/promotions.md): a cart with a code reads the candidates, their uses and the
  // customer's standing in one statement (today's cart answer plus one); entering the code again answers with that read.
  {
    name: 'cart-with-code',
    method: 'GET',
    path: `/api/v1/cart [X-Cart-Id: <3-line cart with ${BENCH_DISCOUNT_CODE}>]`,
    requires: { method: 'POST', path: '/api/v1/cart/discounts' },
    resolve: async (baseUrl) => ({ path: '/api/v1/cart', headers: { 'X-Cart-Id': await preparedCodedCart(baseUrl) } }),
  },
  {
    name: 'cart-discount-add',
    method: 'POST',
    path: `/api/v1/cart/discounts {code: ${BENCH_DISCOUNT_CODE}} [the same cart]`,
    requires: { method: 'POST', path: '/api/v1/cart/discounts' },
    resolve: async (baseUrl) => ({
      path: '/api/v1/cart/discounts',
      headers: { 'X-Cart-Id': await preparedCodedCart(baseUrl), 'content-type': 'application/json' },
      body: JSON.stringify({ code: BENCH_DISCOUNT_CODE }),
    }),
  },
  // Reviews (docs/reviews.md): each list one statement (a product's empty list adds the product's existence check);
  // the seller's rating one statement over its products' kept sums; a listing by rating is a cached catalog read.
  { name: 'products-by-rating', method: 'GET', path: '/api/v1/products?limit=20&sort=rating&minRating=1', cached: true },
  {
    name: 'product-reviews',
    method: 'GET',
    path: '/api/v1/products/<popular product id>/reviews?limit=20&sort=helpful',
    requires: { method: 'GET', path: '/api/v1/products/{id}/reviews' },
    resolve: async (baseUrl) => ({ path: `/api/v1/products/${await popularProductId(baseUrl)}/reviews?limit=20&sort=helpful` }),
  },
  {
    name: 'reviews-mine',
    method: 'GET',
    path: '/api/v1/reviews/mine [customer]',
    requires: { method: 'GET', path: '/api/v1/reviews/mine' },
    resolve: async (baseUrl) => ({ path: '/api/v1/reviews/mine', headers: { authorization: `Bearer ${(await benchUsers(baseUrl, 1))[0]!.token}` } }),
  },
  {
    name: 'seller-rating',
    method: 'GET',
    path: '/api/v1/sellers/<demo seller id>/rating',
    requires: { method: 'GET', path: '/api/v1/sellers/{id}/rating' },
    resolve: async (baseUrl) => ({ path: `/api/v1/sellers/${subjectOf(await sellerToken(baseUrl))}/rating` }),
  },
];

/** A registered shopper whose wishlist holds three stocked SKUs. */
const wishingShopper = (baseUrl: string) =>
  once(`wishlist ${baseUrl}`, async () => {
    const [shopper] = await benchUsers(baseUrl, 1);
    if (!shopper) throw new Error('no bench shopper');
    for (const sku of (await stockedSkus(baseUrl)).slice(0, 3)) {
      const res = await fetch(`${baseUrl}/api/v1/wishlist/items`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${shopper.token}` },
        body: JSON.stringify({ sku }),
      });
      if (!res.ok) throw new Error(`bench wishlist add failed: ${res.status} ${await res.text()}`);
    }
    return shopper.token;
  });

/** The id of the most popular published product (review routes take the id, not the slug). */
function popularProductId(baseUrl: string) {
  return once(`popular id ${baseUrl}`, async () => {
    const page = await getJson<{ data: Array<{ id: string }> }>(baseUrl, '/api/v1/products?limit=1&sort=popular');
    const id = page.data[0]?.id;
    if (!id) throw new Error('the catalog has no published product: is the demo catalog seeded (--products)?');
    return id;
  });
}

/** The user id (`sub`) an access token names. */
function subjectOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}
