/**
 * `npm run bench [-- --connections N --duration S --warmup S --only a,b --products N]`
 *
 * Starts the local stack (embedded Postgres seeded with the demo accounts and
 * a demo catalog of 10,000 products (--products), or DATABASE_URL, seeded the
 * same way; Upstash-compatible endpoint over in-memory Redis, or
 * REDIS_URL), runs the bundled Worker on a direct workerd socket with every
 * binding (scripts/stack/workerd-runner.ts), and measures each endpoint of
 * scripts/bench-endpoints.ts with autocannon next to the baseline route, in
 * the same run. Endpoints whose every request needs untimed set-up (orders,
 * Stripe webhooks) run as scenario loops instead (scripts/bench/scenarios.ts);
 * the Stripe stand-in's webhooks go to a local receiver
 * (scripts/bench/webhook-receiver.ts) whose captured events they replay. Writes bench/results.json and prints a table; exits non-zero
 * when any request failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import cliProgress from 'cli-progress';
import { BENCH_ENDPOINTS, type BenchEndpoint } from './bench-endpoints';
import { SCENARIO_MAX_LOOPS, type ScenarioContext } from './bench/scenarios';
import { startWebhookReceiver, type WebhookReceiver } from './bench/webhook-receiver';
import { MAX_CATALOG_PRODUCTS } from './stack/demo-catalog';
import { startStack, type Stack } from './stack/index';
import { startWorkerRunner, type WorkerRunner } from './stack/workerd-runner';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_PATH = path.join(ROOT, 'bench/results.json');

export interface BenchResult {
  name: string;
  method: string;
  path: string;
  connections: number;
  durationS: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Failed requests: connection errors (timeouts included) plus non-2xx answers. */
  errors: number;
  baselineRequestsPerSec: number;
  dbRoundTrips: number;
}

export interface BenchReport {
  runner: string;
  at: string;
  results: BenchResult[];
}

interface Cli {
  connections: number;
  durationS: number;
  warmupS: number;
  only?: Set<string>;
  /** Products of the demo catalog seeded before measuring. */
  products: number;
}

const DEFAULT_PRODUCTS = 10_000;
const USAGE = 'usage: npm run bench -- [--connections N] [--duration S] [--warmup S] [--only name,name] [--products N]';

/** A bad command line: reported without a stack trace. */
class UsageError extends Error {}

function positive(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

function parseCli(argv: string[]): Cli {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        connections: { type: 'string', short: 'c' },
        duration: { type: 'string', short: 'd' },
        warmup: { type: 'string' },
        only: { type: 'string' },
        products: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values } = parsed;
  const only = values.only
    ? new Set(values.only.split(',').map((s) => s.trim()).filter(Boolean))
    : undefined;
  if (only) {
    const known = new Set(BENCH_ENDPOINTS.map((e) => e.name));
    const unknown = [...only].filter((n) => !known.has(n));
    if (unknown.length) throw new UsageError(`--only: unknown endpoint(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  }
  const warmupRaw = values.warmup;
  const productsRaw = values.products;
  const products = productsRaw === undefined ? DEFAULT_PRODUCTS : Number(productsRaw);
  if (productsRaw !== undefined && (!/^\d+$/.test(productsRaw) || products > MAX_CATALOG_PRODUCTS)) {
    throw new UsageError(`--products must be an integer from 0 to ${MAX_CATALOG_PRODUCTS} (got ${JSON.stringify(productsRaw)})`);
  }
  return {
    connections: positive('connections', values.connections, 32, true),
    durationS: positive('duration', values.duration, 10, false),
    warmupS: warmupRaw === '0' ? 0 : positive('warmup', warmupRaw, 2, false),
    only,
    products,
  };
}

function workerdVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const miniflareMain = require.resolve('miniflare');
    return (createRequire(miniflareMain)('workerd/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The endpoint with the path (and headers) its `resolve` computes on the running stack. */
async function resolveEndpoint(baseUrl: string, endpoint: BenchEndpoint): Promise<BenchEndpoint> {
  if (!endpoint.resolve) return endpoint;
  const resolved = await endpoint.resolve(baseUrl);
  return { ...endpoint, path: resolved.path, headers: resolved.headers ?? endpoint.headers, body: resolved.body ?? endpoint.body };
}

/**
 * The endpoint's X-Db-Round-Trips on one request. A cached endpoint's is
 * taken after a warm-up request has filled the cache: that is what the load
 * measures. The cache is written after the response is sent, so a probe that
 * still misses is retried briefly; one that never hits reports the miss.
 */
async function probe(baseUrl: string, endpoint: BenchEndpoint): Promise<number> {
  if (!endpoint.cached) return probeOnce(baseUrl, endpoint);
  await probeOnce(baseUrl, endpoint);
  let trips = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    trips = await probeOnce(baseUrl, endpoint);
    if (trips === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return trips;
}

/** One plain request: the endpoint must answer 2xx; returns its X-Db-Round-Trips. */
async function probeOnce(baseUrl: string, endpoint: BenchEndpoint): Promise<number> {
  const state = endpoint.chain ? ((await endpoint.chain.prepare(baseUrl, 1))[0] ?? '') : undefined;
  const chained = endpoint.chain && state !== undefined ? endpoint.chain.body(state) : undefined;
  const path = endpoint.chain?.path && state !== undefined ? endpoint.chain.path(state) : endpoint.path;
  const res = await fetch(baseUrl + path, {
    method: endpoint.method,
    headers: endpoint.headers,
    body: chained ?? endpoint.body,
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `probe ${endpoint.name} (${endpoint.method} ${endpoint.path}) answered ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  const header = res.headers.get('X-Db-Round-Trips');
  const trips = header === null ? 0 : Number(header);
  if (!Number.isFinite(trips)) throw new Error(`probe ${endpoint.name}: bad X-Db-Round-Trips ${JSON.stringify(header)}`);
  return trips;
}

let current: autocannon.Instance | undefined;

class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

function checkInterrupted(): void {
  if (interrupted) throw new Interrupted();
}

/**
 * autocannon request hooks for chained endpoints. autocannon resets a
 * connection's context before each request, so states live in a shared pool:
 * a request takes one, and its response puts the successor back. With one
 * request in flight per connection, the pool never runs dry.
 */
async function chainedRequests(baseUrl: string, endpoint: BenchEndpoint, connections: number) {
  const chain = endpoint.chain;
  if (!chain) return undefined;
  const pool = await chain.prepare(baseUrl, connections);
  // A state lost to a failed request is replaced by a copy of the first (the failure is counted either way).
  const fallback = pool[0] ?? '';
  type Ctx = { state?: string };
  return [
    {
      method: endpoint.method,
      path: endpoint.path,
      headers: endpoint.headers,
      setupRequest: (req: autocannon.Request, context: Ctx) => {
        context.state = pool.pop();
        const state = context.state ?? fallback;
        return { ...req, body: chain.body(state), ...(chain.path ? { path: chain.path(state) } : {}) };
      },
      onResponse: (status: number, body: string, context: Ctx) => {
        if (context.state !== undefined && status < 300) pool.push(chain.next(context.state, body));
      },
    },
  ] as unknown as autocannon.Request[];
}

async function cannon(baseUrl: string, endpoint: BenchEndpoint, connections: number, durationS: number): Promise<autocannon.Result> {
  const requests = await chainedRequests(baseUrl, endpoint, connections);
  return new Promise((resolve, reject) => {
    current = autocannon(
      {
        url: baseUrl + endpoint.path,
        method: endpoint.method,
        headers: endpoint.headers,
        body: endpoint.body,
        ...(requests ? { requests } : {}),
        connections,
        duration: durationS,
      },
      (err, result) => {
        current = undefined;
        if (err) reject(err);
        else resolve(result);
      },
    );
  });
}

/** Nearest-rank percentile of unsorted samples. */
function percentile(samples: number[], p: number): number {
  if (!samples.length) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function measureScenario(
  baseUrl: string,
  endpoint: BenchEndpoint,
  scenario: NonNullable<BenchEndpoint['scenario']>,
  cli: Cli,
): Promise<Omit<BenchResult, 'baselineRequestsPerSec'>> {
  const ctx: ScenarioContext = {
    baseUrl,
    connections: cli.connections,
    durationS: cli.durationS,
    warmupS: cli.warmupS,
    stripe: stack?.stripe,
    receiver,
    stopped: () => interrupted,
    log: (line) => console.error(`[bench] ${endpoint.name}: ${line}`),
  };
  const r = await scenario(ctx);
  checkInterrupted();
  return {
    name: endpoint.name,
    method: endpoint.method,
    path: r.path ?? endpoint.path,
    connections: r.connections,
    durationS: round(r.elapsedS, 1),
    requestsPerSec: r.elapsedS > 0 ? round(r.latenciesMs.length / r.elapsedS, 1) : 0,
    p50Ms: round(percentile(r.latenciesMs, 50)),
    p99Ms: round(percentile(r.latenciesMs, 99)),
    errors: r.errors,
    dbRoundTrips: r.dbRoundTrips,
  };
}

async function measure(
  baseUrl: string,
  endpoint: BenchEndpoint,
  cli: Cli,
): Promise<Omit<BenchResult, 'baselineRequestsPerSec'>> {
  if (endpoint.scenario) return measureScenario(baseUrl, endpoint, endpoint.scenario, cli);
  const dbRoundTrips = await probe(baseUrl, endpoint);
  checkInterrupted();
  if (cli.warmupS > 0) await cannon(baseUrl, endpoint, cli.connections, cli.warmupS);
  checkInterrupted();
  const r = await cannon(baseUrl, endpoint, cli.connections, cli.durationS);
  checkInterrupted();
  return {
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    connections: cli.connections,
    durationS: cli.durationS,
    requestsPerSec: round(r.requests.average, 1),
    p50Ms: round(r.latency.p50),
    p99Ms: round(r.latency.p99),
    // autocannon's `errors` already counts timeouts (`timeouts` is a subset).
    errors: r.errors + r.non2xx,
    dbRoundTrips,
  };
}

function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    `${r.method} ${r.path}`,
    r.requestsPerSec.toFixed(1),
    `${((r.requestsPerSec / r.baselineRequestsPerSec) * 100).toFixed(0)}%`,
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors),
    String(r.dbRoundTrips),
  ]);
  const head = ['endpoint', 'request', 'req/s', 'vs base', 'p50 ms', 'p99 ms', 'errors', 'db trips'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const baseline = BENCH_ENDPOINTS.filter((e) => e.baseline);
  if (baseline.length !== 1) throw new Error('scripts/bench-endpoints.ts must mark exactly one endpoint as baseline');
  const endpoints = BENCH_ENDPOINTS.filter((e) => !e.baseline && (!cli.only || cli.only.has(e.name)));

  const log = (line: string) => console.error(`[bench] ${line}`);
  log(`starting the local stack${cli.products ? ` and seeding a catalog of ${cli.products} products` : ''}...`);
  // Drawn on a terminal only; the stack logs the seeding time either way.
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '[bench] catalog [{bar}] {percentage}% | {value}/{total} products | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  stack = await startStack({
    seed: true,
    catalogProducts: cli.products,
    catalogProgress: (done, total) => {
      if (!barStarted) {
        barStarted = true;
        bar.start(total, done);
      } else bar.update(done);
      if (done === total) bar.stop();
    },
    redisUrl: process.env.REDIS_URL,
    databaseUrl: process.env.DATABASE_URL,
    log: (line) => log(line),
  }).finally(() => bar.stop());
  checkInterrupted();
  log('bundling and starting the Worker...');
  runner = await startWorkerRunner({
    bindings: {
      ...stack.bindings,
      APP_ENV: 'development',
      JWT_SECRET: randomBytes(32).toString('hex'),
      EXPOSE_DB_METRICS: 'true',
      // Request logs would dominate the measurement.
      LOG_LEVEL: 'error',
      // The limiter still runs (one Redis call per API request) but never trips.
      RATE_LIMIT_REQUESTS: '100000000',
      AUTH_RATE_LIMIT_REQUESTS: '100000000',
      // POST /bench/reserve-release/:sku (inventory-reserve-release).
      BENCH_ROUTES: 'true',
    },
  });
  checkInterrupted();
  log(`worker at ${runner.url}`);
  if (stack.stripe && endpoints.some((e) => e.name.startsWith('webhook'))) {
    // The stand-in's signed events go here, not to the Worker: the webhook benchmarks deliver them under load.
    receiver = await startWebhookReceiver();
    stack.stripe.setWebhookUrl(receiver.url);
    log(`stripe webhooks captured at ${receiver.url}`);
  }

  const runnerDescription =
    `miniflare direct socket (workerd ${workerdVersion()}), node ${process.version}, ` +
    `${os.availableParallelism()} cores`;
  log(`${cli.connections} connections, ${cli.durationS} s per endpoint after ${cli.warmupS} s warm-up`);

  const measured: Array<Omit<BenchResult, 'baselineRequestsPerSec'>> = [];
  for (const entry of [baseline[0]!, ...endpoints]) {
    const endpoint = await resolveEndpoint(runner.url, entry);
    checkInterrupted();
    const headers = Object.entries(endpoint.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type');
    log(`${endpoint.name}: ${endpoint.method} ${endpoint.path}${headers.map(([n, v]) => ` [${n}: ${v}]`).join('')}`);
    measured.push(await measure(runner.url, endpoint, cli));
  }

  const baselineRps = measured[0]!.requestsPerSec;
  const results: BenchResult[] = measured.map((m) => ({
    name: m.name,
    method: m.method,
    path: m.path,
    connections: m.connections,
    durationS: m.durationS,
    requestsPerSec: m.requestsPerSec,
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    errors: m.errors,
    baselineRequestsPerSec: baselineRps,
    dbRoundTrips: m.dbRoundTrips,
  }));
  const report: BenchReport = { runner: runnerDescription, at: new Date().toISOString(), results };
  await mkdir(path.dirname(RESULTS_PATH), { recursive: true });
  await writeFile(RESULTS_PATH, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `\n${runnerDescription}; ${cli.connections} connections (scenario loops: at most ${SCENARIO_MAX_LOOPS}), ` +
      `${cli.durationS} s each; catalog of ${cli.products} products\n`,
  );
  printTable(results);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS_PATH)}`);

  const failed = results.filter((r) => r.errors > 0);
  if (failed.length) {
    console.error(`\n[bench] FAILED: requests failed on ${failed.map((r) => `${r.name} (${r.errors})`).join(', ')}`);
  }
  // Requests still in flight when the window closes are neither answers nor errors: an endpoint
  // slower than the window would otherwise pass with nothing measured.
  const silent = results.filter((r) => r.requestsPerSec === 0 && r.errors === 0);
  if (silent.length) {
    console.error(`\n[bench] FAILED: no request completed within ${cli.durationS} s on ${silent.map((r) => r.name).join(', ')}`);
  }
  if (failed.length || silent.length) return 1;
  return 0;
}

let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
let receiver: WebhookReceiver | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await runner?.close().catch((err) => console.error(`[bench] closing the worker failed: ${String(err)}`));
    stack?.stripe?.setWebhookUrl(undefined);
    await receiver?.close().catch((err) => console.error(`[bench] closing the webhook receiver failed: ${String(err)}`));
    await stack?.close().catch((err) => console.error(`[bench] closing the stack failed: ${String(err)}`));
  })();
  return cleaning;
}

// Ctrl-C: stop the load, let main() unwind (a start-up step in flight is
// awaited, so nothing it spawns is left behind), then close everything.
// A second signal exits at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      console.error('[bench] forced exit');
      process.exit(130);
    }
    interrupted = true;
    console.error(`[bench] ${signal}: stopping, closing the worker and the stack...`);
    current?.stop();
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  if (interrupted) exitCode = 130;
  else if (err instanceof UsageError) console.error(`[bench] ${err.message}\n${USAGE}`);
  else console.error(`[bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
