/**
 * A typed client for the UltraMarket Edge API.
 *
 * The request and response types are generated from the API's OpenAPI document
 * (`npm run client:generate` writes `schema.d.ts`; CI fails when it is stale),
 * and the calls are openapi-fetch's: `client.GET('/api/v1/products/{id}', { params: { path: { id } } })`.
 * Around them, what every caller of this API needs:
 * - the access token on every request, and on a 401 one refresh with the
 *   rotating refresh token (concurrent 401s share it), then the request again;
 * - an Idempotency-Key on every money write, the same one across retries of
 *   that write (a 503, a lost answer), so the server never acts twice;
 * - the anonymous cart id (`X-Cart-Id`) remembered from the answers and sent back;
 * - problem+json errors as typed `ApiProblem` values (`unwrap` throws them).
 */
import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';
export type Problem = components['schemas']['Problem'];
export type ProblemCode = Problem['code'];

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Where the client keeps what it must remember between calls; in memory unless you give another (localStorage, a cookie jar…). */
export interface ClientStore {
  tokens(): Tokens | undefined;
  setTokens(tokens: Tokens | undefined): void;
  cartId(): string | undefined;
  setCartId(id: string | undefined): void;
}

export function memoryStore(initial: { tokens?: Tokens; cartId?: string } = {}): ClientStore {
  let tokens = initial.tokens;
  let cartId = initial.cartId;
  return {
    tokens: () => tokens,
    setTokens: (t) => {
      tokens = t;
    },
    cartId: () => cartId,
    setCartId: (id) => {
      cartId = id;
    },
  };
}

export interface ClientOptions {
  /** The API's origin, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  store?: ClientStore;
  fetch?: typeof fetch;
  /** Called after tokens change (sign-in, refresh, sign-out, or a refresh that failed: undefined). */
  onTokens?: (tokens: Tokens | undefined) => void;
}

/** A problem+json answer as a value: its status, stable `code` and the whole document. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'ApiProblem';
  }

  get code(): ProblemCode {
    return this.problem.code;
  }
}

const CART_ID_HEADER = 'X-Cart-Id';
const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const REFRESH_PATH = '/api/v1/auth/refresh';
const PUBLIC_AUTH_PATHS = new Set(['/api/v1/auth/login', '/api/v1/auth/register', REFRESH_PATH]);

/**
 * Writes that move money or stock: they always carry an Idempotency-Key (the
 * caller's, or one made here), kept when the request is sent again.
 */
export const MONEY_WRITES: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: 'POST', path: /^\/api\/v1\/orders$/ },
  { method: 'POST', path: /^\/api\/v1\/payments\/[^/]+\/(process|refund)$/ },
  { method: 'POST', path: /^\/api\/v1\/orders\/[^/]+\/seller-orders\/[^/]+\/cancel$/ },
  { method: 'POST', path: /^\/api\/v1\/returns(\/[^/]+\/(refund|receive))?$/ },
  { method: 'POST', path: /^\/api\/v1\/ledger\/payouts$/ },
];

export const isMoneyWrite = (method: string, pathname: string) =>
  MONEY_WRITES.some((w) => w.method === method.toUpperCase() && w.path.test(pathname));

export interface UltraMarketClient extends Client<paths> {
  /** Signs in and remembers the tokens. */
  signIn(email: string, password: string): Promise<Tokens>;
  /** Forgets the tokens (after asking the server to revoke the session, best effort). */
  signOut(): Promise<void>;
  readonly store: ClientStore;
}

export function createClient(options: ClientOptions): UltraMarketClient {
  const store = options.store ?? memoryStore();
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const setTokens = (tokens: Tokens | undefined) => {
    store.setTokens(tokens);
    options.onTokens?.(tokens);
  };

  let refreshing: Promise<boolean> | undefined;
  /** One refresh at a time: concurrent 401s wait for the same one (a refresh token works once). */
  const refresh = (): Promise<boolean> => {
    refreshing ??= (async () => {
      const refreshToken = store.tokens()?.refreshToken;
      if (!refreshToken) return false;
      const res = await baseFetch(new URL(REFRESH_PATH, options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!res.ok) {
        setTokens(undefined);
        return false;
      }
      const body = (await res.json()) as Tokens;
      setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
      return true;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  /** Sends a request with the current credentials and cart id; a body is buffered so it can be sent again. */
  const send = async (request: Request, body: ArrayBuffer | undefined): Promise<Response> => {
    const headers = new Headers(request.headers);
    const tokens = store.tokens();
    const path = new URL(request.url).pathname;
    if (tokens && !PUBLIC_AUTH_PATHS.has(path)) headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    const cartId = store.cartId();
    if (cartId && !headers.has(CART_ID_HEADER)) headers.set(CART_ID_HEADER, cartId);
    const res = await baseFetch(new Request(request.url, { method: request.method, headers, body, signal: request.signal }));
    const newCart = res.headers.get(CART_ID_HEADER);
    if (newCart) store.setCartId(newCart);
    return res;
  };

  const fetchWithSession = async (input: Request): Promise<Response> => {
    const request = input.clone();
    const body = request.body ? await request.arrayBuffer() : undefined;
    const path = new URL(request.url).pathname;
    // A money write always has a key; the retry after a refresh reuses it.
    const keyed = new Request(input, { headers: new Headers(input.headers) });
    if (isMoneyWrite(request.method, path) && !keyed.headers.has(IDEMPOTENCY_HEADER)) keyed.headers.set(IDEMPOTENCY_HEADER, crypto.randomUUID());
    const first = await send(keyed, body);
    if (first.status !== 401 || PUBLIC_AUTH_PATHS.has(path) || !store.tokens()) return first;
    if (!(await refresh())) return first;
    return send(keyed, body);
  };

  const client = createFetchClient<paths>({ baseUrl: options.baseUrl, fetch: fetchWithSession });

  return Object.assign(client, {
    store,
    async signIn(email: string, password: string) {
      const tokens = unwrap(await client.POST('/api/v1/auth/login', { body: { email, password } }));
      const kept = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      setTokens(kept);
      return kept;
    },
    async signOut() {
      if (store.tokens()) await client.POST('/api/v1/auth/logout').catch(() => undefined);
      setTokens(undefined);
    },
  });
}

/**
 * The data of a successful answer, or an `ApiProblem` thrown for a
 * problem+json one: `const product = unwrap(await client.GET(...))`.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw toProblem(result.response, result.error);
}

function toProblem(response: Response, error: unknown): ApiProblem {
  const body = error as Partial<Problem> | undefined;
  if (body && typeof body === 'object' && typeof body.code === 'string') return new ApiProblem(response.status, body as Problem);
  return new ApiProblem(response.status, {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    detail: typeof error === 'string' ? error : `HTTP ${response.status}`,
    instance: new URL(response.url || 'http://unknown/').pathname,
    code: (response.status >= 500 ? 'DEPENDENCY_UNAVAILABLE' : 'VALIDATION_FAILED') as ProblemCode,
    requestId: response.headers.get('x-request-id') ?? '',
  });
}

/** A fresh key for a money write, to keep and pass again when you retry it yourself. */
export const idempotencyKey = (): string => crypto.randomUUID();

/** openapi-fetch middleware type, for callers adding their own (logging, tracing). */
export type { Middleware };
