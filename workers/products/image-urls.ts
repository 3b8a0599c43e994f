import { FILE_URL_PREFIX } from '../files/public';

/** Longest image URL a product may list. */
export const MAX_IMAGE_URL_LENGTH = 500;

const FILE_URL = new RegExp(`^${FILE_URL_PREFIX.replaceAll('/', '\\/')}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, 'i');

/** Whether an `images` entry names one of this API's uploaded files (`/api/v1/files/{id}`). */
export const isFileUrl = (entry: string) => FILE_URL.test(entry);

/**
 * Why an entry of a product's `images` is refused, or null. The one rule for
 * create and update alike: an absolute `https://` URL (no credentials, no
 * control characters, no spaces) that a storefront can put in `<img src>`, or
 * one of this API's file URLs. A file URL in the body never publishes a file:
 * the stored list takes file URLs only from the images attached with
 * `POST /products/{id}/images` (see images-sql.ts), so naming someone else's
 * private file shows nothing. Everything else — `javascript:`, `data:`,
 * `http:`, relative paths — is refused.
 */
export function imageUrlProblem(entry: string): string | null {
  if (isFileUrl(entry)) return null;
  if (/[\s\p{Cc}\p{Cf}]/u.test(entry)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `must be an https:// URL or ${FILE_URL_PREFIX}{fileId}`;
  }
  if (url.protocol !== 'https:') return `must be an https:// URL or ${FILE_URL_PREFIX}{fileId}`;
  if (url.username || url.password) return 'must not contain credentials';
  return null;
}

/** The entries a new product stores: file URLs come only from attachments, and a new product has none. */
export const externalImages = (images: string[]) => images.filter((entry) => !isFileUrl(entry));
