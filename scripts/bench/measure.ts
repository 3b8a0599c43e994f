/**
 * How one endpoint of scripts/bench-endpoints.ts is measured: a probe (plain
 * requests that must answer 2xx, read for X-Db-Round-Trips and counted for
 * network calls), then autocannon load, or the endpoint's own scenario loop
 * (scripts/bench/scenarios.ts).
 */
import autocannon from 'autocannon';
import { countCalls, pickProbe, PROBES, roundTripsOf } from './network-calls';
import type { BenchEndpoint, MeasureContext, Measurement, Probed, ScenarioContext } from './types';

export type { MeasureContext, Measurement } from './types';

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

let current: autocannon.Instance | undefined;

/** Stops the autocannon run in flight (Ctrl-C). */
export function stopLoad(): void {
  current?.stop();
}

function checkStopped(ctx: MeasureContext): void {
  if (ctx.stopped()) throw new Interrupted();
}

/** The endpoint with the path (and headers) its `resolve` computes on the running stack. */
export async function resolveEndpoint(baseUrl: string, endpoint: BenchEndpoint): Promise<BenchEndpoint> {
  if (!endpoint.resolve) return endpoint;
  const resolved = await endpoint.resolve(baseUrl);
  return { ...endpoint, path: resolved.path, headers: resolved.headers ?? endpoint.headers, body: resolved.body ?? endpoint.body };
}

/**
 * The endpoint's X-Db-Round-Trips and network calls: those of the probe, of
 * `times`, with the most round trips (network-calls.ts, pickProbe). A cached endpoint's are taken after a warm-up
 * request has filled the cache: that is what the load measures. The cache is
 * written after the response is sent, so a request that still misses is
 * retried briefly; one that never hits reports the miss.
 */
export async function probe(baseUrl: string, endpoint: BenchEndpoint, times = PROBES): Promise<Probed> {
  if (endpoint.cached) await probeOnce(baseUrl, endpoint);
  let most: Required<Probed> | undefined;
  for (let i = 0; i < times; i++) {
    let probed = await probeOnce(baseUrl, endpoint);
    for (let attempt = 0; endpoint.cached && probed.dbRoundTrips > 0 && attempt < 4; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      probed = await probeOnce(baseUrl, endpoint);
    }
    most = most ? pickProbe(most, probed) : probed;
  }
  return most!;
}


/** One plain request, alone on the stack: the endpoint must answer 2xx. */
async function probeOnce(baseUrl: string, endpoint: BenchEndpoint): Promise<Required<Probed>> {
  const state = endpoint.chain ? ((await endpoint.chain.prepare(baseUrl, 1))[0] ?? '') : undefined;
  const chained = endpoint.chain && state !== undefined ? endpoint.chain.body(state) : undefined;
  const path = endpoint.chain?.path && state !== undefined ? endpoint.chain.path(state) : endpoint.path;
  const { answer: res, calls } = await countCalls(async () => {
    const answer = await fetch(baseUrl + path, {
      method: endpoint.method,
      headers: endpoint.headers,
      body: chained ?? endpoint.body,
    });
    return { status: answer.status, ok: answer.ok, headers: answer.headers, text: await answer.text() };
  });
  const text = res.text;
  if (!res.ok) {
    throw new Error(
      `probe ${endpoint.name} (${endpoint.method} ${endpoint.path}) answered ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  return { dbRoundTrips: roundTripsOf(res.headers, `probe ${endpoint.name}`), calls };
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

function scenarioContext(ctx: MeasureContext, endpoint: BenchEndpoint, probeOnly: boolean): ScenarioContext {
  return { ...ctx, probeOnly, log: (line) => console.error(`[bench] ${endpoint.name}: ${line}`) };
}

async function measureScenario(
  ctx: MeasureContext,
  endpoint: BenchEndpoint,
  scenario: NonNullable<BenchEndpoint['scenario']>,
): Promise<Measurement> {
  const r = await scenario(scenarioContext(ctx, endpoint, false));
  checkStopped(ctx);
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
    calls: r.calls,
  };
}

/** Probe, warm-up and load (or the endpoint's scenario loop). */
export async function measure(ctx: MeasureContext, endpoint: BenchEndpoint): Promise<Measurement> {
  if (endpoint.scenario) return measureScenario(ctx, endpoint, endpoint.scenario);
  const { dbRoundTrips, calls } = await probe(ctx.baseUrl, endpoint);
  checkStopped(ctx);
  if (ctx.warmupS > 0) await cannon(ctx.baseUrl, endpoint, ctx.connections, ctx.warmupS);
  checkStopped(ctx);
  const r = await cannon(ctx.baseUrl, endpoint, ctx.connections, ctx.durationS);
  checkStopped(ctx);
  return {
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    connections: ctx.connections,
    durationS: ctx.durationS,
    requestsPerSec: round(r.requests.average, 1),
    p50Ms: round(r.latency.p50),
    p99Ms: round(r.latency.p99),
    // autocannon's `errors` already counts timeouts (`timeouts` is a subset).
    errors: r.errors + r.non2xx,
    dbRoundTrips,
    calls,
  };
}

/** The round-trip check: a few plain requests (a scenario's own probe), no load. */
export async function probeRoundTrips(ctx: MeasureContext, endpoint: BenchEndpoint, times: number): Promise<Probed> {
  if (endpoint.scenario) {
    const { dbRoundTrips, calls } = await endpoint.scenario(scenarioContext(ctx, endpoint, true));
    return { dbRoundTrips, calls };
  }
  return probe(ctx.baseUrl, endpoint, times);
}
