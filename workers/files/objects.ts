import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/client';
import { files } from '../../shared/db/schema';
import { DependencyUnavailable } from '../../shared/errors';

/**
 * R2 objects are content-addressed (`objects/<sha256>`): identical bytes,
 * whoever uploads them, share one object, and it is deleted only when no live
 * file row points at it any more. Uploads and deletions of a key take the
 * same transaction-scoped advisory lock, so a deletion can never remove an
 * object that a concurrent upload has just decided to reuse.
 */

type Executor = Pick<Database, 'execute'>;

export const objectKeyOf = (sha256: string) => `objects/${sha256}`;

/** Takes transaction-scoped advisory locks by name, in sorted order so two callers never deadlock. */
export async function advisoryLocks(tx: Executor, names: string[]): Promise<void> {
  const unique = [...new Set(names)].sort();
  if (!unique.length) return;
  const locks = unique.map((name) => sql`pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
  await tx.execute(sql`select ${sql.join(locks, sql`, `)}`);
}

export const objectLock = (key: string) => `files:${key}`;

async function storage<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw new DependencyUnavailable('File storage', err);
  }
}

/** Writes the bytes unless the object already exists (then they are the same bytes: the key is their hash). */
export async function storeObject(bucket: R2Bucket, key: string, bytes: Uint8Array, contentType: string, sha256: string): Promise<void> {
  await storage(async () => {
    if (await bucket.head(key)) return;
    await bucket.put(key, bytes, { httpMetadata: { contentType }, sha256 });
  });
}

export const readObject = (bucket: R2Bucket, key: string, range?: { offset: number; length: number }) =>
  storage(() => bucket.get(key, range ? { range } : undefined));

/**
 * Soft-deletes the file rows and removes each R2 object no other live row
 * uses. Call inside the transaction that decided the files go; the object
 * removal is its last step, under the objects' locks.
 */
export async function releaseFiles(tx: Executor, bucket: R2Bucket, rows: Array<{ id: string; objectKey: string }>): Promise<void> {
  if (!rows.length) return;
  const keys = rows.map((r) => r.objectKey);
  const ids = rows.map((r) => r.id);
  await advisoryLocks(tx, keys.map(objectLock));
  // One statement: delete the rows, and ask which keys other live rows still use (the update is not visible to the select).
  const stillUsed = await tx.execute<{ object_key: string }>(sql`
    with gone as (update ${files} set deleted_at = now() where ${inArray(files.id, ids)} and deleted_at is null returning id)
    select distinct object_key from ${files}
    where ${inArray(files.objectKey, keys)} and deleted_at is null and not (${inArray(files.id, ids)})`);
  const used = new Set(stillUsed.rows.map((r) => r.object_key));
  const unused = [...new Set(keys)].filter((key) => !used.has(key));
  if (unused.length) await storage(() => bucket.delete(unused));
}
