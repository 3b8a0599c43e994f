import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError, type core } from 'zod';
import { isDatabaseUnavailable, sqlState } from './db/errors';
import {
  AppError,
  DependencyUnavailable,
  ERROR_TITLE,
  type FieldError,
  MalformedJson,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
} from './errors';
import type { AppEnv } from './context';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable, non-resolvable problem type URI for a code (RFC 9457 §3.1.1). */
export function problemType(code: string): string {
  return `urn:ultramarket:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

const joinPath = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : '(root)');

export function fieldErrors(issues: readonly core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) =>
    // Zod reports unknown keys against their object; name each key instead.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'is not allowed' }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

/** Turns any thrown value into an AppError; unknown errors become INTERNAL without leaking detail. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new ValidationFailed(fieldErrors(err.issues));
  if (err instanceof HTTPException) {
    // Hono's own validator and body limit speak HTTPException; name what they mean.
    if (err.status === 413) return new PayloadTooLarge(0);
    if (err.status === 415) return new UnsupportedMediaType(undefined, ['application/json']);
    if (err.status === 400 && /json/i.test(err.message)) return new MalformedJson();
    if (err.status === 400 && /formdata/i.test(err.message)) {
      return new ValidationFailed([{ path: '(body)', message: 'is not a well-formed multipart/form-data body (boundary missing or body cut short)' }], 'The multipart body could not be read.');
    }
  }
  if (isDatabaseUnavailable(err)) return new DependencyUnavailable('Database', err);
  // 22021 / 22P05: text Postgres cannot store (U+0000 above all); the input is at fault, not the server.
  if (['22021', '22P05'].includes(sqlState(err) ?? '')) {
    return new ValidationFailed([{ path: '(request)', message: 'contains a character that cannot be stored (e.g. U+0000)' }]);
  }
  return new AppError('INTERNAL', 'An unexpected error occurred. Quote the request id when reporting it.', {
    cause: err,
  });
}

export function problemBody(err: AppError, instance: string, requestId: string) {
  return {
    // Extensions first: they can never overwrite the standard members.
    ...err.extensions,
    type: problemType(err.code),
    title: ERROR_TITLE[err.code],
    status: err.status,
    detail: err.message,
    instance,
    code: err.code,
    requestId,
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

/**
 * What the log gets of an error. Drizzle's "Failed query" wraps the driver
 * error and appends the bound parameters (emails, ids): log the statement's
 * first line and the driver's message, never the parameters.
 */
function describeForLog(err: unknown): Record<string, unknown> | string {
  if (!(err instanceof Error)) return String(err);
  if (err.message.startsWith('Failed query:')) {
    const statement = err.message.split('\n')[0]?.slice(0, 300);
    const driver = err.cause instanceof Error ? err.cause : undefined;
    return { name: driver?.name ?? err.name, message: driver?.message ?? 'query failed', statement, stack: driver?.stack };
  }
  return { name: err.name, message: err.message, stack: err.stack };
}

/** The single place where errors become HTTP responses (registered with `app.onError`). */
export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(err);
  const requestId = c.get('requestId') ?? 'unknown';
  if (appError.status >= 500) {
    const cause = appError.cause ?? appError;
    c.get('logger')?.error('request failed', { code: appError.code, error: describeForLog(cause) });
  }
  const body = problemBody(appError, new URL(c.req.url).pathname, requestId);
  return c.body(JSON.stringify(body), appError.status as ContentfulStatusCode, {
    ...appError.headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}
