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
}

export const BENCH_ENDPOINTS: BenchEndpoint[] = [
  { name: 'baseline', method: 'GET', path: '/bench/noop', baseline: true },
  { name: 'health', method: 'GET', path: '/health' },
];
