/**
 * `npm run bench [-- --connections N --duration S --warmup S --only a,b --products N --latency P]`
 * `npm run bench:round-trips` (= `npm run bench -- --round-trips-only`)
 *
 * Starts the local stack (embedded Postgres seeded with the demo accounts and
 * a demo catalog of 10,000 products (--products), or DATABASE_URL, seeded the
 * same way; Upstash-compatible endpoint over in-memory Redis, or REDIS_URL),
 * runs the bundled Worker on a direct workerd socket with every binding
 * (scripts/stack/workerd-runner.ts), and measures each endpoint of
 * scripts/bench-endpoints.ts with autocannon next to the baseline route, in
 * the same run (scripts/bench/measure.ts). Endpoints whose every request needs
 * untimed set-up (orders, Stripe webhooks) run as scenario loops instead
 * (scripts/bench/scenarios.ts). Writes bench/results.json and
 * bench/results.svg (with the production bundle's size) and prints a table.
 * Each probe request also counts the request's other network calls by kind
 * (scripts/bench/network-calls.ts). Exits non-zero when any request failed or
 * an endpoint exceeds its budget in bench/round-trip-budget.json or
 * bench/network-budget.json.
 *
 * `--latency <profile>` (a preset such as `tashkent`, or `postgres=45,redis=45`,
 * ms one way; scripts/bench/latency.ts) measures every endpoint at zero latency
 * and again with the stand-ins holding each message that long, in the same run.
 *
 * `--round-trips-only` (CI) sends a few plain requests per endpoint instead of
 * load, checks their round trips and network calls against the budgets and
 * writes nothing.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_ENDPOINTS, type BenchEndpoint } from './bench-endpoints';
import { type Budget, checkBudget, loadBudget, printBudget } from './bench/budget';
import { type BundleSize, formatBundle, measureBundle } from './bench/bundle';
import { applyLatency, describeLatency, type LatencyProfile, LatencySpecError, parseLatency } from './bench/latency';
import { Interrupted, type MeasureContext, type Measurement, measure, probeRoundTrips, resolveEndpoint, stopLoad } from './bench/measure';
import { checkNetworkBudget, loadNetworkBudget, type NetworkBudget, printNetworkBudget } from './bench/network-budget';
import { type BenchReport, type BenchResult, CHART_PATH, printTable, RESULTS_PATH, writeReport } from './bench/report';
import { SCENARIO_MAX_LOOPS } from './bench/scenarios';
import { closeSession, type Session, startSession, unavailableEndpoints } from './bench/session';
import { MAX_CATALOG_PRODUCTS } from './stack/demo-catalog';
import { network } from './stack/network';

interface Cli {
  connections: number;
  durationS: number;
  warmupS: number;
  only?: Set<string>;
  /** Products of the demo catalog seeded before measuring. */
  products: number;
  roundTripsOnly: boolean;
  /** Measure every endpoint again under this profile. */
  latency?: LatencyProfile;
}

const DEFAULT_PRODUCTS = 10_000;
/** The round-trip check needs in-stock products and a filled category tree, not a big catalog. */
const ROUND_TRIP_PRODUCTS = 300;
/** Plain requests per endpoint in the round-trip check (the most is kept). */
const ROUND_TRIP_REQUESTS = 3;
const USAGE =
  'usage: npm run bench -- [--connections N] [--duration S] [--warmup S] [--only name,name] [--products N] [--latency tashkent|postgres=45,redis=45,...] [--round-trips-only]';

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
        latency: { type: 'string' },
        'round-trips-only': { type: 'boolean' },
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
  const roundTripsOnly = values['round-trips-only'] ?? false;
  const warmupRaw = values.warmup;
  const productsRaw = values.products;
  const products = productsRaw === undefined ? (roundTripsOnly ? ROUND_TRIP_PRODUCTS : DEFAULT_PRODUCTS) : Number(productsRaw);
  if (productsRaw !== undefined && (!/^\d+$/.test(productsRaw) || products > MAX_CATALOG_PRODUCTS)) {
    throw new UsageError(`--products must be an integer from 0 to ${MAX_CATALOG_PRODUCTS} (got ${JSON.stringify(productsRaw)})`);
  }
  let latency: LatencyProfile | undefined;
  if (values.latency !== undefined) {
    if (roundTripsOnly) throw new UsageError('--latency measures load; --round-trips-only counts calls, which no delay changes');
    try {
      latency = parseLatency(values.latency);
    } catch (err) {
      if (err instanceof LatencySpecError) throw new UsageError(err.message);
      throw err;
    }
  }
  return {
    latency,
    connections: positive('connections', values.connections, 32, true),
    durationS: positive('duration', values.duration, 10, false),
    warmupS: warmupRaw === '0' ? 0 : positive('warmup', warmupRaw, 2, false),
    only,
    products,
    roundTripsOnly,
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

const log = (line: string) => console.error(`[bench] ${line}`);

/** Each endpoint, resolved on the running stack, in order; `run` measures or probes it. */
async function forEachEndpoint<T>(baseUrl: string, endpoints: BenchEndpoint[], run: (endpoint: BenchEndpoint) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const entry of endpoints) {
    const endpoint = await resolveEndpoint(baseUrl, entry);
    if (interrupted) throw new Interrupted();
    const headers = Object.entries(endpoint.headers ?? {}).filter(([name]) => !['content-type', 'authorization'].includes(name.toLowerCase()));
    log(`${endpoint.name}: ${endpoint.method} ${endpoint.path}${headers.map(([n, v]) => ` [${n}: ${v}]`).join('')}`);
    out.push(await run(endpoint));
  }
  return out;
}

interface Budgets {
  roundTrips: Budget;
  network: NetworkBudget;
}

function budgetVerdict(measured: Array<Pick<Measurement, 'name' | 'method' | 'path' | 'dbRoundTrips' | 'calls'>>, budgets: Budgets): boolean {
  // Every endpoint's name counts as known: with --only (or a skipped endpoint), the entries of those left out are not stale.
  const known = BENCH_ENDPOINTS.map((e) => e.name);
  const check = checkBudget(measured, budgets.roundTrips, known);
  console.log('\nround trips per request (bench/round-trip-budget.json)\n');
  printBudget(check);
  if (!check.ok) console.error('\n[bench] FAILED: round-trip budget (see the table above)');
  const calls = checkNetworkBudget(measured, budgets.network, known);
  console.log('\nother network calls per request, by kind (bench/network-budget.json; measured/budget where they differ)\n');
  printNetworkBudget(calls);
  if (!calls.ok) console.error('\n[bench] FAILED: network-call budget (see the table above)');
  return check.ok && calls.ok;
}

async function roundTripCheck(ctx: MeasureContext, endpoints: BenchEndpoint[], budgets: Budgets): Promise<number> {
  const measured = await forEachEndpoint(ctx.baseUrl, endpoints, async (endpoint) => ({
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    ...(await probeRoundTrips(ctx, endpoint, ROUND_TRIP_REQUESTS)),
  }));
  return budgetVerdict(measured, budgets) ? 0 : 1;
}

/** Every endpoint again with the profile's delays in the stand-ins; the delays are off again afterwards. */
async function measureUnderLatency(ctx: MeasureContext, endpoints: BenchEndpoint[], profile: LatencyProfile): Promise<Map<string, Measurement>> {
  log(`measuring again under the latency profile ${describeLatency(profile)}`);
  applyLatency(network, profile);
  try {
    const measured = await forEachEndpoint(ctx.baseUrl, endpoints, (endpoint) => measure(ctx, endpoint));
    return new Map(measured.map((m) => [m.name, m]));
  } finally {
    applyLatency(network, undefined);
  }
}

async function benchmark(ctx: MeasureContext, endpoints: BenchEndpoint[], budgets: Budgets, bundle: BundleSize, cli: Cli): Promise<number> {
  const load = { start: os.loadavg()[0]!, end: 0 };
  const machine = { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown' };
  const runner = `miniflare direct socket (workerd ${workerdVersion()}), node ${process.version}, ${machine.cpus} cores`;
  log(`${cli.connections} connections, ${cli.durationS} s per endpoint after ${cli.warmupS} s warm-up (load average ${load.start.toFixed(2)})`);
  const measured = await forEachEndpoint(ctx.baseUrl, endpoints, (endpoint) => measure(ctx, endpoint));
  const delayed = cli.latency ? await measureUnderLatency(ctx, endpoints, cli.latency) : undefined;
  load.end = os.loadavg()[0]!;

  const baselineRps = measured[0]!.requestsPerSec;
  const delayedBaselineRps = delayed?.get(measured[0]!.name)?.requestsPerSec ?? 0;
  const results: BenchResult[] = measured.map((m) => {
    const d = delayed?.get(m.name);
    return {
      ...m,
      baselineRequestsPerSec: baselineRps,
      dbRoundTripBudget: budgets.roundTrips.get(m.name),
      networkBudget: budgets.network.get(m.name),
      ...(d
        ? { underLatency: { requestsPerSec: d.requestsPerSec, baselineRequestsPerSec: delayedBaselineRps, p50Ms: d.p50Ms, p99Ms: d.p99Ms, errors: d.errors } }
        : {}),
    };
  });
  const report: BenchReport = {
    runner,
    at: new Date().toISOString(),
    machine: {
      platform: `${os.platform()} ${os.arch()}`,
      ...machine,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      workerd: workerdVersion(),
      loadAverage: { start: load.start, end: load.end },
    },
    settings: {
      durationS: cli.durationS,
      warmupS: cli.warmupS,
      connections: cli.connections,
      scenarioLoops: Math.min(cli.connections, SCENARIO_MAX_LOOPS),
      catalogProducts: cli.products,
      postgres: process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite',
      redis: session.stack?.redisBackend === 'redis' ? 'Redis (REDIS_URL)' : 'in-memory Redis',
      latency: cli.latency ? { profile: cli.latency.name, oneWayMs: cli.latency.oneWayMs } : null,
    },
    bundle,
    results,
  };
  await writeReport(report);

  console.log(
    `\n${runner}; ${cli.connections} connections (scenario loops: at most ${SCENARIO_MAX_LOOPS}), ` +
      `${cli.durationS} s each; catalog of ${cli.products} products; load average ${load.start.toFixed(2)} → ${load.end.toFixed(2)}\n` +
      `Worker bundle (${bundle.env}): ${formatBundle(bundle)}\n` +
      (cli.latency ? `latency profile: ${describeLatency(cli.latency)} (the second set of columns)\n` : ''),
  );
  printTable(results, cli.latency ? (cli.latency.name.includes('=') ? 'profile' : cli.latency.name) : undefined);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS_PATH)} and ${path.relative(process.cwd(), CHART_PATH)}`);

  const errorsOf = (r: BenchResult) => r.errors + (r.underLatency?.errors ?? 0);
  const failed = results.filter((r) => errorsOf(r) > 0);
  if (failed.length) console.error(`\n[bench] FAILED: requests failed on ${failed.map((r) => `${r.name} (${errorsOf(r)})`).join(', ')}`);
  // Requests still in flight when the window closes are neither answers nor errors: an endpoint
  // slower than the window would otherwise pass with nothing measured.
  const silent = results.filter((r) => [r, ...(r.underLatency ? [r.underLatency] : [])].some((x) => x.requestsPerSec === 0 && x.errors === 0));
  if (silent.length) console.error(`\n[bench] FAILED: no request completed within ${cli.durationS} s on ${silent.map((r) => r.name).join(', ')}`);
  const withinBudget = budgetVerdict(measured, budgets);
  return failed.length || silent.length || !withinBudget ? 1 : 0;
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const budgets: Budgets = { roundTrips: await loadBudget(), network: await loadNetworkBudget() };
  const baseline = BENCH_ENDPOINTS.filter((e) => e.baseline);
  if (baseline.length !== 1) throw new Error('scripts/bench-endpoints.ts must mark exactly one endpoint as baseline');
  const selected = [baseline[0]!, ...BENCH_ENDPOINTS.filter((e) => !e.baseline && (!cli.only || cli.only.has(e.name)))];

  // Before the stack starts: the bundle step would otherwise compete with the measurements for CPU.
  let bundle: BundleSize | undefined;
  if (!cli.roundTripsOnly) {
    log('measuring the production bundle (wrangler deploy --dry-run --env production)...');
    bundle = await measureBundle('production');
    log(`bundle: ${formatBundle(bundle)}`);
  }
  const baseUrl = await startSession(session, { products: cli.products, endpoints: selected, stopped: () => interrupted, log });
  const skipped = await unavailableEndpoints(baseUrl, selected);
  for (const name of skipped) {
    const e = selected.find((x) => x.name === name)!;
    log(`SKIPPED ${name}: this build has no ${e.requires!.method} ${e.requires!.path} route yet`);
  }
  const endpoints = selected.filter((e) => !skipped.has(e.name));
  const ctx: MeasureContext = {
    baseUrl,
    connections: cli.connections,
    durationS: cli.durationS,
    warmupS: cli.warmupS,
    stripe: session.stack?.stripe,
    receiver: session.receiver,
    stopped: () => interrupted,
  };
  return cli.roundTripsOnly ? roundTripCheck(ctx, endpoints, budgets) : benchmark(ctx, endpoints, budgets, bundle!, cli);
}

const session: Session = {};
let interrupted = false;
let cleaning: Promise<void> | undefined;

const cleanup = () => (cleaning ??= closeSession(session, log));

// Ctrl-C: stop the load, let main() unwind (a start-up step in flight is
// awaited, so nothing it spawns is left behind), then close everything.
// A second signal exits at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      log('forced exit');
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping, closing the worker and the stack...`);
    stopLoad();
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  if (interrupted) exitCode = 130;
  else if (err instanceof UsageError) log(`${err.message}\n${USAGE}`);
  else log(err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  await cleanup();
}
process.exit(exitCode);
