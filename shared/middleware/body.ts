import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { loadConfig } from '../env';
import { MalformedJson, PayloadTooLarge, UnsupportedMediaType } from '../errors';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Rejects bodies over MAX_BODY_BYTES with 413, whether or not Content-Length tells the truth. */
export const bodyLimit = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const maxSize = loadConfig(c.env).MAX_BODY_BYTES;
    return honoBodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLarge(maxSize);
      },
    })(c, next);
  });

function hasBody(request: Request): boolean {
  // Content-Length is not always set on requests built in-process, so ask the stream.
  return request.body !== null && request.headers.get('content-length') !== '0';
}

/**
 * Bodies must be JSON unless a route says otherwise (`accept` lists the extra
 * media types per path prefix, e.g. multipart for file uploads). A JSON body
 * is parsed here once so malformed JSON is a 400 before any handler runs;
 * Hono caches the text, so the validator does not read the stream twice.
 */
export const requireContentType = (accept: Record<string, string[]> = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!BODY_METHODS.has(c.req.method) || !hasBody(c.req.raw)) return next();
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType && JSON_TYPE.test(mediaType)) {
      try {
        await c.req.json();
      } catch {
        throw new MalformedJson();
      }
      return next();
    }
    const extra = Object.entries(accept).find(([prefix]) => c.req.path.startsWith(prefix))?.[1] ?? [];
    if (mediaType && extra.includes(mediaType)) return next();
    throw new UnsupportedMediaType(mediaType, ['application/json', ...extra]);
  });
