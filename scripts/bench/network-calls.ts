/**
 * Network calls per request by kind, besides Postgres round trips (those are
 * X-Db-Round-Trips, budgeted in bench/round-trip-budget.json): new Postgres
 * connections (the WebSocket proxy's count), Redis calls and provider calls
 * (the stand-ins' counters, scripts/stack/network.ts) and Durable Object calls
 * (the Worker's X-Do-Calls header, with EXPOSE_DB_METRICS). The stand-ins run
 * in this process, so their counters are read around one probe request at a
 * time: after the work a request defers (cache writes in waitUntil) has
 * settled, and before the next one starts.
 */
import { network } from '../stack/network';
import { wsProxyConnections } from '../stack/ws-proxy';

export const NETWORK_KINDS = ['postgresConnections', 'redis', 'durableObjects', 'stripe', 'payme', 'click', 'email'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];
export type NetworkCalls = Record<NetworkKind, number>;

/** Short column titles for tables. */
export const KIND_TITLE: Record<NetworkKind, string> = {
  postgresConnections: 'pg conns',
  redis: 'redis',
  durableObjects: 'DO',
  stripe: 'stripe',
  payme: 'payme',
  click: 'click',
  email: 'email',
};

/** The counters stop moving for this long: the request's deferred work is done. */
const QUIET_MS = 150;
/** Never wait longer (something in the background keeps calling). */
const SETTLE_MAX_MS = 3_000;
/**
 * Quiet for longer than a queue batch may wait (max_batch_timeout, 5 s in
 * wrangler.toml): after heavy set-up, the consumers' late calls are over.
 */
export const QUEUE_QUIET_MS = 5_500;

export const noCalls = (): NetworkCalls => Object.fromEntries(NETWORK_KINDS.map((k) => [k, 0])) as NetworkCalls;

/** Plain requests per probe: a few, so that one of them runs clear of earlier work's late calls. */
export const PROBES = 3;

const stackCalls = (c: NetworkCalls) => NETWORK_KINDS.reduce((sum, k) => sum + (k === 'durableObjects' ? 0 : c[k]), 0);

/**
 * The probe that stands for the request, of two. The one with more Postgres
 * round trips (the costlier path, e.g. a cache miss: what the round-trip
 * budget keeps too); of two alike, the one with fewer calls on the stack's
 * counters. Those are the whole process's, and work queued earlier (a queue
 * batch waits up to 5 s, a Durable Object's alarm) can land in a probe's
 * window and only ever add to it: one clean probe of several is enough.
 */
export function pickProbe<P extends { dbRoundTrips: number; calls: NetworkCalls }>(a: P, b: P): P {
  if (a.dbRoundTrips !== b.dbRoundTrips) return a.dbRoundTrips > b.dbRoundTrips ? a : b;
  return stackCalls(b.calls) < stackCalls(a.calls) ? b : a;
}

/** The X-Db-Round-Trips header of an answer (0 without it). */
export function roundTripsOf(headers: Headers, what: string): number {
  const header = headers.get('X-Db-Round-Trips');
  const trips = header === null ? 0 : Number(header);
  if (!Number.isFinite(trips)) throw new Error(`${what}: bad X-Db-Round-Trips ${JSON.stringify(header)}`);
  return trips;
}

/** What the stack's counters say so far (Durable Object calls come from the answer instead). */
function reading(): Omit<NetworkCalls, 'durableObjects'> {
  const { redis, stripe, payme, click, email } = network.snapshot();
  return { postgresConnections: wsProxyConnections(), redis, stripe, payme, click, email };
}

/** Resolves once the counters have not moved for QUIET_MS (or after SETTLE_MAX_MS). */
export async function settled(quietMs = QUIET_MS, maxMs = SETTLE_MAX_MS): Promise<void> {
  const started = performance.now();
  let last = JSON.stringify(reading());
  let quietSince = started;
  while (performance.now() - quietSince < quietMs && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = JSON.stringify(reading());
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    }
  }
}

/**
 * Runs one request (its answer read in full) alone and counts the network
 * calls it caused, deferred work included. Nothing else may call the stack
 * meanwhile: the counters are the whole process's.
 */
export async function countCalls<T extends { headers: Headers }>(request: () => Promise<T>): Promise<{ answer: T; calls: NetworkCalls }> {
  await settled();
  const before = reading();
  const answer = await request();
  await settled();
  const after = reading();
  const header = answer.headers.get('X-Do-Calls');
  const durableObjects = header === null ? 0 : Number(header);
  if (!Number.isInteger(durableObjects)) throw new Error(`bad X-Do-Calls ${JSON.stringify(header)}`);
  const calls = { ...noCalls(), durableObjects };
  for (const kind of Object.keys(after) as Array<keyof typeof after>) calls[kind] = after[kind] - before[kind];
  return { answer, calls };
}
