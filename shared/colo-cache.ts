import type { Config } from './env';
import type { Deps } from './context';

/**
 * The colo's tiers of the catalog cache: this isolate's memory, then the
 * colo's Cache API (`caches.default`), both in front of the versioned Redis
 * cache (shared/cache.ts), which stays the authority.
 *
 * Neither tier can learn of a write (invalidation bumps a version in Redis;
 * asking Redis is the network call these tiers exist to avoid), so they hold
 * an entry only for a bounded time — the freshness contract (docs/catalog.md):
 *
 * - an entry is *fresh* for CATALOG_FRESH_SECONDS after the read from Redis or
 *   Postgres that produced it began (`readAt`), and is served as is;
 * - then *stale* for CATALOG_STALE_SECONDS more: still served, while one
 *   background refresh per isolate replaces it (stale-while-revalidate);
 * - after that it is never served: the read waits for a load, which concurrent
 *   readers of the isolate share.
 *
 * `readAt` travels with the entry from tier to tier, so copying an entry from
 * the Cache API into memory never makes it younger. A write that committed at
 * time W is therefore reflected by every colo read from W + fresh + stale on.
 *
 * Why not `@unkey/cache` (its tiered, stale-while-revalidate design is the
 * model here): its stores invalidate by deleting keys (and purge through
 * Cloudflare's zone API, a network call needing a zone and an API token),
 * while our writes make a whole scope outdated at once through a version in
 * Redis, which no per-key store can express; its tiered store does not copy a
 * lower tier's hit into the upper ones (1.5.0 builds the copy callbacks and
 * never calls them), so a Redis hit would never reach memory; its namespaces
 * fix their stores at construction, whereas the tiers here depend on the
 * caller (a writer skips the colo); and it would bring three dependencies
 * (superjson, @unkey/error, @opentelemetry/api) for ~120 lines.
 */
export interface ColoEntry {
  body: string;
  etag: string;
  /** When the Redis/Postgres read that produced the body began (ms since the epoch). */
  readAt: number;
}

export interface Freshness {
  freshMs: number;
  staleMs: number;
}

export const freshnessOf = (config: Pick<Config, 'CATALOG_FRESH_SECONDS' | 'CATALOG_STALE_SECONDS'>): Freshness => ({
  freshMs: config.CATALOG_FRESH_SECONDS * 1000,
  staleMs: config.CATALOG_STALE_SECONDS * 1000,
});

/** Whether the colo tiers are on (both settings 0 turn them off). */
export const coloEnabled = (f: Freshness) => f.freshMs + f.staleMs > 0;

/**
 * Bounded: a listing's key space (filters × cursors) is open, an isolate's
 * memory (128 MB) is not. A listing page is tens of kilobytes, so the bound is
 * on the bodies' total length as well as on their number.
 */
const MAX_MEMORY_ENTRIES = 2_000;
const MAX_MEMORY_CHARS = 8 * 1024 * 1024;

/*
 * Module scope on purpose: this is the isolate's memory tier, shared by the
 * isolate's requests. It is isolate-safe because it holds only immutable
 * strings and numbers (no I/O objects), keys carry the deployment's Redis key
 * (prefix included, so configurations never mix), and every entry dies by its
 * own `readAt`, never by a request's lifetime.
 */
const memory = new Map<string, ColoEntry>();
let heldChars = 0;
/** Loads in flight (a miss, or a stale entry's refresh): concurrent readers of the isolate share one, so a refresh runs once. */
const inflight = new Map<string, Promise<ColoEntry | null>>();

function forget(id: string): void {
  const held = memory.get(id);
  if (!held) return;
  heldChars -= held.body.length;
  memory.delete(id);
}

/** Holds the entry (unless a newer one is held), then evicts the oldest held while over the bounds. */
function remember(id: string, entry: ColoEntry): void {
  const held = memory.get(id);
  if (held && held.readAt > entry.readAt) return;
  forget(id);
  memory.set(id, entry);
  heldChars += entry.body.length;
  while (memory.size > MAX_MEMORY_ENTRIES || (heldChars > MAX_MEMORY_CHARS && memory.size > 1)) {
    const oldest = memory.keys().next().value;
    if (oldest === undefined) break;
    forget(oldest);
  }
}

const COLO_CACHE_BASE = 'https://colo-cache.ultramarket.internal/v1/';

async function coloRequest(id: string): Promise<Request> {
  // Keys hold whole normalised queries: a digest keeps the URL short and opaque.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return new Request(`${COLO_CACHE_BASE}${hex}`);
}

async function fromColoCache(deps: Deps, id: string): Promise<ColoEntry | undefined> {
  try {
    const res = await caches.default.match(await coloRequest(id));
    return res ? ((await res.json()) as ColoEntry) : undefined;
  } catch (err) {
    deps.logger.warn('colo cache unavailable', { error: String(err) });
    return undefined;
  }
}

async function toColoCache(id: string, entry: ColoEntry, f: Freshness): Promise<void> {
  // Rounded up: the Cache API may keep it a little longer, but `serve` judges every entry by its `readAt`.
  const ttl = Math.ceil((entry.readAt + f.freshMs + f.staleMs - Date.now()) / 1000);
  if (ttl < 1) return;
  const res = new Response(JSON.stringify(entry), { headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${ttl}` } });
  await caches.default.put(await coloRequest(id), res);
}

/** Reads the entry from the next tier (Redis, then Postgres); `null` for "not found" (never held). */
export type Origin = () => Promise<{ body: string; etag: string } | null>;

/**
 * Loads from `origin` and holds the result in both tiers. A reader waiting for
 * it leaves the Cache API write to after its response; a background refresh
 * (itself deferred) includes it, so `waitUntil` covers it.
 */
async function loadAndHold(deps: Deps, id: string, f: Freshness, origin: Origin, background: boolean): Promise<ColoEntry | null> {
  const readAt = Date.now();
  const loaded = await origin();
  if (!loaded) {
    forget(id);
    return null;
  }
  const entry: ColoEntry = { ...loaded, readAt };
  remember(id, entry);
  const store = () =>
    toColoCache(id, entry, f).catch((err: unknown) => deps.logger.warn('colo cache write failed', { error: String(err) }));
  if (background) await store();
  else deps.defer(store);
  return entry;
}

/** Starts (or joins) the one load of `id` in this isolate. */
function loadOnce(deps: Deps, id: string, f: Freshness, origin: Origin, background = false): Promise<ColoEntry | null> {
  let pending = inflight.get(id);
  if (!pending) {
    pending = loadAndHold(deps, id, f, origin, background).finally(() => inflight.delete(id));
    inflight.set(id, pending);
  }
  return pending;
}

/** Serves a held entry: fresh as is, stale with one background refresh; undefined when it may not be served. */
function serve(deps: Deps, id: string, entry: ColoEntry | undefined, f: Freshness, origin: Origin): ColoEntry | undefined {
  if (!entry) return undefined;
  const age = Date.now() - entry.readAt;
  if (age >= f.freshMs + f.staleMs) return undefined;
  if (age >= f.freshMs && !inflight.has(id)) {
    const refresh = loadOnce(deps, id, f, origin, true);
    deps.defer(() => refresh);
  }
  return entry;
}

/**
 * The entry `id` from memory, else the colo's Cache API, else `origin`
 * (whose result both tiers then hold). `hit` is false when `origin` ran.
 */
export async function readFromColo(
  deps: Deps,
  id: string,
  f: Freshness,
  origin: Origin,
): Promise<{ entry: ColoEntry; hit: boolean } | null> {
  const held = serve(deps, id, memory.get(id), f, origin);
  if (held) return { entry: held, hit: true };
  const shared = serve(deps, id, await fromColoCache(deps, id), f, origin);
  if (shared) {
    remember(id, shared);
    return { entry: shared, hit: true };
  }
  const entry = await loadOnce(deps, id, f, origin);
  return entry ? { entry, hit: false } : null;
}

/** Empties this isolate's memory tier: what a new isolate of the same colo starts with (tests use it). */
export function forgetIsolateMemory(): void {
  memory.clear();
  heldChars = 0;
}
