import type { Context } from 'hono';
import { verifiedCaller } from './auth/middleware';
import { coloEnabled, freshnessOf, readFromColo } from './colo-cache';
import type { AppEnv, Deps } from './context';
import type { Config } from './env';
import { redisKey } from './redis';

/**
 * Read-through cache on Redis with versioned invalidation.
 *
 * Each cached value belongs to a *scope* (`catalog`, `categories`) whose
 * version a writer bumps after its transaction commits. A reader fetches the
 * scope's version and the entry in one MGET and uses the entry only if it was
 * stored under the current version; on a miss it reads the version first, then
 * the database, and stores the result under the version it read. A reader
 * racing a writer can therefore only ever store an entry that is already
 * outdated, never serve stale data after the write has answered.
 *
 * Redis failures degrade to the database; they never fail the request.
 *
 * Public reads may opt into the colo's tiers in front of Redis (isolate
 * memory, the Cache API; shared/colo-cache.ts), which answer without a network
 * call within the freshness contract: CATALOG_FRESH_SECONDS +
 * CATALOG_STALE_SECONDS at most behind a write (docs/catalog.md).
 */
export interface CachedBody {
  version: number;
  etag: string;
  body: string;
}

const TTL_SECONDS = 300;

export type CacheScope = 'catalog' | 'categories' | 'promotions';

const versionKey = (deps: Deps, scope: CacheScope) => redisKey(deps.config, 'cache', 'ver', scope);
const entryKey = (deps: Deps, scope: CacheScope, key: string) => redisKey(deps.config, 'cache', scope, key);

export async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

export interface CacheOptions {
  /** Skip reading the cache (the client sent `Cache-Control: no-cache`); the fresh value is still stored. */
  bypass?: boolean;
  /**
   * The caller may be answered from the colo's tiers (isolate memory, the Cache API) within the freshness
   * contract (shared/colo-cache.ts): public reads by anyone who cannot write the catalog. Off by default, so a
   * read that prices something (add-to-cart) or a writer's read is always current.
   */
  colo?: boolean;
}

export type CachedRead = { body: string; etag: string; hit: boolean };

/**
 * Returns the JSON body for `key`, from the cache when it is current, else
 * from `load` (whose result is then cached). `load` returning null (not found)
 * is not cached. With `colo`, the colo's tiers come first.
 */
export async function readThrough(
  deps: Deps,
  scope: CacheScope,
  key: string,
  load: () => Promise<unknown>,
  options: CacheOptions = {},
): Promise<CachedRead | null> {
  const freshness = freshnessOf(deps.config);
  if (!options.colo || options.bypass || !coloEnabled(freshness)) return readRedis(deps, scope, key, load, options);
  const read = await readFromColo(deps, entryKey(deps, scope, key), freshness, () => readRedis(deps, scope, key, load, {}));
  return read && { body: read.entry.body, etag: read.entry.etag, hit: read.hit };
}

/** The versioned Redis tier in front of `load` (Postgres). */
async function readRedis(
  deps: Deps,
  scope: CacheScope,
  key: string,
  load: () => Promise<unknown>,
  options: CacheOptions,
): Promise<CachedRead | null> {
  /** The scope's version when we read it; -1 when Redis could not say (then nothing is stored). */
  let version: number;
  try {
    const [ver, entry] = await deps.redis.mget<[number | null, CachedBody | null]>(
      versionKey(deps, scope),
      entryKey(deps, scope, key),
    );
    version = Number(ver ?? 0);
    if (!options.bypass && entry && entry.version === version) return { body: entry.body, etag: entry.etag, hit: true };
  } catch (err) {
    deps.logger.warn('cache unavailable; reading the database', { scope, error: String(err) });
    version = -1;
  }
  const value = await load();
  if (value === null) return null;
  const body = JSON.stringify(value);
  const etag = await etagOf(body);
  if (version >= 0) {
    const entry: CachedBody = { version, etag, body };
    deps.defer(() => deps.redis.set(entryKey(deps, scope, key), entry, { ex: TTL_SECONDS }));
  }
  return { body, etag, hit: false };
}

/** Makes every entry of the scopes outdated. Call after the write has committed. */
export async function invalidate(deps: Deps, ...scopes: CacheScope[]): Promise<void> {
  try {
    const pipeline = deps.redis.pipeline();
    for (const scope of scopes) pipeline.incr(versionKey(deps, scope));
    await pipeline.exec();
  } catch (err) {
    // Entries expire within TTL_SECONDS; until then readers may see the old value.
    deps.logger.error('cache invalidation failed', { scopes, error: String(err) });
  }
}

/**
 * Whether a read may be answered from the colo's tiers: yes unless a signed-in
 * catalog writer (seller, admin) asks — they read their own writes at once.
 * Routes without `auth` check a sent token here (a bad one reads as anonymous).
 */
export async function readsFromColo(c: Context<AppEnv>): Promise<boolean> {
  const caller = c.get('auth') ?? (c.req.header('authorization') === undefined ? undefined : await verifiedCaller(c));
  return caller?.role !== 'seller' && caller?.role !== 'admin';
}

/**
 * What browsers and CDNs may do with a public answer: no longer than the
 * freshness contract lets the colo serve it (docs/catalog.md).
 */
export const publicCacheControl = (config: Pick<Config, 'CATALOG_FRESH_SECONDS' | 'CATALOG_STALE_SECONDS'>) =>
  `public, max-age=${config.CATALOG_FRESH_SECONDS}, stale-while-revalidate=${config.CATALOG_STALE_SECONDS}`;

/**
 * Whether to skip the read cache: the client asked (`Cache-Control: no-cache`
 * or `Pragma: no-cache`) and is a signed-in writer of the catalog (seller or
 * admin) checking its own change. Anyone else is served from the cache, which
 * writes keep current anyway (versioned invalidation): otherwise one header
 * would let anyone send every request to the database.
 */
export function wantsFresh(c: Context<AppEnv>): boolean {
  const role = c.get('auth')?.role;
  if (role !== 'seller' && role !== 'admin') return false;
  return /no-cache/i.test(c.req.header('cache-control') ?? '') || /no-cache/i.test(c.req.header('pragma') ?? '');
}

/**
 * Answers a JSON body with its ETag: 304 when the client already has it.
 * Public bodies may be cached by browsers and CDNs briefly; private ones not.
 */
export function sendWithEtag(
  c: Context<AppEnv>,
  result: { body: string; etag: string },
  visibility: 'public' | 'private',
): Response {
  const headers: Record<string, string> = {
    ETag: result.etag,
    'Cache-Control': visibility === 'public' ? publicCacheControl(c.get('deps').config) : 'private, no-store',
    Vary: 'Authorization',
  };
  const sent = c.req.header('if-none-match');
  if (sent && sent.split(',').some((tag) => tag.trim().replace(/^W\//, '') === result.etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(result.body, 200, { ...headers, 'Content-Type': 'application/json' });
}
