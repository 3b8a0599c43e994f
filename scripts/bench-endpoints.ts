/**
 * What `npm run bench` measures (scripts/bench.ts). Every entry is measured in
 * the same run as the baseline, a do-nothing route behind all global
 * middleware, so a figure always reads "x requests/s where this machine's
 * ceiling is y". Each endpoint must answer 2xx on the seeded stack: the bench
 * probes it once first and stops if it does not.
 */
export type BenchMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BenchEndpoint {
  /** Unique, short; used by `--only`. */
  name: string;
  method: BenchMethod;
  /** Path and query, e.g. `/api/v1/products?limit=20`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The reference route (exactly one entry). */
  baseline?: boolean;
  /**
   * For endpoints whose requests depend on earlier answers (a refresh token is
   * single-use): each connection gets its own state from `prepare`, sends
   * `body(state)` and keeps `next(state, responseBody)` for its next request.
   */
  chain?: {
    prepare(baseUrl: string, count: number): Promise<string[]>;
    body(state: string): string;
    next(state: string, responseBody: string): string;
  };
}

const json = { 'content-type': 'application/json' };
const demoCustomer = JSON.stringify({ email: 'customer@ultramarket.local', password: 'demo-customer-pass' });

/** Signs the demo customer in `count` times: one refresh-token chain per connection. */
async function refreshTokens(baseUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: json, body: demoCustomer });
    if (!res.ok) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
    tokens.push(((await res.json()) as { refreshToken: string }).refreshToken);
  }
  return tokens;
}

export const BENCH_ENDPOINTS: BenchEndpoint[] = [
  { name: 'baseline', method: 'GET', path: '/bench/noop', baseline: true },
  { name: 'health', method: 'GET', path: '/health' },
  // PBKDF2 (100,000 iterations) is most of a login's cost: it is the price of a password.
  { name: 'auth-login', method: 'POST', path: '/api/v1/auth/login', headers: json, body: demoCustomer },
  {
    name: 'auth-refresh',
    method: 'POST',
    path: '/api/v1/auth/refresh',
    headers: json,
    chain: {
      prepare: refreshTokens,
      body: (token) => JSON.stringify({ refreshToken: token }),
      next: (token, responseBody) => {
        try {
          return (JSON.parse(responseBody) as { refreshToken?: string }).refreshToken ?? token;
        } catch {
          return token;
        }
      },
    },
  },
];
