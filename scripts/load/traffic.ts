/**
 * The mixed traffic of `npm run load`: one loop per connection, each a
 * signed-in shopper of its own, picking every step at random — 70% browsing
 * (listing, detail, search, categories), 20% cart (add, change, read), 10%
 * checkout (POST /orders, POST /payments/process with a test card, then the
 * stand-in's signed webhook, seen as the order turning `paid`). Every request
 * is timed under its route; a step stops at its first failure.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '../../client/src/index';
import { type BenchUser, call, SHIPPING_ADDRESS } from '../bench/fixtures';
import type { Recorder } from './stats';

export interface TrafficContext {
  baseUrl: string;
  skus: string[];
  /** Product ids and names of the catalog (detail pages, search terms). */
  products: Array<{ id: string; name: string }>;
  recorder: Recorder;
  /** How long a checkout waits for its webhook to mark the order paid. */
  webhookWaitMs: number;
  stopped(): boolean;
  /** The typed client browsing uses (made on first use). */
  client?: ReturnType<typeof createClient>;
}

export const MIX = { browse: 0.7, cart: 0.2, checkout: 0.1 } as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** Times one request under `route`; false (and an error recorded) unless the status is `expected`. */
async function timed(
  ctx: TrafficContext,
  route: string,
  expected: number,
  run: () => Promise<{ status: number; text: string }>,
): Promise<{ ok: boolean; text: string }> {
  const t0 = performance.now();
  try {
    const r = await run();
    const ok = r.status === expected;
    ctx.recorder.record(route, performance.now() - t0, ok ? undefined : `${r.status} ${r.text.slice(0, 200)}`);
    return { ok, text: r.text };
  } catch (err) {
    ctx.recorder.record(route, performance.now() - t0, String(err));
    return { ok: false, text: '' };
  }
}

/** A typed-client answer as `timed` reads it (the error's problem document as text). */
async function answered(result: Promise<{ error?: unknown; response: Response }>): Promise<{ status: number; text: string }> {
  const { error, response } = await result;
  return { status: response.status, text: error === undefined ? '' : JSON.stringify(error) };
}

/** Browsing goes through the typed client (client/), as a storefront would. */
async function browse(ctx: TrafficContext): Promise<void> {
  const api = (ctx.client ??= createClient({ baseUrl: ctx.baseUrl }));
  const roll = Math.random();
  if (roll < 0.4) {
    const sort = pick(['newest', 'price_asc', 'price_desc', 'name', 'popular'] as const);
    await timed(ctx, 'GET /products', 200, () => answered(api.GET('/api/v1/products', { params: { query: { limit: 20, sort } } })));
  } else if (roll < 0.7) {
    const product = pick(ctx.products);
    await timed(ctx, 'GET /products/:id', 200, () => answered(api.GET('/api/v1/products/{id}', { params: { path: { id: product.id } } })));
  } else if (roll < 0.9) {
    const term = pick(ctx.products).name.split(/\s+/)[0] ?? 'phone';
    await timed(ctx, 'GET /search', 200, () => answered(api.GET('/api/v1/search', { params: { query: { q: term } } })));
  } else {
    await timed(ctx, 'GET /categories', 200, () => answered(api.GET('/api/v1/categories')));
  }
}

async function cart(ctx: TrafficContext, user: BenchUser): Promise<void> {
  const token = user.token;
  const roll = Math.random();
  if (roll < 0.5) {
    await timed(ctx, 'POST /cart/items', 201, () =>
      call(ctx.baseUrl, 'POST', '/api/v1/cart/items', { token, body: { sku: pick(ctx.skus), quantity: 1 } }),
    );
  } else if (roll < 0.75) {
    const got = await timed(ctx, 'GET /cart', 200, () => call(ctx.baseUrl, 'GET', '/api/v1/cart', { token }));
    const lines = got.ok ? (JSON.parse(got.text) as { lines: Array<{ id: string }> }).lines : [];
    if (!lines.length) return;
    await timed(ctx, 'PATCH /cart/items/:id', 200, () =>
      call(ctx.baseUrl, 'PATCH', `/api/v1/cart/items/${pick(lines).id}`, { token, body: { quantity: 1 + Math.floor(Math.random() * 3) } }),
    );
  } else {
    await timed(ctx, 'GET /cart', 200, () => call(ctx.baseUrl, 'GET', '/api/v1/cart', { token }));
  }
}

/** Add one line, place the order, pay it, wait for the webhook to mark it paid. */
async function checkout(ctx: TrafficContext, user: BenchUser): Promise<void> {
  const token = user.token;
  const added = await timed(ctx, 'POST /cart/items', 201, () =>
    call(ctx.baseUrl, 'POST', '/api/v1/cart/items', { token, body: { sku: pick(ctx.skus), quantity: 1 } }),
  );
  if (!added.ok) return;
  const placed = await timed(ctx, 'POST /orders', 201, () =>
    call(ctx.baseUrl, 'POST', '/api/v1/orders', {
      token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { shippingAddress: SHIPPING_ADDRESS },
    }),
  );
  if (!placed.ok) {
    // A failed checkout leaves the cart as it was: start the next one clean.
    await call(ctx.baseUrl, 'DELETE', '/api/v1/cart', { token }).catch(() => undefined);
    return;
  }
  const orderId = (JSON.parse(placed.text) as { order: { id: string } }).order.id;
  const paid = await timed(ctx, 'POST /payments/process', 200, () =>
    call(ctx.baseUrl, 'POST', '/api/v1/payments/process', {
      token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { orderId, paymentMethodId: 'pm_card_visa' },
    }),
  );
  if (!paid.ok) return;
  // The stand-in now sends payment_intent.succeeded through the relay (timed there as POST /webhooks/stripe);
  // this is how long after the payment the Worker had handled it.
  const t0 = performance.now();
  while (ctx.recorder.webhooksFor(orderId) === 0 && performance.now() - t0 < ctx.webhookWaitMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seen = ctx.recorder.webhooksFor(orderId) > 0;
  ctx.recorder.record('payment → webhook handled', performance.now() - t0, seen ? undefined : `no webhook within ${ctx.webhookWaitMs} ms`);
}

/** Runs one shopper's loop until the deadline; the step is drawn from MIX. */
export async function shopperLoop(ctx: TrafficContext, user: BenchUser, deadline: number): Promise<void> {
  while (performance.now() < deadline && !ctx.stopped()) {
    const roll = Math.random();
    if (roll < MIX.browse) await browse(ctx);
    else if (roll < MIX.browse + MIX.cart) await cart(ctx, user);
    else await checkout(ctx, user);
  }
}
