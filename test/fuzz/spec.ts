import { dereference, validate } from '@cfworker/json-schema';
import type { Schema } from './generate';

/**
 * The app's own OpenAPI document and the oracle built from it: which statuses
 * and media types an operation documents, and whether a body matches the schema.
 *
 * Schemas are checked with @cfworker/json-schema: it interprets schemas instead
 * of compiling them with `new Function` as ajv does, which workerd forbids
 * (no eval), and it speaks draft 2020-12, the dialect of OpenAPI 3.1.
 */

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface ResponseSpec {
  content?: Record<string, { schema?: Schema }>;
}

export interface OperationSpec {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, ResponseSpec>;
  security?: unknown[];
}

export interface Document {
  paths: Record<string, Record<string, OperationSpec>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  spec: OperationSpec;
  matcher: RegExp;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * A URL the parser re-routed (a raw `..` in an id) may reach no operation.
 * Then the 404 problem is expected, or what the /api/v1 middleware in front of
 * every route answers first: malformed JSON (400), authentication on a guarded
 * prefix (401/403), body size and media type (413/415), rate limit (429).
 */
const UNKNOWN_ROUTE_STATUSES = new Set([400, 401, 403, 404, 405, 413, 415, 429]);
const PROBLEM_RESPONSE: ResponseSpec = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

export function listOperations(doc: Document): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.has(method))
      .map(([method, spec]) => ({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        spec,
        matcher: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
  );
}

/**
 * The operation the router will see for a URL after the URL parser has
 * normalised it (a raw `..` in an id changes the route). Static paths win over
 * templated ones, as they do in the router.
 */
export function routeOf(operations: Operation[], method: string, url: string): Operation | undefined {
  const pathname = new URL(url).pathname;
  const candidates = operations.filter((o) => o.method === method && o.matcher.test(pathname));
  return candidates.find((o) => !o.path.includes('{')) ?? candidates[0];
}

export interface Verdict {
  /** Why the response breaks the contract; empty when it keeps it. */
  failures: string[];
}

/** Ties a validator to the document: every `$ref` resolves inside it. */
export function createOracle(doc: Document) {
  const lookup = dereference(doc as never);

  function documented(operation: Operation | undefined, status: number): ResponseSpec | undefined {
    if (!operation) return UNKNOWN_ROUTE_STATUSES.has(status) ? PROBLEM_RESPONSE : undefined;
    const r = operation.spec.responses;
    return r[String(status)] ?? r[`${String(status)[0]}XX`] ?? r.default;
  }

  function schemaErrors(schema: Schema | undefined, body: unknown): string[] {
    if (!schema) return [];
    // A schema object of the document carries its resolved `$ref`; a stand-in (unknown route) is resolved by name.
    const target = schema.$ref && !('__absolute_ref__' in schema) ? doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''] : schema;
    const result = validate(body, target as never, '2020-12', lookup, false);
    return result.valid ? [] : result.errors.slice(0, 4).map((e) => `${e.instanceLocation}: ${e.error}`);
  }

  /** Checks one response against what `operation` (the route the request reached) documents. */
  function check(operation: Operation | undefined, res: Response, text: string): Verdict {
    const failures: string[] = [];
    const status = res.status;
    if (status >= 500) failures.push(`status ${status} (5xx)`);
    const spec = documented(operation, status);
    if (!spec) failures.push(`status ${status} is not documented for ${operation?.id ?? 'an unknown route'}`);
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
    const content = spec?.content ?? {};
    if (status === 204 || status === 304 || !Object.keys(content).length) {
      if (text.length) failures.push(`status ${status} documents no body but got ${mediaType}: ${text.slice(0, 120)}`);
      return { failures };
    }
    const media = content[mediaType];
    if (!media) {
      failures.push(`media type '${mediaType}' is not documented for ${status} (documented: ${Object.keys(content).join(', ')})`);
      return { failures };
    }
    if (!/json$/.test(mediaType)) return { failures };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`body is not JSON: ${text.slice(0, 120)}`);
      return { failures };
    }
    failures.push(...schemaErrors(media.schema, body).map((e) => `schema: ${e}`));
    if (mediaType === 'application/problem+json') {
      const problem = body as { status?: number; requestId?: string };
      if (problem.status !== status) failures.push(`problem.status ${problem.status} differs from HTTP ${status}`);
      if (problem.requestId !== res.headers.get('x-request-id')) failures.push('problem.requestId differs from X-Request-Id');
    }
    return { failures };
  }

  return { check };
}
