/**
 * Product images for the demo catalog: one PNG per demo product, drawn
 * locally (demo-catalog/images.ts, no downloads) and stored the way an
 * upload is: the bytes in R2 under their content address (`objects/<sha256>`,
 * workers/files/objects.ts), a public `files` row owned by the product's
 * seller, a `product_images` row, and the file's URL first in
 * `products.images`. Product answers then carry `/api/v1/files/<id>`, which
 * the Worker serves from R2 like any upload.
 *
 * Idempotent: each image's file id is derived from its product, so a second
 * run finds the rows and adds nothing. A product that has images of its own
 * (attached through the API) is left alone, and so is one whose demo image
 * was removed (its file row stays, soft-deleted). Rows whose R2 object is
 * missing (the Worker's local storage was wiped while the database was kept)
 * get their object written again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, inArray, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import pg from 'pg';
import * as schema from '../../shared/db/schema';
import { objectKeyOf } from '../../workers/files/objects';
import { FILE_URL_PREFIX } from '../../workers/files/public';
import { demoDepartments } from './demo-catalog/categories';
import { demoProductImage } from './demo-catalog/images';
import { checkSeed, DEFAULT_CATALOG_SEED, demoProductGenerator, type DemoProduct } from './demo-catalog/products';
import { hashString, mulberry32, uuidV7At } from './demo-catalog/random';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BATCH = 500;
const CONTENT_TYPE = 'image/png';
const PUT_CONCURRENCY = 8;

/** What the seeder needs of an R2 bucket (the Workers R2Bucket, or miniflare's proxy of one). */
export interface ImageBucket {
  put(key: string, value: Uint8Array, options: { httpMetadata: { contentType: string }; sha256: string }): Promise<unknown>;
  list(options: { prefix: string; cursor?: string; limit?: number }): Promise<{ objects: Array<{ key: string }>; truncated: boolean; cursor?: string }>;
}

/** The id of a demo product's image file: the same for the same product, a UUIDv7 of the product's creation time. */
export const demoImageFileId = (product: Pick<DemoProduct, 'id' | 'createdAt'>): string =>
  uuidV7At(product.createdAt.getTime(), mulberry32(hashString(`image-file:${product.id}`)));

export interface DemoImage {
  fileId: string;
  bytes: Uint8Array;
  sha256: string;
  objectKey: string;
  filename: string;
}

/** A demo product's image: its bytes, their hash and R2 key, and its file id and name. */
export function demoImageOf(product: DemoProduct, departments = demoDepartments()): DemoImage {
  const bytes = demoProductImage({
    slug: product.slug,
    department: departments.get(product.categorySlug) ?? product.categorySlug,
    category: product.categorySlug,
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { fileId: demoImageFileId(product), bytes, sha256, objectKey: objectKeyOf(sha256), filename: `${product.slug}.png` };
}

async function listKeys(bucket: ImageBucket, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) keys.add(object.key);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

export interface SeedImagesOptions {
  /** The demo catalog's size (as given to seedDemoCatalog): its first `products` products get images. */
  products: number;
  seed?: number;
}

/**
 * Gives the demo catalog's products (those in the database) their generated
 * image. Returns how many images were attached and how many R2 objects written.
 */
export async function seedDemoImages(url: string, bucket: ImageBucket, options: SeedImagesOptions): Promise<{ images: number; objects: number }> {
  const seed = options.seed ?? DEFAULT_CATALOG_SEED;
  checkSeed(seed);
  const generate = demoProductGenerator(seed);
  const departments = demoDepartments();
  const stored = await listKeys(bucket, 'objects/');
  const store = async (image: DemoImage): Promise<number> => {
    if (stored.has(image.objectKey)) return 0;
    await bucket.put(image.objectKey, image.bytes, { httpMetadata: { contentType: CONTENT_TYPE }, sha256: image.sha256 });
    stored.add(image.objectKey);
    return 1;
  };
  /** Writes the missing objects, a few at a time (each write is a round trip to workerd); returns how many. */
  const storeAll = async (images: DemoImage[]) => {
    const unique = [...new Map(images.filter((i) => !stored.has(i.objectKey)).map((i) => [i.objectKey, i])).values()];
    let written = 0;
    for (let i = 0; i < unique.length; i += PUT_CONCURRENCY) {
      const counts = await Promise.all(unique.slice(i, i + PUT_CONCURRENCY).map(store));
      written += counts.reduce((a, b) => a + b, 0);
    }
    return written;
  };

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    let images = 0;
    let objects = 0;
    for (let start = 0; start < options.products; start += BATCH) {
      const batch = Array.from({ length: Math.min(options.products, start + BATCH) - start }, (_, i) => generate(start + i));
      const byFileId = new Map(batch.map((p) => [demoImageFileId(p), p]));
      // The batch's live products, whether each has images attached, and the demo image files that exist (even deleted ones).
      const products = await db
        .select({
          id: schema.products.id,
          sellerId: schema.products.sellerId,
          attached: sql<boolean>`exists (select 1 from ${schema.productImages} pi where pi.product_id = ${schema.products.id})`,
        })
        .from(schema.products)
        .where(and(inArray(schema.products.id, batch.map((p) => p.id)), isNull(schema.products.deletedAt)));
      const files = await db
        .select({ id: schema.files.id, objectKey: schema.files.objectKey, deletedAt: schema.files.deletedAt })
        .from(schema.files)
        .where(inArray(schema.files.id, [...byFileId.keys()]));
      const fileIds = new Set(files.map((f) => f.id));

      // Live demo image files whose object is gone: written again.
      const lost = files.filter((file) => !file.deletedAt && !stored.has(file.objectKey));
      objects += await storeAll(lost.map((file) => demoImageOf(byFileId.get(file.id)!, departments)));

      const byId = new Map(batch.map((p) => [p.id, p]));
      const rows = products
        .filter((row) => !row.attached && !fileIds.has(demoImageFileId(byId.get(row.id)!)))
        .map((row) => ({ row, image: demoImageOf(byId.get(row.id)!, departments) }));
      if (!rows.length) continue;
      // Objects first: rows never point at a missing object (an object without rows is harmless, and reused).
      objects += await storeAll(rows.map(({ image }) => image));
      await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(schema.files)
          .values(
            rows.map(({ row, image }) => ({
              id: image.fileId,
              ownerId: row.sellerId,
              objectKey: image.objectKey,
              filename: image.filename,
              contentType: CONTENT_TYPE,
              size: image.bytes.length,
              sha256: image.sha256,
              visibility: 'public' as const,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: schema.files.id });
        const added = new Set(inserted.map((r) => r.id));
        const attach = rows.filter(({ image }) => added.has(image.fileId));
        if (!attach.length) return;
        await tx
          .insert(schema.productImages)
          .values(attach.map(({ row, image }) => ({ productId: row.id, fileId: image.fileId, position: 0 })))
          .onConflictDoNothing();
        // The file URL first, then whatever external URLs the product listed (as images-sql.ts orders them).
        await tx.execute(sql`
          update ${schema.products} p set images = jsonb_build_array(${FILE_URL_PREFIX}::text || pi.file_id::text) || p.images
          from ${schema.productImages} pi
          where pi.product_id = p.id and ${inArray(sql`pi.file_id`, attach.map(({ image }) => image.fileId))}`);
        images += attach.length;
      });
    }
    return { images, objects };
  } finally {
    await client.end();
  }
}

/**
 * How many of the demo catalog's products still need their image: what
 * seedDemoImages would attach. A database-only check, to skip opening the
 * bucket when there is nothing to do.
 */
export async function countMissingDemoImages(url: string, options: SeedImagesOptions): Promise<number> {
  const seed = options.seed ?? DEFAULT_CATALOG_SEED;
  checkSeed(seed);
  const generate = demoProductGenerator(seed);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let missing = 0;
    for (let start = 0; start < options.products; start += BATCH) {
      const batch = Array.from({ length: Math.min(options.products, start + BATCH) - start }, (_, i) => generate(start + i));
      const { rows } = await client.query<{ missing: number }>(
        `select count(*)::int as missing from unnest($1::uuid[], $2::uuid[]) as d(product_id, file_id)
         join products p on p.id = d.product_id and p.deleted_at is null
         where not exists (select 1 from product_images pi where pi.product_id = p.id)
           and not exists (select 1 from files f where f.id = d.file_id)`,
        [batch.map((p) => p.id), batch.map((p) => demoImageFileId(p))],
      );
      missing += rows[0]!.missing;
    }
    return missing;
  } finally {
    await client.end();
  }
}

/** Where `npm run dev` keeps the Worker's local state (wrangler dev's `--persist-to`). */
export const DEV_PERSIST_DIR = path.join(ROOT, '.wrangler/state');

/** Whether wrangler dev's local storage under `persistTo` has the bucket (a wiped `.wrangler/` does not). */
export const persistedBucketExists = (persistTo: string, bucketName: string) => existsSync(path.join(persistTo, 'v3/r2', bucketName));

/**
 * The R2 bucket `wrangler dev --persist-to <persistTo>` serves as `binding`,
 * opened from Node while no Worker runs (wrangler keeps resources under
 * `<persistTo>/v3`). Close it before wrangler starts.
 */
export async function openPersistedBucket(
  persistTo: string,
  bucketName: string,
  binding = 'FILES',
): Promise<{ bucket: ImageBucket; close: () => Promise<void> }> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: 'demo-images',
      modules: true,
      script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
      r2Buckets: { [binding]: bucketName },
      resourcePersistencePath: path.join(persistTo, 'v3'),
    }),
  );
  try {
    const bucket: ImageBucket = await mf.getR2Bucket(binding);
    return { bucket, close: () => mf.dispose() };
  } catch (err) {
    await mf.dispose().catch(() => {});
    throw err;
  }
}
