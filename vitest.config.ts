import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { BACKEND_SUITES } from './test/backend-suites';

/** A fixed secret for tests only: 32+ characters as the env schema demands. */
const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789abcdef';
const TEST_READINESS_TOKEN = 'test-only-readiness-token-0123456789abcdef';

/**
 * The Worker inside workerd with the test stack's bindings (from global setup)
 * plus `extraBindings`; `extraOptions` are merged into the Miniflare options.
 */
const workerdTest = (extraBindings: Record<string, string> = {}, extraOptions: Record<string, unknown> = {}) =>
  cloudflareTest(async ({ inject }) => ({
    wrangler: { configPath: './wrangler.toml' },
    miniflare: {
      // The API-wide limit's binding (wrangler.toml [[ratelimits]]) out of the suites' way (every test request comes
      // from one address); TEST_RATE_LIMITER (3 a minute) is the one test/worker/rate-limit.test.ts swaps in.
      ratelimits: {
        API_RATE_LIMITER: { namespace_id: '1001', simple: { limit: 1_000_000, period: 60 } },
        TEST_RATE_LIMITER: { namespace_id: '1901', simple: { limit: 3, period: 60 } },
      },
      ...extraOptions,
      bindings: {
        ...inject('stack'),
        APP_ENV: 'test',
        LOG_LEVEL: 'warn',
        JWT_SECRET: TEST_JWT_SECRET,
        // Webhook endpoints' signing secrets are sealed at rest in tests, as in production.
        WEBHOOK_SECRET_KEY: 'test-only-webhook-secret-key-0123456789abcdef',
        // Every test request comes from one address; the limits get their own tests.
        RATE_LIMIT_REQUESTS: '1000000',
        AUTH_RATE_LIMIT_REQUESTS: '1000000',
        SEARCH_RATE_LIMIT_REQUESTS: '1000000',
        READINESS_RATE_LIMIT_REQUESTS: '1000000',
        // The colo tiers of the catalog cache are off: the suites read their writes back anonymously at once
        // (versioned Redis). test/worker/edge-cache turns them on and proves the freshness contract.
        CATALOG_FRESH_SECONDS: '0',
        CATALOG_STALE_SECONDS: '0',
        // Monitoring's token for /health/ready's per-dependency details.
        READINESS_TOKEN: TEST_READINESS_TOKEN,
        // wrangler.toml's development vars price the UZS demo store with VAT included; the suites' figures are
        // tax on top unless a test turns it on (test/worker/vat).
        PRICES_INCLUDE_TAX: 'false',
        FISCAL_DATA_REQUIRED: 'false',
        // The demo store offers Payme first; the suites' checkouts that name no provider pay with Stripe (the default order).
        PAYMENT_PROVIDERS: 'stripe,payme,click,cash',
        // Only the Typesense contract tests read these; TYPESENSE_* would switch every /search to it.
        ...(process.env.TEST_TYPESENSE_URL
          ? { TEST_TYPESENSE_URL: process.env.TEST_TYPESENSE_URL, TEST_TYPESENSE_API_KEY: process.env.TEST_TYPESENSE_API_KEY ?? '' }
          : {}),
        ...extraBindings,
      },
    },
  }));


export default defineConfig({
  test: {
    projects: [
      {
        // Tooling that runs in Node: the local stack, OpenAPI validation.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        // Against the bundled Worker running in workerd on the local stack (CI: npm run test:e2e): the API
        // reference page in Debian's chromium, and the typed client. One file at a time: each starts a stack.
        test: {
          name: 'e2e',
          include: ['test/browser/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        // The Worker itself, inside workerd, with real bindings.
        plugins: [workerdTest()],
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // The backend-dependent subset of `workers`, for the second pass on real services (see BACKEND_SUITES).
        plugins: [workerdTest()],
        test: {
          name: 'backend',
          include: BACKEND_SUITES,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // The hostile-input suite (docs/testing.md): its own stack, so the database it fingerprints is its own.
        plugins: [
          workerdTest(
            {
              FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? '',
              FUZZ_SEED: process.env.FUZZ_SEED ?? '',
              FUZZ_ONLY: process.env.FUZZ_ONLY ?? '',
              // No order's reservation may lapse mid-run: the InventoryDO alarm would rewrite inventory_levels in the background.
              RESERVATION_TTL_MINUTES: '1440',
            },
            // Events go to a queue nobody consumes: consumers write the database seconds later (batching, retries),
            // which a before/after fingerprint could not tell from a rejected request's trace.
            { queueProducers: { NOTIFICATIONS: { queueName: 'ultramarket-fuzz-sink' } } },
          ),
        ],
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
