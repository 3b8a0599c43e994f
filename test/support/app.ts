import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type { Bindings } from '../../shared/env';
import type { Router } from '../../shared/openapi';
import { createApp } from '../../workers/app';

/** The test run's bindings (the stack's addresses, wrangler.toml vars, real DO/R2/Queue bindings). */
export const testEnv = env as unknown as Bindings;

/** A Redis key prefix of its own for one test, inside the run's prefix (so it is cleaned up with it). */
export function isolatedPrefix(label: string): string {
  return `${testEnv.REDIS_KEY_PREFIX}${label}-${crypto.randomUUID().slice(0, 8)}:`;
}

/**
 * Calls an app built by the real `createApp` (the same middleware and error
 * handler as the deployed Worker) with bindings the test chooses: extra probe
 * routes, a misconfigured env, or a dependency pointed at a dead port.
 */
export async function call(
  request: Request | string,
  options: { env?: Partial<Bindings> & Record<string, unknown>; mount?: (api: Router) => void } = {},
): Promise<Response> {
  const app = options.mount ? createApp(options.mount) : createApp();
  const req = typeof request === 'string' ? new Request(`http://api.test${request}`) : request;
  const ctx = createExecutionContext();
  const res = await app.fetch(req, { ...testEnv, ...options.env } as Bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A port nothing listens on: where a "down" dependency points. */
export const DEAD_PORT = 9;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

export async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${res.status}: ${text}`);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.headers.get('content-type')}: ${text}`);
  }
  const body = JSON.parse(text) as Problem;
  if (body.code !== code || body.status !== status) throw new Error(`expected ${code}, got ${text}`);
  if (body.requestId !== res.headers.get('x-request-id')) throw new Error('problem requestId differs from X-Request-Id');
  return body;
}
