import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { ERROR_STATUS, type ErrorCode, ValidationFailed } from './errors';
import { fieldErrors, PROBLEM_CONTENT_TYPE } from './problem';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'Problem type URI', example: 'urn:ultramarket:problem:not-found' }),
    title: z.string().openapi({ description: 'Short summary of the problem type', example: 'Not found' }),
    status: z.number().int().openapi({ description: 'HTTP status code', example: 404 }),
    detail: z.string().openapi({ description: 'What went wrong in this occurrence', example: "No order with id '0193…'." }),
    instance: z.string().openapi({ description: 'The request path', example: '/api/v1/orders/0193…' }),
    code: z
      .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
      .openapi({ description: 'Stable machine-readable error code', example: 'NOT_FOUND' }),
    requestId: z.string().openapi({ description: 'Echo of X-Request-Id; quote it when reporting', example: '0193a1b2-…' }),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ description: 'Dotted path of the offending field', example: 'shippingAddress.city' }),
          message: z.string().openapi({ description: 'What is wrong with it', example: 'Required' }),
        }),
      )
      .optional()
      .openapi({ description: 'Field errors, for VALIDATION_FAILED' }),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'An RFC 9457 problem document' });

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or fails validation (VALIDATION_FAILED, MALFORMED_JSON)',
  401: 'Missing, invalid or expired credentials (UNAUTHENTICATED)',
  402: 'The payment was declined (PAYMENT_FAILED)',
  403: 'Authenticated but not allowed (FORBIDDEN)',
  404: 'No such resource, or not yours (NOT_FOUND)',
  409: 'Conflicts with the current state (CONFLICT, OUT_OF_STOCK, IDEMPOTENCY_KEY_REUSED)',
  413: 'The body exceeds the size limit (PAYLOAD_TOO_LARGE), or an upload the storage quota (QUOTA_EXCEEDED)',
  415: 'The body is not in an accepted media type (UNSUPPORTED_MEDIA_TYPE)',
  429: 'Rate limit exceeded; see Retry-After (RATE_LIMITED)',
  500: 'Unexpected failure or misconfiguration (INTERNAL, MISCONFIGURED)',
  503: 'A dependency is down; retry later (DEPENDENCY_UNAVAILABLE)',
};

type ProblemStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

const problem = (status: ProblemStatus) => ({
  description: DESCRIPTIONS[status] ?? 'Error',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

/** The problems any route can answer: spread into every route definition. */
export const commonProblems = { 500: problem(500), 503: problem(503) } as const;

/** Problems of any /api/v1 route that takes input and is rate-limited. */
export const apiProblems = {
  400: problem(400),
  413: problem(413),
  415: problem(415),
  429: problem(429),
  ...commonProblems,
} as const;

/** Problems of a route that requires a signed-in user. */
export const authProblems = { 401: problem(401), 403: problem(403) } as const;

/** A JSON body or response: `{ ...json(Schema) }`, plus `required: true` for a request body that must be sent. */
export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

export function problems<const S extends ProblemStatus>(...statuses: S[]): Record<S, ReturnType<typeof problem>> {
  return Object.fromEntries(statuses.map((s) => [s, problem(s)])) as Record<S, ReturnType<typeof problem>>;
}

/** A domain router: zod failures become VALIDATION_FAILED problems through the one error handler. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationFailed(fieldErrors(result.error.issues));
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The operationId of an operation, derived from its method and path so it is
 * stable while the path is: `GET /api/v1/orders/{id}/seller-orders` →
 * `getOrdersByIdSellerOrders`. The API prefix is left out; a path parameter
 * reads `By<Name>`; dashes and dots join words.
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v\d+/, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      const parts = (param ?? segment).split(/[-_.]/).filter(Boolean).map(pascal);
      return param ? ['By', ...parts] : parts;
    });
  return method.toLowerCase() + words.join('');
}

/** Gives every operation of an OpenAPI document that has none its derived operationId (the document is changed in place). */
export function withOperationIds<D extends { paths?: object }>(doc: D): D {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as { operationId?: string } | undefined;
      if (!operation) continue;
      operation.operationId ??= operationIdOf(method, path);
      const other = seen.get(operation.operationId);
      if (other) throw new Error(`operationId ${operation.operationId} of ${method.toUpperCase()} ${path} is also ${other}'s`);
      seen.set(operation.operationId, `${method.toUpperCase()} ${path}`);
    }
  }
  return doc;
}
