import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { files, returns } from '../../shared/db/schema';
import { AppError, Conflict, NotFound, QuotaExceeded, RangeNotSatisfiable } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { fileTooLarge } from '../../shared/middleware/body';
import { decodeCursor, type PageQuery, paginate } from '../../shared/pagination';
import { advisoryLocks, objectKeyOf, objectLock, readObject, releaseFiles, storeObject } from './objects';
import { type ByteRange, parseRange } from './range';
import { fileUrl, type FileMeta, type UploadForm } from './schemas';
import { ALLOWED_TYPES, sniffContentType } from './sniff';

export type FileRow = typeof files.$inferSelect;

const MAX_FILENAME_LENGTH = 200;

export const toFileMeta = (row: FileRow): FileMeta => ({
  id: row.id,
  filename: row.filename,
  contentType: row.contentType,
  size: row.size,
  sha256: row.sha256,
  visibility: row.visibility,
  url: fileUrl(row.id),
  createdAt: row.createdAt.toISOString(),
});

/** The last path segment, without control or bidi-override characters, at most MAX_FILENAME_LENGTH characters. */
export function sanitizeFilename(name: string): string {
  // Browsers send a `"` in a multipart filename as %22 (WHATWG form encoding); the parser leaves it encoded.
  const base = name.replaceAll('%22', '"').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim();
  const short = [...clean].slice(0, MAX_FILENAME_LENGTH).join('').trim();
  return short && short !== '.' && short !== '..' ? short : 'file';
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const isAdmin = (principal: Principal | undefined) => principal?.role === 'admin';

/**
 * Stores an upload. The type is sniffed from the bytes (the client's claim is
 * ignored); the quota check and the insert run under a per-owner lock, so two
 * concurrent uploads cannot both squeeze under the quota.
 */
export async function uploadFile(deps: Deps, auth: Principal, form: UploadForm): Promise<FileMeta> {
  const { FILE_MAX_BYTES: maxBytes, FILE_QUOTA_BYTES: quotaBytes } = deps.config;
  if (form.file.size > maxBytes) throw fileTooLarge(maxBytes);
  const bytes = new Uint8Array(await form.file.arrayBuffer());
  const contentType = sniffContentType(bytes);
  if (!contentType) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `The file's content is not one of ${ALLOWED_TYPES.join(', ')} (its bytes are checked, not its name).`, {
      extensions: { accepted: ALLOWED_TYPES, declared: form.file.type || null },
    });
  }
  const sha256 = await sha256Hex(bytes);
  const objectKey = objectKeyOf(sha256);
  const id = newId();
  const filename = sanitizeFilename(form.file.name);
  return deps.db.transaction(async (tx) => {
    // The owner's lock makes the quota check race-free; the object's keeps a concurrent delete from removing it.
    await advisoryLocks(tx, [`files:owner:${auth.userId}`, objectLock(objectKey)]);
    // Insert only while the owner's live files plus this one fit the quota: one statement, under the owner's lock.
    const inserted = await tx.execute<{ created_at: string }>(sql`
      insert into ${files} (id, owner_id, object_key, filename, content_type, size, sha256, visibility)
      select ${id}, ${auth.userId}, ${objectKey}, ${filename}, ${contentType}, ${bytes.length}, ${sha256}, ${form.visibility}
      where (select coalesce(sum(size), 0) from ${files} where owner_id = ${auth.userId} and deleted_at is null) + ${bytes.length} <= ${quotaBytes}
      returning to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`);
    const createdAt = inserted.rows[0]?.created_at;
    if (!createdAt) {
      const [usage] = await tx
        .select({ used: sql<string>`coalesce(sum(${files.size}), 0)` })
        .from(files)
        .where(and(eq(files.ownerId, auth.userId), isNull(files.deletedAt)));
      throw new QuotaExceeded(quotaBytes, Number(usage?.used ?? 0), bytes.length);
    }
    // Inside the transaction: if storing fails, the row is rolled back with it.
    await storeObject(deps.env.FILES, objectKey, bytes, contentType, sha256);
    return { id, filename, contentType, size: bytes.length, sha256, visibility: form.visibility, url: fileUrl(id), createdAt };
  });
}

export async function listFiles(deps: Deps, auth: Principal, query: PageQuery) {
  const after = decodeCursor(query.cursor, z.strictObject({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(files)
    .where(and(eq(files.ownerId, auth.userId), isNull(files.deletedAt), after ? lt(files.id, after.id) : undefined))
    .orderBy(desc(files.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map(toFileMeta), nextCursor: page.nextCursor };
}

/** A live file the caller may read: public ones to anyone, private ones to their owner and admins; else 404. */
async function visibleFile(deps: Deps, principal: Principal | undefined, id: string): Promise<FileRow> {
  const [row] = await deps.db.select().from(files).where(and(eq(files.id, id), isNull(files.deletedAt)));
  const allowed = row && (row.visibility === 'public' || row.ownerId === principal?.userId || isAdmin(principal));
  if (!row || !(allowed || (principal && (await isReturnPhotoFor(deps, id, principal.userId))))) throw new NotFound('file', id);
  return row;
}

/** A buyer's photo of a return is shown to the seller who handles that return (docs/returns.md). */
async function isReturnPhotoFor(deps: Deps, fileId: string, sellerId: string): Promise<boolean> {
  const rows = await deps.db.execute(sql`select 1 from ${returns} where seller_id = ${sellerId}::uuid and ${fileId}::uuid = any(photo_file_ids) limit 1`);
  return rows.rows.length > 0;
}

export const etagOf = (row: FileRow) => `"${row.sha256}"`;

export interface DownloadRequest {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
}

export type Download =
  | { file: FileRow; notModified: true }
  | { file: FileRow; notModified: false; body: ReadableStream; range?: ByteRange };

const matchesEtag = (header: string, etag: string) =>
  header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

/** What GET /files/:id sends: 304 when the client has it, else the bytes (or the asked range). */
export async function downloadFile(deps: Deps, principal: Principal | undefined, id: string, request: DownloadRequest): Promise<Download> {
  const file = await visibleFile(deps, principal, id);
  const etag = etagOf(file);
  if (request.ifNoneMatch && matchesEtag(request.ifNoneMatch, etag)) return { file, notModified: true };
  // If-Range: a range only applies to the representation the client already holds part of.
  const useRange = !request.ifRange || request.ifRange.trim() === etag;
  const range = useRange ? parseRange(request.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    throw new RangeNotSatisfiable(file.size);
  }
  const object = await readObject(deps.env.FILES, file.objectKey, range);
  if (!object) {
    deps.logger.error('file row without its R2 object', { fileId: id, objectKey: file.objectKey });
    throw new NotFound('file', id);
  }
  return { file, notModified: false, body: object.body, range };
}

/**
 * Owner or admin. A file that is some live product's image is refused (409):
 * detach it from the product, which also deletes it when nothing else uses it.
 */
export async function deleteFile(deps: Deps, auth: Principal, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: files.id,
        ownerId: files.ownerId,
        objectKey: files.objectKey,
        // Spelled out: in a single-table select drizzle leaves column names unqualified, which the subquery would misread.
        productId: sql<string | null>`(select pi.product_id from product_images pi join products p on p.id = pi.product_id
          where pi.file_id = files.id and p.deleted_at is null limit 1)`,
      })
      .from(files)
      .where(and(eq(files.id, id), isNull(files.deletedAt)))
      .for('update', { of: files });
    if (!row || (row.ownerId !== auth.userId && !isAdmin(auth))) throw new NotFound('file', id);
    if (row.productId) {
      throw new Conflict('This file is a product image; remove it from the product instead.', { productId: row.productId });
    }
    await releaseFiles(tx, deps.env.FILES, [row]);
  });
}
