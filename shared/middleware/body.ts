import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { loadConfig } from '../env';
import { AppError, MalformedJson, PayloadTooLarge, UnsupportedMediaType } from '../errors';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Where file uploads arrive: their bodies are limited by FILE_MAX_BYTES, not MAX_BODY_BYTES. */
export const UPLOAD_PREFIX = '/api/v1/files';
/** Room for the multipart boundaries and part headers around a file of FILE_MAX_BYTES. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** The 413 for an upload names the file limit (what the client can act on), not the framing allowance. */
export const fileTooLarge = (fileMaxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `Files may be at most ${fileMaxBytes} bytes.`, { extensions: { limitBytes: fileMaxBytes } });

/**
 * Rejects bodies over MAX_BODY_BYTES (uploads: FILE_MAX_BYTES plus multipart
 * framing) with 413, whether or not Content-Length tells the truth.
 */
export const bodyLimit = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const config = loadConfig(c.env);
    const upload = c.req.path === UPLOAD_PREFIX || c.req.path.startsWith(`${UPLOAD_PREFIX}/`);
    const maxSize = upload ? config.FILE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES : config.MAX_BODY_BYTES;
    return honoBodyLimit({
      maxSize,
      onError: () => {
        throw upload ? fileTooLarge(config.FILE_MAX_BYTES) : new PayloadTooLarge(maxSize);
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
