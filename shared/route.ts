import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { optionalAuth, requireAuth } from './auth/middleware';
import type { Role } from './auth/tokens';
import type { AppEnv } from './context';
import { IDEMPOTENCY_HEADER, idempotency, type IdempotencyOptions } from './idempotency';
import { problems } from './openapi';

/**
 * `none`: the route reads no credentials (a revoked token is simply not one).
 * `optional`: public, but a token that is sent must be valid (an owner sees more).
 * `required`: a valid, unrevoked access token, else 401.
 */
export type AuthRequirement = 'none' | 'optional' | 'required';

/** Who may call a route and what it demands of a retry, declared next to its path and schemas. */
export interface RouteContract {
  auth: AuthRequirement;
  /**
   * A first gate before validation: any other role is 403. Services still check
   * roles and ownership themselves; declare roles only where every other role
   * is refused anyway (test/authz keeps the two in step).
   */
  roles?: readonly Role[];
  /** The route honours an Idempotency-Key (see shared/idempotency.ts). */
  idempotency?: IdempotencyOptions;
}

/** Where a declared route keeps its contract; it travels with the route into the app's OpenAPI registry. */
export const ROUTE_CONTRACT = Symbol('route contract');

type DeclaredRoute = Omit<RouteConfig, 'security' | 'middleware'> & RouteContract;

const BEARER = { bearerAuth: [] as string[] };
const SECURITY: Record<AuthRequirement, RouteConfig['security']> = {
  // Explicitly none: the operation reads no credentials.
  none: [],
  required: [BEARER],
  // OpenAPI's way to say "anonymous, or with a bearer token".
  optional: [{}, BEARER],
};

function authMiddleware(contract: RouteContract): MiddlewareHandler<AppEnv>[] {
  if (contract.auth === 'required') return [requireAuth(...(contract.roles ?? []))];
  if (contract.auth === 'optional') return [optionalAuth()];
  return [];
}

/** The problem responses the contract can produce, where the route does not document them already. */
function contractProblems(contract: RouteContract, documented: RouteConfig['responses']) {
  const statuses: (401 | 403 | 409)[] = [];
  if (contract.auth !== 'none') statuses.push(401, 403);
  if (contract.idempotency) statuses.push(409);
  return problems(...statuses.filter((s) => !(s in documented)));
}

/** Whether the route's own header schema already documents Idempotency-Key (and reads it in the handler). */
function documentsIdempotencyKey(request: RouteConfig['request']): boolean {
  const headers = request?.headers;
  if (!headers || Array.isArray(headers) || !('shape' in headers)) return false;
  return Object.keys(headers.shape as object).some((name) => name.toLowerCase() === IDEMPOTENCY_HEADER.toLowerCase());
}

function idempotencyParameter(options: IdempotencyOptions) {
  return {
    name: IDEMPOTENCY_HEADER,
    in: 'header' as const,
    required: options.required ?? false,
    description:
      `${options.required ? 'Required' : 'Optional'}: a retry with the same key and body replays the first answer ` +
      '(with `Idempotent-Replayed: true`); the same key with another body, or while the first is still running, is a 409. Kept 24 hours, per caller.',
    schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
  };
}

/**
 * `createRoute` plus the route's whole contract: the auth requirement, the
 * roles allowed through, and its Idempotency-Key. The contract is enforced by
 * middleware the route carries (auth, then the role gate, then idempotency,
 * all before validation), and documented in /openapi.json: the security
 * requirement, the Idempotency-Key header and the 401/403/409 problems.
 * Register it as any route: `router.openapi(route, handler)`.
 */
export function defineRoute<P extends string, R extends DeclaredRoute & { path: P }>(declared: R) {
  const { auth, roles, idempotency: idempotent, ...config } = declared;
  const contract: RouteContract = { auth, ...(roles ? { roles } : {}), ...(idempotent ? { idempotency: idempotent } : {}) };
  if (roles && auth !== 'required') throw new Error(`${config.method.toUpperCase()} ${config.path}: roles need auth: 'required'`);

  const middleware = [...authMiddleware(contract), ...(idempotent ? [idempotency(idempotent)] : [])];
  const security = SECURITY[auth] as NonNullable<RouteConfig['security']>;
  const parameters = idempotent && !documentsIdempotencyKey(config.request) ? [idempotencyParameter(idempotent)] : [];
  const route = createRoute({
    ...config,
    security,
    ...(parameters.length ? { parameters: [...(config.parameters ?? []), ...parameters] } : {}),
    ...(middleware.length ? { middleware } : {}),
    responses: { ...config.responses, ...contractProblems(contract, config.responses) },
  });
  // A symbol key: copied along when a router is mounted, never written into the JSON document.
  return Object.assign(route, { [ROUTE_CONTRACT]: contract }) as unknown as ReturnType<
    typeof createRoute<P, Omit<R, keyof RouteContract> & { path: P }>
  > & { readonly [ROUTE_CONTRACT]: RouteContract };
}

/** A route registered in an app, with its declared contract (undefined: not declared with `defineRoute`). */
export interface DeclaredOperation {
  /** `"METHOD /full/path/{param}"`, as /openapi.json spells it. */
  key: string;
  contract: RouteContract | undefined;
}

/** Every documented operation of an app and its contract, read from the app's OpenAPI registry. */
export function declaredOperations(app: { openAPIRegistry: { definitions: readonly unknown[] } }): DeclaredOperation[] {
  return app.openAPIRegistry.definitions.flatMap((def) => {
    const d = def as { type: string; route?: RouteConfig & { [ROUTE_CONTRACT]?: RouteContract } };
    if (d.type !== 'route' || !d.route) return [];
    return [{ key: `${d.route.method.toUpperCase()} ${d.route.path}`, contract: d.route[ROUTE_CONTRACT] }];
  });
}
