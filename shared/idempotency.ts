import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context';
import { Conflict, DependencyUnavailable, IdempotencyKeyReused, ValidationFailed } from './errors';
import { redisKey } from './redis';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEPT_HEADERS = ['content-type', 'location'];

type Record_ =
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; headers: Record<string, string>; body: string };

export interface IdempotencyOptions {
  /** Separates key spaces of different operations, e.g. `orders.create`. */
  scope: string;
  /** When true a request without the header is a 400. */
  required?: boolean;
  /** How long a key is remembered; 24 h like Stripe. */
  ttlSeconds?: number;
  /**
   * Without Redis: `refuse` (the default) answers 503; `proceed` runs the
   * request unrecorded, for routes that hold a durable guard of their own (a
   * unique key in Postgres, one PaymentIntent per order), so a retry can be
   * refused or find nothing to do but can never act twice. See docs/faults.md.
   */
  whenStoreDown?: 'refuse' | 'proceed';
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `Idempotency-Key` for writes that move money (DESIGN §2): the same key and
 * body replay the first response; the same key with another body is a 409; a
 * retry while the first is still running is a 409 too. Keys are per caller.
 * A 5xx is not remembered, so the client may retry it. Fails closed: without
 * Redis we cannot promise exactly-once, so the request is refused with 503.
 */
export const idempotency = (options: IdempotencyOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      if (!options.required) return next();
      throw new ValidationFailed([{ path: IDEMPOTENCY_HEADER, message: 'This header is required' }]);
    }
    if (!KEY_FORMAT.test(key)) {
      throw new ValidationFailed([{ path: IDEMPOTENCY_HEADER, message: 'Must be 1-255 printable ASCII characters' }]);
    }
    const { redis, config } = c.get('deps');
    const caller = c.get('auth')?.userId ?? 'anonymous';
    const storeKey = redisKey(config, 'idem', options.scope, caller, key);
    const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const ttl = options.ttlSeconds ?? 86_400;

    let claimed: string | null;
    try {
      const pending: Record_ = { state: 'pending', fingerprint };
      claimed = await redis.set(storeKey, JSON.stringify(pending), { nx: true, ex: ttl });
    } catch (err) {
      if (options.whenStoreDown !== 'proceed') throw new DependencyUnavailable('Idempotency store', err);
      c.get('logger').warn('idempotency store unavailable; relying on the route\'s own guard', { scope: options.scope });
      return next();
    }

    if (claimed === null) {
      let existing: Record_ | null;
      try {
        existing = await redis.get<Record_>(storeKey);
      } catch (err) {
        throw new DependencyUnavailable('Idempotency store', err);
      }
      if (!existing) throw new Conflict('A request with this Idempotency-Key just finished; retry it.');
      if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      if (existing.state === 'pending') throw new Conflict('A request with this Idempotency-Key is still in progress.');
      return c.body(existing.body, existing.status as ContentfulStatusCode, {
        ...existing.headers,
        [REPLAYED_HEADER]: 'true',
      });
    }

    await next();

    try {
      if (c.res.status >= 500) {
        await redis.del(storeKey);
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = c.res.headers.get(name);
        if (value) headers[name] = value;
      }
      const done: Record_ = {
        state: 'done',
        fingerprint,
        status: c.res.status,
        headers,
        body: await c.res.clone().text(),
      };
      await redis.set(storeKey, JSON.stringify(done), { ex: ttl });
    } catch (err) {
      // The work is done; a lost record only means a retry would be answered 409 "in progress".
      c.get('logger').error('could not record idempotent response', { error: String(err) });
    }
  });
