import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** A fixed secret for tests only: 32+ characters as the env schema demands. */
const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789abcdef';

export default defineConfig({
  test: {
    projects: [
      {
        // Tooling that runs in Node: the local stack, OpenAPI validation.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        // The Worker itself, inside workerd, with real bindings.
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...inject('stack'),
                APP_ENV: 'test',
                LOG_LEVEL: 'warn',
                JWT_SECRET: TEST_JWT_SECRET,
                // Every test request comes from one address; the limits get their own tests.
                RATE_LIMIT_REQUESTS: '1000000',
                AUTH_RATE_LIMIT_REQUESTS: '1000000',
                // Only the Typesense contract tests read these; TYPESENSE_* would switch every /search to it.
                ...(process.env.TEST_TYPESENSE_URL
                  ? { TEST_TYPESENSE_URL: process.env.TEST_TYPESENSE_URL, TEST_TYPESENSE_API_KEY: process.env.TEST_TYPESENSE_API_KEY ?? '' }
                  : {}),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
