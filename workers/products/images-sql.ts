import { type SQL, sql } from 'drizzle-orm';
import { productImages } from '../../shared/db/schema';
import { FILE_URL_PREFIX } from '../files/public';

/**
 * The value of `products.images`: the URLs of the attached files in their
 * order, then the entries of `base` that are not file URLs (external image
 * URLs a seller typed in). File URLs come only from attachments, so the list
 * can never name a file that is not attached (or someone else's).
 */
export function imagesWithAttachments(productId: string, base: SQL): SQL {
  return sql`coalesce((
      select jsonb_agg(${FILE_URL_PREFIX}::text || ${productImages.fileId}::text order by ${productImages.position})
      from ${productImages} where ${productImages.productId} = ${productId}), '[]'::jsonb)
    || coalesce((
      select jsonb_agg(t.entry order by t.n) from jsonb_array_elements(${base}) with ordinality as t(entry, n)
      where left(t.entry #>> '{}', ${FILE_URL_PREFIX.length}) <> ${FILE_URL_PREFIX}), '[]'::jsonb)`;
}
