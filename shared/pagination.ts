import { z } from '@hono/zod-openapi';
import { ValidationFailed } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` for every list route. */
export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size (1-${MAX_PAGE_SIZE})`, example: DEFAULT_PAGE_SIZE }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Opaque cursor from the previous page’s nextCursor' }),
});

export type PageQuery = z.infer<typeof PageQuerySchema>;

/** `{data, nextCursor}`: nextCursor is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as ?cursor= for the next page; null at the end' }),
  });
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(b64: string): string {
  const padded = b64.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (b64.length % 4)) % 4);
  return new TextDecoder().decode(Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0)));
}

/**
 * Cursors are opaque to clients: the position of the last row seen (its sort
 * key and id, for keyset pagination), base64url-encoded JSON.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return toBase64Url(JSON.stringify(position));
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(fromBase64Url(cursor)));
  } catch {
    throw new ValidationFailed([{ path: 'cursor', message: 'Invalid cursor' }]);
  }
}

/**
 * Given `limit + 1` rows fetched in order, returns the page and the cursor of
 * the next one (fetching one extra row tells whether there is a next page
 * without a COUNT query).
 */
export function paginate<Row>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => Record<string, string | number>,
): { data: Row[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
