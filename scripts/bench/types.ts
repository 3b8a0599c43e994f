/**
 * The shapes the benchmark modules pass to each other (an endpoint entry, the measuring
 * context, a measurement, the report). Kept apart so the modules that produce and consume
 * them import this file, not each other.
 */
import type { OneWayDelays } from './latency';
import type { StripeStandin } from '../stack/stripe-standin';
import type { BundleSize } from './bundle';
import type { NetworkCalls } from './network-calls';
import type { WebhookReceiver } from './webhook-receiver';

export type BenchMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BenchEndpoint {
  /** Unique, short; used by `--only`. */
  name: string;
  method: BenchMethod;
  /** Path and query, e.g. `/api/v1/products?limit=20`; a description of it when `resolve` computes it. */
  path: string;
  headers?: Record<string, string>;
  /**
   * For requests known only once the stack is up and seeded (a product's
   * slug, a category's id): called once before the probe; its `path` (and
   * `headers`, when given) replace the entry's for the probe, the load and
   * the report.
   */
  resolve?(baseUrl: string): Promise<{ path: string; headers?: Record<string, string>; body?: string }>;
  /**
   * Answered from the cache once a first request has filled it: the probe
   * follows a warm-up request, so its database round trips are a cache hit's.
   */
  cached?: boolean;
  body?: string;
  /** The reference route (exactly one entry). */
  baseline?: boolean;
  /**
   * The route (as /openapi.json lists it) this entry needs: a build without
   * it skips the entry with a warning instead of failing the run.
   */
  requires?: { method: BenchMethod; path: string };
  /**
   * For endpoints whose requests depend on earlier answers (a refresh token is
   * single-use): each connection gets its own state from `prepare`, sends
   * `body(state)` (to `path(state)`, when given) and keeps
   * `next(state, responseBody)` for its next request.
   */
  chain?: {
    prepare(baseUrl: string, count: number): Promise<string[]>;
    body(state: string): string;
    next(state: string, responseBody: string): string;
    path?(state: string): string;
  };
  /**
   * Requests that need untimed work before each one (an order needs a filled
   * cart): measured by this loop (scripts/bench/scenarios.ts) instead of
   * autocannon, probe included; `method` and `path` only describe it.
   */
  scenario?(ctx: ScenarioContext): Promise<ScenarioResult>;
}

export interface MeasureContext {
  baseUrl: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** The Stripe stand-in and the receiver its webhooks are pointed at (absent with a real Stripe key). */
  stripe?: StripeStandin;
  receiver?: WebhookReceiver;
  /** True once the run was interrupted: measuring stops at the next step. */
  stopped(): boolean;
}

/** One endpoint's figures (the baseline's requests/s is added by the caller). */
export interface Measurement {
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
  dbRoundTrips: number;
  /** Network calls per request by kind (network-calls.ts); absent from a scenario that does not count them. */
  calls?: NetworkCalls;
}

/** What a probe finds: one request's Postgres round trips and its other network calls. */
export interface Probed {
  dbRoundTrips: number;
  calls?: NetworkCalls;
}

/** The measuring context (--connections: scenarios cap it, see SCENARIO_MAX_LOOPS), plus: */
export interface ScenarioContext extends MeasureContext {
  /** The round-trip check: stop after the probe (no load), with as little set-up as the probe needs. */
  probeOnly?: boolean;
  log(line: string): void;
}

export interface ScenarioResult {
  /** Concurrent loops. */
  connections: number;
  /** Measured window, seconds (shorter than asked when a webhook run used up its events). */
  elapsedS: number;
  /** Timed requests that completed (failures included), in completion order. */
  latenciesMs: number[];
  errors: number;
  /** The probe's round trips (X-Db-Round-Trips) and network calls (countCalls around the probe request). */
  dbRoundTrips: number;
  calls?: NetworkCalls;
  /** What the path column shows, when it differs from the entry's. */
  path?: string;
}

export interface BenchResult extends Measurement {
  baselineRequestsPerSec: number;
  /** The endpoint's entry in bench/round-trip-budget.json, when it has one. */
  dbRoundTripBudget?: number;
  /** The endpoint's entry in bench/network-budget.json, when it has one. */
  networkBudget?: NetworkCalls;
  /** The same endpoint measured again under the run's latency profile (settings.latency). */
  underLatency?: LatencyFigures;
}

/** An endpoint's figures under a latency profile. */
export interface LatencyFigures {
  requestsPerSec: number;
  /** The baseline route's requests/s under the same profile. */
  baselineRequestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface BenchMachine {
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  workerd: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews the figures. */
  loadAverage: { start: number; end: number };
}

export interface BenchReport {
  /** One line: how the Worker ran and on what. */
  runner: string;
  at: string;
  machine: BenchMachine;
  settings: {
    /** Seconds of load per endpoint, after `warmupS` of unmeasured load. */
    durationS: number;
    warmupS: number;
    connections: number;
    /** Concurrent loops of the scenario endpoints (order-create, webhooks). */
    scenarioLoops: number;
    catalogProducts: number;
    postgres: string;
    redis: string;
    /**
     * `--latency`: every endpoint was measured at zero latency and again with
     * these one-way delays per kind (scripts/bench/latency.ts); null without.
     */
    latency: { profile: string; oneWayMs: OneWayDelays } | null;
  };
  /** The Worker bundle `wrangler deploy --dry-run` builds. */
  bundle: BundleSize;
  results: BenchResult[];
}
