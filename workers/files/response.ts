import { type Download, etagOf, type FileRow } from './service';
import { isImage } from './sniff';

/** Public bytes never change under an id (the id names one upload), so caches may keep them. */
const PUBLIC_FILE_CACHE = 'public, max-age=31536000, immutable';
/** Private bytes: the browser may keep them but must ask again (a 304 is cheap); shared caches never store them. */
const PRIVATE_FILE_CACHE = 'private, no-cache';

/** `filename="…"` for old clients (ASCII only) and `filename*=` (RFC 8187) with the real name. */
function contentDisposition(file: FileRow): string {
  const kind = isImage(file.contentType) ? 'inline' : 'attachment';
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`;
}

function headersFor(file: FileRow): Record<string, string> {
  return {
    ETag: etagOf(file),
    'Cache-Control': file.visibility === 'public' ? PUBLIC_FILE_CACHE : PRIVATE_FILE_CACHE,
    'Accept-Ranges': 'bytes',
    Vary: 'Authorization',
    'X-Content-Type-Options': 'nosniff',
    // Even if a browser renders the file as a document (a PDF, a polyglot image), it runs nothing and loads nothing.
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
}

/** The download as an HTTP response: 200, 206 (a range) or 304. */
export function fileResponse(download: Download): Response {
  const { file } = download;
  const headers = new Headers(headersFor(file));
  if (download.notModified) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', file.contentType);
  headers.set('Content-Disposition', contentDisposition(file));
  const { range } = download;
  if (!range) {
    headers.set('Content-Length', String(file.size));
    return new Response(download.body, { status: 200, headers });
  }
  headers.set('Content-Length', String(range.length));
  headers.set('Content-Range', `bytes ${range.offset}-${range.offset + range.length - 1}/${file.size}`);
  return new Response(download.body, { status: 206, headers });
}
