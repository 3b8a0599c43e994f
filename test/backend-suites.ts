/**
 * The Worker suites whose behaviour depends on the database and Redis behind them: concurrency
 * (PGlite runs one transaction at a time, so races only show on a real PostgreSQL), SQL
 * aggregates and full-text search, Redis scripts (rate limits, idempotency, denylists, caches),
 * and fault injection. `npm run test:backend` runs just these; CI runs them a second time against
 * a real PostgreSQL and Redis after the whole suite has passed on the embedded stack. A new suite
 * whose outcome can differ between the two belongs here (a file named `*concurrency*` is picked
 * up by its name).
 */
export const BACKEND_SUITES = [
  'test/worker/**/*concurrency*.test.ts',
  'test/worker/faults/**/*.test.ts',
  'test/worker/checkout/**/*.test.ts',
  'test/worker/inventory-do/{mirror-race,postgres,import-version}.test.ts',
  'test/worker/search/postgres-engine.test.ts',
  'test/worker/analytics/figures.test.ts',
  'test/worker/catalog/{cache,round-trips-and-outage}.test.ts',
  'test/worker/auth/{tokens,login-budget}.test.ts',
  'test/worker/users/{admin-patch,last-admin}.test.ts',
  'test/worker/{rate-limit,idempotency,outbox,readiness}.test.ts',
  'test/worker/auth/phone-sign-in.test.ts',
  // A cache entry per locale in the Redis tier (and Postgres' text-search configs behind the reads).
  'test/worker/catalog/locales.test.ts',
];
