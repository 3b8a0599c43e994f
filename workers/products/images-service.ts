import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { files, productImages, products } from '../../shared/db/schema';
import { type FieldError, NotFound, ValidationFailed } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { isImage, releaseFiles } from '../files/public';
import { imagesWithAttachments } from './images-sql';
import type { Product } from './schemas';
import { afterWrite, assertCanSell, loadAfterWrite, lockOwned, PRODUCT_CHANGED } from './service';

/** Same cap as `images` in ProductInput. */
export const MAX_PRODUCT_IMAGES = 20;

/** Given the attached file ids in order, the new order (it may throw, e.g. 404 for an unknown image). */
type Plan = (current: string[]) => string[];

/**
 * Sets a product's attached images. New files must be live images the caller
 * owns (an admin may attach anyone's); attaching publishes them, since a
 * product image is shown to shoppers. Files that leave the product are
 * deleted (and their objects removed) unless another product still uses
 * them. `products.images`, the rows and the event change in one transaction.
 */
async function setImages(deps: Deps, auth: Principal, productId: string, requested: string[], plan: Plan): Promise<Product> {
  assertCanSell(auth);
  const events = await deps.db.transaction(async (tx) => {
    await lockOwned(tx, auth, productId);
    const rows = await tx
      .select({
        id: files.id,
        ownerId: files.ownerId,
        contentType: files.contentType,
        objectKey: files.objectKey,
        deletedAt: files.deletedAt,
        position: productImages.position,
      })
      .from(files)
      .leftJoin(productImages, and(eq(productImages.fileId, files.id), eq(productImages.productId, productId)))
      .where(or(sql`${productImages.productId} is not null`, requested.length ? inArray(files.id, requested) : sql`false`));
    const current = rows
      .filter((r) => r.position !== null)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((r) => r.id);
    const next = plan(current);
    const added = next.filter((id) => !current.includes(id));
    const problems: FieldError[] = [];
    for (const id of added) {
      const row = rows.find((r) => r.id === id);
      const path = `fileIds.${requested.indexOf(id)}`;
      if (!row || row.deletedAt || (row.ownerId !== auth.userId && auth.role !== 'admin')) problems.push({ path, message: 'no such file' });
      else if (!isImage(row.contentType)) problems.push({ path, message: `is ${row.contentType}, not an image` });
    }
    if (next.length > MAX_PRODUCT_IMAGES) problems.push({ path: 'fileIds', message: `a product has at most ${MAX_PRODUCT_IMAGES} images` });
    if (problems.length) throw new ValidationFailed(problems);

    await tx.delete(productImages).where(eq(productImages.productId, productId));
    if (next.length) await tx.insert(productImages).values(next.map((fileId, position) => ({ productId, fileId, position })));
    if (added.length) await tx.update(files).set({ visibility: 'public' }).where(inArray(files.id, added));
    await tx
      .update(products)
      .set({ images: imagesWithAttachments(productId, sql`${products.images}`), updatedAt: sql`now()` })
      .where(eq(products.id, productId));

    const removed = current.filter((id) => !next.includes(id));
    if (removed.length) {
      const elsewhere = await tx
        .select({ fileId: productImages.fileId })
        .from(productImages)
        .where(inArray(productImages.fileId, removed));
      const keep = new Set(elsewhere.map((r) => r.fileId));
      const unused = rows.filter((r) => removed.includes(r.id) && !keep.has(r.id) && !r.deletedAt);
      await releaseFiles(tx, deps.env.FILES, unused);
    }
    return recordEvents(tx, [{ type: PRODUCT_CHANGED, payload: { productId, change: 'updated' } }]);
  });
  await afterWrite(deps, events);
  return loadAfterWrite(deps, productId);
}

/** Appends images after the current ones; ids already attached keep their place (a retry is harmless). */
export const attachImages = (deps: Deps, auth: Principal, productId: string, fileIds: string[]) =>
  setImages(deps, auth, productId, fileIds, (current) => [...current, ...fileIds.filter((id) => !current.includes(id))]);

/** Sets the images to exactly these, in this order: reorders, adds, and removes the rest. */
export const replaceImages = (deps: Deps, auth: Principal, productId: string, fileIds: string[]) =>
  setImages(deps, auth, productId, fileIds, () => fileIds);

/** Removes one image; the file and its object go too when nothing else uses them. */
export async function detachImage(deps: Deps, auth: Principal, productId: string, fileId: string): Promise<void> {
  await setImages(deps, auth, productId, [], (current) => {
    if (!current.includes(fileId)) throw new NotFound('product image', fileId);
    return current.filter((id) => id !== fileId);
  });
}
