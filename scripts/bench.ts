/**
 * `npm run bench [-- --connections N --duration S --warmup S --only a,b]`
 *
 * Starts the local stack (embedded Postgres seeded with demo data, or
 * DATABASE_URL; Upstash-compatible endpoint over in-memory Redis, or
 * REDIS_URL), runs the bundled Worker on a direct workerd socket with every
 * binding (scripts/stack/workerd-runner.ts), and measures each endpoint of
 * scripts/bench-endpoints.ts with autocannon next to the baseline route, in
 * the same run. Writes bench/results.json and prints a table; exits non-zero
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
import { BENCH_ENDPOINTS, type BenchEndpoint } from './bench-endpoints';
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
}

const USAGE = 'usage: npm run bench -- [--connections N] [--duration S] [--warmup S] [--only name,name]';

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
  return {
    connections: positive('connections', values.connections, 32, true),
    durationS: positive('duration', values.duration, 10, false),
    warmupS: warmupRaw === '0' ? 0 : positive('warmup', warmupRaw, 2, false),
    only,
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

/** One plain request: the endpoint must answer 2xx; returns its X-Db-Round-Trips. */
async function probe(baseUrl: string, endpoint: BenchEndpoint): Promise<number> {
  const chained = endpoint.chain ? endpoint.chain.body((await endpoint.chain.prepare(baseUrl, 1))[0] ?? '') : undefined;
  const res = await fetch(baseUrl + endpoint.path, {
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
  type Ctx = { state?: string };
  return [
    {
      method: endpoint.method,
      path: endpoint.path,
      headers: endpoint.headers,
      setupRequest: (req: autocannon.Request, context: Ctx) => {
        context.state = pool.pop();
        return { ...req, body: chain.body(context.state ?? '') };
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

async function measure(
  baseUrl: string,
  endpoint: BenchEndpoint,
  cli: Cli,
): Promise<Omit<BenchResult, 'baselineRequestsPerSec'>> {
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
  log('starting the local stack...');
  stack = await startStack({
    seed: true,
    redisUrl: process.env.REDIS_URL,
    databaseUrl: process.env.DATABASE_URL,
    log: (line) => log(line),
  });
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
    },
  });
  checkInterrupted();
  log(`worker at ${runner.url}`);

  const runnerDescription =
    `miniflare direct socket (workerd ${workerdVersion()}), node ${process.version}, ` +
    `${os.availableParallelism()} cores`;
  log(`${cli.connections} connections, ${cli.durationS} s per endpoint after ${cli.warmupS} s warm-up`);

  const measured: Array<Omit<BenchResult, 'baselineRequestsPerSec'>> = [];
  for (const endpoint of [baseline[0]!, ...endpoints]) {
    log(`${endpoint.name}: ${endpoint.method} ${endpoint.path}`);
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

  console.log(`\n${runnerDescription}; ${cli.connections} connections, ${cli.durationS} s each\n`);
  printTable(results);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS_PATH)}`);

  const failed = results.filter((r) => r.errors > 0);
  if (failed.length) {
    console.error(`\n[bench] FAILED: requests failed on ${failed.map((r) => `${r.name} (${r.errors})`).join(', ')}`);
    return 1;
  }
  return 0;
}

let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await runner?.close().catch((err) => console.error(`[bench] closing the worker failed: ${String(err)}`));
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
