/**
 * How Typesense failures become our errors: an outage is DependencyUnavailable
 * (503), a refused import is its own error, and neither carries the API key.
 */
import { Errors } from 'typesense';
import { AppError, DependencyUnavailable } from '../../../shared/errors';

/** A Typesense failure without the client's request config (which holds the API key). */
export class TypesenseRequestFailed extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'TypesenseRequestFailed';
  }
}

/** Documents Typesense refused in an import (a schema or data problem, not an outage). */
export class TypesenseImportRejected extends Error {
  constructor(
    readonly failures: Array<{ id?: string; code?: number; error: string }>,
    total: number,
  ) {
    const sample = failures
      .slice(0, 3)
      .map((f) => `${f.id ?? '?'}: ${f.error}`)
      .join('; ');
    super(`Typesense rejected ${failures.length} of ${total} documents (${sample})`);
    this.name = 'TypesenseImportRejected';
  }
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof TypesenseRequestFailed) return err.status;
  if (err instanceof Errors.TypesenseError) return err.httpStatus;
  return undefined;
}

/**
 * Any failure talking to Typesense (network, timeout, 5xx, a missing
 * collection, a refused key…) becomes DependencyUnavailable('Search'): the API
 * answers 503 with Retry-After, never 500. The cause keeps the status and
 * message for the log, but not the request (its headers carry the API key).
 */
export function toSearchError(err: unknown): Error {
  if (err instanceof AppError || err instanceof TypesenseImportRejected) return err;
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof TypesenseRequestFailed ? err : new TypesenseRequestFailed(`Typesense: ${message}`, status);
  return new DependencyUnavailable('Search', cause);
}
