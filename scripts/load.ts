/**
 * `npm run load [-- --duration S --connections N --users N --products N --out FILE]`
 *
 * Load and soak on real services (not in CI): a scratch database on the
 * PostgreSQL server at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres;
 * dropped afterwards), REDIS_URL (default redis://127.0.0.1:6379, our keys
 * deleted afterwards), the Stripe stand-in, and the Worker bundled and served
 * on bare workerd (scripts/stack/workerd-runner.ts). Seeds a catalog, signs up
 * shoppers, runs the mixed traffic of scripts/load/traffic.ts for the
 * duration, then checks the checkout invariants (scripts/load/check.ts).
 * Prints throughput, p50/p95/p99 and errors per route, writes them to
 * bench/load-results.json, and exits non-zero when an invariant is broken.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchUsers, callOk, stockedSkus } from './bench/fixtures';
import { checkAfterLoad } from './load/check';
import { type LoadReport, printReport, Recorder } from './load/stats';
import { MIX, shopperLoop, type TrafficContext } from './load/traffic';
import { startWebhookRelay, type WebhookRelay } from './load/webhook-relay';
import { startStack, type Stack } from './stack/index';
import { startWorkerRunner, UNTRIPPABLE_RATE_LIMITS, type WorkerRunner } from './stack/workerd-runner';

const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';
// The demo admin sees every SKU's whole picture (the demo catalog's products belong to several sellers).
const DEMO_ADMIN = {
  email: process.env.SEED_ADMIN_EMAIL ?? 'admin@ultramarket.local',
  password: process.env.SEED_ADMIN_PASSWORD ?? 'demo-admin-pass',
};
const USAGE = 'usage: npm run load -- [--duration S] [--connections N] [--users N] [--products N] [--out FILE]';

class UsageError extends Error {}

function cli() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { duration: { type: 'string' }, connections: { type: 'string' }, users: { type: 'string' }, products: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const int = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new UsageError(`--${name} must be a positive integer (got ${JSON.stringify(raw)})`);
    return Number(raw);
  };
  const connections = int('connections', values.connections, 16);
  return {
    durationS: int('duration', values.duration, 60),
    connections,
    users: int('users', values.users, connections),
    products: int('products', values.products, 2_000),
    out: path.resolve(values.out ?? 'bench/load-results.json'),
  };
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
const log = (line: string) => console.error(`[load] ${line}`);

let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
let relay: WebhookRelay | undefined;
let interrupted = false;

async function main(): Promise<number> {
  const options = cli();
  const databaseServer = process.env.DATABASE_URL ?? DEFAULT_DATABASE;
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS;
  log(`scratch database on ${redact(databaseServer)}, Redis ${redact(redisUrl)}; seeding ${options.products} products...`);
  stack = await startStack({
    scratchDatabaseOn: databaseServer,
    redisUrl,
    redisKeyPrefix: `load-${randomBytes(4).toString('hex')}:`,
    seed: true,
    catalogProducts: options.products,
    log,
  });
  log('bundling and starting the Worker on workerd...');
  runner = await startWorkerRunner({
    bindings: {
      ...stack.bindings,
      APP_ENV: 'development',
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      // Every shopper comes from one address: the Upstash limiters (auth, search) run but never trip.
      RATE_LIMIT_REQUESTS: '100000000',
      AUTH_RATE_LIMIT_REQUESTS: '100000000',
      SEARCH_RATE_LIMIT_REQUESTS: '100000000',
      READINESS_RATE_LIMIT_REQUESTS: '100000000',
    },
    // The API-wide limit's binding (counted in the colo) never trips either.
    ratelimits: UNTRIPPABLE_RATE_LIMITS,
  });
  const baseUrl = runner.url;
  const recorder = new Recorder();
  if (stack.stripe) {
    relay = await startWebhookRelay(baseUrl, recorder);
    stack.stripe.setWebhookUrl(relay.url);
  }

  const [skus, users, catalog, ownerToken] = await Promise.all([
    stockedSkus(baseUrl),
    benchUsers(baseUrl, options.users),
    callOk<{ data: Array<{ id: string; name: string }> }>(baseUrl, 'GET', '/api/v1/products?limit=100'),
    callOk<{ accessToken: string }>(baseUrl, 'POST', '/api/v1/auth/login', { body: DEMO_ADMIN }).then((r) => r.body.accessToken),
  ]);
  log(`${users.length} shoppers, ${skus.length} SKUs, ${options.connections} connections, ${options.durationS} s`);

  const ctx: TrafficContext = {
    baseUrl,
    skus,
    products: catalog.body.data,
    recorder,
    webhookWaitMs: 15_000,
    stopped: () => interrupted,
  };
  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  await Promise.all(Array.from({ length: options.connections }, (_, i) => shopperLoop(ctx, users[i % users.length]!, deadline)));
  const elapsedS = (performance.now() - started) / 1000;

  log('traffic done; waiting for webhooks, then checking the invariants...');
  await stack.stripe?.idle();
  const checked = await checkAfterLoad({ baseUrl, ownerToken, databaseUrl: stack.bindings.DATABASE_URL, skus, stripe: stack.stripe });
  const routes = recorder.figures(elapsedS);
  const requests = routes.reduce((n, r) => n + r.requests, 0);
  const report: LoadReport = {
    at: new Date().toISOString(),
    runner: `miniflare direct socket (bare workerd), node ${process.version}, ${os.availableParallelism()} cores`,
    durationS: Math.round(elapsedS * 10) / 10,
    connections: options.connections,
    users: users.length,
    products: options.products,
    database: `PostgreSQL ${stack.postgres.kind} (scratch database)`,
    redis: `Redis via the Upstash REST endpoint (${stack.redisBackend})`,
    mix: { ...MIX },
    totals: {
      requests,
      requestsPerSec: Math.round((requests / elapsedS) * 10) / 10,
      errors: routes.reduce((n, r) => n + r.errors, 0),
      checkouts: routes.find((r) => r.route === 'POST /orders')?.requests ?? 0,
      paidOrders: checked.paidOrders,
    },
    routes,
    invariants: { ok: checked.violations.length === 0, checkedSkus: checked.checkedSkus, checkedOrders: checked.checkedOrders, violations: checked.violations },
  };
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  console.log(`wrote ${path.relative(process.cwd(), options.out)}`);
  return report.invariants.ok ? 0 : 1;
}

async function cleanup(): Promise<void> {
  stack?.stripe?.setWebhookUrl(undefined);
  await runner?.close().catch((err) => log(`closing the worker failed: ${String(err)}`));
  await relay?.close().catch((err) => log(`closing the webhook relay failed: ${String(err)}`));
  await stack?.close().catch((err) => log(`closing the stack failed: ${String(err)}`));
}

// Ctrl-C ends the traffic early; the invariants are still checked and everything is closed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping the traffic...`);
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  if (err instanceof UsageError) console.error(`[load] ${err.message}\n${USAGE}`);
  else console.error(`[load] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
