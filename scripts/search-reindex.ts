/**
 * `npm run search:reindex`: rebuilds the Typesense index from Postgres without
 * interrupting search.
 *
 *   DATABASE_URL=postgres://… TYPESENSE_URL=https://… TYPESENSE_API_KEY=… \
 *   [TYPESENSE_COLLECTION=products] npm run search:reindex
 *
 * Builds a new collection `<collection>_<timestamp>` with every live, published
 * product (batches of 500), points the alias `<collection>` (what the Worker
 * queries) at it, re-syncs products edited while it ran, then drops the
 * collection the alias pointed at before. Search keeps answering from the old
 * collection until the alias moves. See docs/search.md.
 */
import { Presets, SingleBar } from 'cli-progress';
import { gte, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Client } from 'typesense';
import type { Database } from '../shared/db/client';
import * as schema from '../shared/db/schema';
import { listIndexableIds, loadSearchDocuments } from '../workers/search/documents';
import { createTypesenseClient, ensureCollection, TypesenseSearch } from '../workers/search/typesense';

const BATCH_SIZE = 500;
const COLLECTION_NAME = /^[A-Za-z0-9_-]+$/;

function fail(message: string): never {
  console.error(`search:reindex: ${message}`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL;
const typesenseUrl = process.env.TYPESENSE_URL;
const apiKey = process.env.TYPESENSE_API_KEY;
const alias = process.env.TYPESENSE_COLLECTION || 'products';

if (!typesenseUrl || !apiKey) {
  fail('Typesense is not configured: set TYPESENSE_URL and TYPESENSE_API_KEY (and TYPESENSE_COLLECTION, default "products").');
}
if (!/^https?:\/\//.test(typesenseUrl)) fail('TYPESENSE_URL must be an http(s) URL.');
if (!COLLECTION_NAME.test(alias)) fail('TYPESENSE_COLLECTION may only contain letters, digits, _ and -.');
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) fail('set DATABASE_URL to the postgres:// URL of the catalog database.');

/** The collection the alias points at now; null when there is no such alias. */
async function aliasTarget(client: Client, name: string): Promise<string | null> {
  const { aliases } = await client.aliases().retrieve();
  return aliases.find((a) => a.name === name)?.collection_name ?? null;
}

/** `products_20261128T053400123Z`: sortable, so the newest build is easy to spot. */
function timestamped(name: string): string {
  return `${name}_${new Date().toISOString().replace(/[-:.]/g, '')}`;
}

const client = createTypesenseClient({ url: typesenseUrl, apiKey }, { timeoutSeconds: 30, numRetries: 3 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
// loadSearchDocuments/listIndexableIds are typed for the Worker's Neon driver
// (NeonDatabase). They only call `db.execute(sql)` and read `.rows`, which the
// node-postgres drizzle instance has with the same shape (both drivers return
// pg's QueryResult), so the cast is safe.
const db = drizzle({ client: pool, schema }) as unknown as Database;

const target = timestamped(alias);
let created = false;
let built = false;
let droppedPlain = false;
let swapped = false;

try {
  // The database's clock, as updated_at is written with now(): edits from here on get re-synced at the end.
  const [{ startedAt }] = (await db.execute<{ startedAt: string }>(sql`select now()::text as "startedAt"`)).rows as [{ startedAt: string }];
  const previous = await aliasTarget(client, alias);
  // A plain collection named like the alias (from before aliases were used) has to make way for it.
  const plainCollection = previous === null && (await client.collections(alias).exists());

  await ensureCollection(client, target);
  created = true;
  const engine = new TypesenseSearch({ url: typesenseUrl, apiKey, collection: target }, client);

  const [{ total }] = (await db.execute<{ total: number }>(
    sql`select count(*)::int as total from ${schema.products} where deleted_at is null and status = 'published'`,
  )).rows as [{ total: number }];
  console.log(`Indexing ${total} products into ${target}${previous ? ` (alias ${alias} → ${previous} until done)` : ''}`);

  const bar = new SingleBar({ format: ' {bar} {value}/{total} products | {percentage}% | ETA {eta}s', hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  let indexed = 0;
  try {
    for (let after: string | null = null; ; ) {
      const ids = await listIndexableIds(db, after, BATCH_SIZE);
      if (!ids.length) break;
      const documents = await loadSearchDocuments(db, ids);
      await engine.upsert(documents);
      indexed += documents.length;
      after = ids[ids.length - 1] ?? null;
      // Products published during the run can push the count past the first estimate.
      if (indexed > bar.getTotal()) bar.setTotal(indexed);
      bar.update(indexed);
    }
  } finally {
    bar.stop();
  }
  built = true;

  if (plainCollection) {
    console.warn(`Dropping the plain collection ${alias} so the alias can take its name.`);
    await client.collections(alias).delete();
    droppedPlain = true;
  }
  await client.aliases().upsert(alias, { collection_name: target });
  swapped = true;
  console.log(`Alias ${alias} → ${target}`);

  // Edits made while the batches ran went to the previous collection through
  // the queue: bring them into the new one (upsert the live ones, remove the rest).
  const changed = await db
    .select({ id: schema.products.id })
    .from(schema.products)
    .where(gte(schema.products.updatedAt, sql`${startedAt}::timestamptz`));
  for (let i = 0; i < changed.length; i += BATCH_SIZE) {
    const ids = changed.slice(i, i + BATCH_SIZE).map((r) => r.id);
    const live = await loadSearchDocuments(db, ids);
    const liveIds = new Set(live.map((d) => d.id));
    await engine.upsert(live);
    await engine.remove(ids.filter((id) => !liveIds.has(id)));
  }
  if (changed.length) console.log(`Re-synced ${changed.length} products changed during the reindex`);

  if (previous && previous !== target) {
    await client.collections(previous).delete();
    console.log(`Dropped ${previous}`);
  }
  console.log(`Done: ${indexed} products indexed into ${target}.`);
} catch (err) {
  const message = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
  console.error(`search:reindex failed: ${message}`);
  if (droppedPlain && !swapped) {
    // Nothing is searchable under the alias name now: keep the complete new collection for the next run's alias.
    console.error(`The plain collection ${alias} was dropped but the alias was not created; ${target} is complete: run again, or create the alias ${alias} → ${target}.`);
  } else if (!created) {
    console.error('Nothing was changed in Typesense.');
  } else if (!swapped) {
    // The alias still points at the old collection: search is unaffected. Drop the new one.
    await client
      .collections(target)
      .delete()
      .catch(() => undefined);
    console.error(`Dropped ${built ? '' : 'the unfinished '}${target}; the alias ${alias} is unchanged.`);
  } else {
    console.error(`The alias ${alias} already points at ${target}; the previous collection (if any) was kept: drop it once search looks right.`);
  }
  process.exitCode = 1;
} finally {
  await pool.end();
}
