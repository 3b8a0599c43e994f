/**
 * What a bench run starts and must close: the local stack (seeded), the
 * bundled Worker on a direct workerd socket, and the Stripe webhook receiver.
 * Parts are recorded as they start, so an interrupted or failed start-up
 * closes exactly what is already running.
 */
import { randomBytes } from 'node:crypto';
import cliProgress from 'cli-progress';
import type { BenchEndpoint } from '../bench-endpoints';
import { startStack, type Stack } from '../stack/index';
import { startWorkerRunner, UNTRIPPABLE_RATE_LIMITS, type WorkerRunner } from '../stack/workerd-runner';
import { Interrupted } from './measure';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export interface Session {
  stack?: Stack;
  runner?: WorkerRunner;
  receiver?: WebhookReceiver;
}

export interface SessionOptions {
  /** Products of the demo catalog seeded before measuring. */
  products: number;
  endpoints: BenchEndpoint[];
  stopped(): boolean;
  log(line: string): void;
}

/** Starts everything into `session`; answers the Worker's origin. */
export async function startSession(session: Session, options: SessionOptions): Promise<string> {
  const { log, products } = options;
  log(`starting the local stack${products ? ` and seeding a catalog of ${products} products` : ''}...`);
  // Drawn on a terminal only; the stack logs the seeding time either way.
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '[bench] catalog [{bar}] {percentage}% | {value}/{total} products | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const stack = await startStack({
    seed: true,
    catalogProducts: products,
    catalogProgress: (done, total) => {
      if (!barStarted) {
        barStarted = true;
        bar.start(total, done);
      } else bar.update(done);
      if (done === total) bar.stop();
    },
    redisUrl: process.env.REDIS_URL,
    databaseUrl: process.env.DATABASE_URL,
    log,
  }).finally(() => bar.stop());
  session.stack = stack;
  if (options.stopped()) throw new Interrupted();
  log('bundling and starting the Worker...');
  const runner = await startWorkerRunner({
    bindings: benchWorkerBindings(stack),
    // The API-wide limit counts in the colo (the Rate Limiting binding, no Redis call): it never trips either.
    ratelimits: UNTRIPPABLE_RATE_LIMITS,
  });
  session.runner = runner;
  if (options.stopped()) throw new Interrupted();
  log(`worker at ${runner.url}`);
  if (stack.stripe && options.endpoints.some((e) => e.name.startsWith('webhook'))) {
    // The stand-in's signed events go here, not to the Worker: the webhook benchmarks deliver them under load.
    session.receiver = await startWebhookReceiver();
    stack.stripe.setWebhookUrl(session.receiver.url);
    log(`stripe webhooks captured at ${session.receiver.url}`);
  }
  return runner.url;
}

/** The bench Worker's bindings on `stack` (scripts/measure-neon-transports.ts starts a second Worker with them). */
export function benchWorkerBindings(stack: Stack): Record<string, string> {
  return {
    ...stack.bindings,
    APP_ENV: 'development',
    JWT_SECRET: randomBytes(32).toString('hex'),
    EXPOSE_DB_METRICS: 'true',
    // Request logs would dominate the measurement.
    LOG_LEVEL: 'error',
    // The Upstash limiters (auth, search) still run but never trip.
    RATE_LIMIT_REQUESTS: '100000000',
    AUTH_RATE_LIMIT_REQUESTS: '100000000',
    // auth-login signs one account in from one address at 32 connections: every attempt in flight takes
    // from the account's failure budget until it succeeds, so the default budget would answer 429.
    LOGIN_MAX_FAILURES: '100000000',
    LOGIN_ACCOUNT_MAX_FAILURES: '100000000',
    SEARCH_RATE_LIMIT_REQUESTS: '100000000',
    READINESS_RATE_LIMIT_REQUESTS: '100000000',
    // The order entries run twice with --latency (zero, then the profile): their shoppers' unpaid orders must not cap them.
    MAX_UNPAID_ORDERS: '1000',
    // POST /bench/reserve-release/:sku (inventory-reserve-release).
    BENCH_ROUTES: 'true',
    // The checkout and webhook benchmarks pay with Stripe (its stand-in signs the webhooks they replay).
    PAYMENT_PROVIDERS: 'stripe,payme,click,cash',
  };
}

export async function closeSession(session: Session, log: (line: string) => void): Promise<void> {
  await session.runner?.close().catch((err) => log(`closing the worker failed: ${String(err)}`));
  session.stack?.stripe?.setWebhookUrl(undefined);
  await session.receiver?.close().catch((err) => log(`closing the webhook receiver failed: ${String(err)}`));
  await session.stack?.close().catch((err) => log(`closing the stack failed: ${String(err)}`));
}

/**
 * Endpoints whose `requires` route this build does not have (a domain still
 * being written): skipped with a warning rather than failing the run. Read
 * from the Worker's own /openapi.json.
 */
export async function unavailableEndpoints(baseUrl: string, endpoints: BenchEndpoint[]): Promise<Set<string>> {
  const needing = endpoints.filter((e) => e.requires);
  if (!needing.length) return new Set();
  const res = await fetch(`${baseUrl}/openapi.json`);
  if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
  const has = ({ method, path: route }: NonNullable<BenchEndpoint['requires']>) => Boolean(doc.paths?.[route]?.[method.toLowerCase()]);
  return new Set(needing.filter((e) => !has(e.requires!)).map((e) => e.name));
}
