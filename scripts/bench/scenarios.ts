/**
 * Benchmarks that autocannon cannot drive: every request needs untimed work
 * first (an order consumes a filled cart; a webhook needs a real signed event
 * of a paid order). Each runs N concurrent loops (N = --connections, capped)
 * for the duration; only the measured request of each iteration is timed.
 */
import { randomUUID } from 'node:crypto';
import { signatureHeader, type StripeStandin } from '../stack/stripe-standin';
import { countCalls, pickProbe, PROBES, QUEUE_QUIET_MS, roundTripsOf, settled } from './network-calls';
import { analyticsAdminToken, BENCH_SHIPPING_ADDRESS, type BenchUser, benchUsers, call, once, SHIPPING_ADDRESS, shippingWorld, stockedSkus } from './fixtures';
import type { Probed, ScenarioContext, ScenarioResult } from './types';
import type { CapturedEvent, WebhookReceiver } from './webhook-receiver';

export type { ScenarioContext, ScenarioResult } from './types';

export const SCENARIO_MAX_LOOPS = 16;

const loopsFor = (ctx: ScenarioContext) => (ctx.probeOnly ? 1 : Math.max(1, Math.min(ctx.connections, SCENARIO_MAX_LOOPS)));

/** What a probe-only run answers: the probe's round trips and calls, nothing measured. */
const probed = (probe: Probed): ScenarioResult => ({ connections: 1, elapsedS: 0, latenciesMs: [], errors: 0, ...probe });

interface Sample {
  ms: number;
  ok: boolean;
}

/**
 * Runs `step` in one loop per worker until `seconds` have passed (or `step`
 * returns undefined: nothing left to do). A step's own untimed work is not in
 * its sample; the window ends when the last loop does.
 */
async function loops<W>(
  workers: W[],
  seconds: number,
  stopped: () => boolean,
  step: (worker: W) => Promise<Sample | undefined>,
): Promise<{ samples: Sample[]; elapsedS: number }> {
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    workers.map(async (worker) => {
      while (performance.now() < deadline && !stopped()) {
        const sample = await step(worker);
        if (!sample) return;
        samples.push(sample);
      }
    }),
  );
  return { samples, elapsedS: (performance.now() - started) / 1000 };
}

async function timed(run: () => Promise<{ status: number }>, expected: number): Promise<Sample> {
  const t0 = performance.now();
  try {
    const { status } = await run();
    return { ms: performance.now() - t0, ok: status === expected };
  } catch {
    return { ms: performance.now() - t0, ok: false };
  }
}

/** One probe request, alone on the stack: its answer, round trips and network calls. */
async function probeCalls<T extends { headers: Headers }>(what: string, request: () => Promise<T>): Promise<{ answer: T; probe: Required<Probed> }> {
  const { answer, calls } = await countCalls(request);
  return { answer, probe: { dbRoundTrips: roundTripsOf(answer.headers, what), calls } };
}

/** Reports the first failure of a kind once, so a broken run says why. */
function firstFailure(ctx: ScenarioContext) {
  const seen = new Set<string>();
  return (what: string, status: number, text: string) => {
    if (seen.has(what)) return;
    seen.add(what);
    ctx.log(`${what} answered ${status}: ${text.slice(0, 300)}`);
  };
}

// ---- order-create -----------------------------------------------------------------------------

interface Shopper {
  user: BenchUser;
  /** Next SKU of the pool (round-robin). */
  next: number;
}

async function shoppers(ctx: ScenarioContext): Promise<{ shoppers: Shopper[]; skus: string[] }> {
  const [skus, users] = await Promise.all([stockedSkus(ctx.baseUrl), benchUsers(ctx.baseUrl, loopsFor(ctx))]);
  return { skus, shoppers: users.map((user, i) => ({ user, next: i * 7 })) };
}

async function fillCart(ctx: ScenarioContext, shopper: Shopper, skus: string[]) {
  const sku = skus[shopper.next++ % skus.length]!;
  return call(ctx.baseUrl, 'POST', '/api/v1/cart/items', { token: shopper.user.token, body: { sku, quantity: 1 } });
}

const placeOrder = (ctx: ScenarioContext, shopper: Shopper) =>
  call(ctx.baseUrl, 'POST', '/api/v1/orders', {
    token: shopper.user.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { shippingAddress: SHIPPING_ADDRESS },
  });

/**
 * PROBES orders, each after filling the cart (network-calls.ts, pickProbe),
 * each cancelled afterwards (untimed) so that the shopper's unpaid orders stay
 * under MAX_UNPAID_ORDERS for the load.
 */
async function probeOrders(
  ctx: ScenarioContext,
  name: string,
  shopper: Shopper,
  fill: () => Promise<{ status: number; text: string }>,
  place: () => Promise<{ status: number; text: string; headers: Headers }>,
): Promise<Required<Probed>> {
  // The set-up (shoppers, stock, a second seller) queued events whose consumers would call during the probes.
  await settled(QUEUE_QUIET_MS, 4 * QUEUE_QUIET_MS);
  let picked: Required<Probed> | undefined;
  for (let i = 0; i < PROBES; i++) {
    const added = await fill();
    if (added.status !== 201) throw new Error(`probe ${name}: add to cart answered ${added.status}: ${added.text.slice(0, 300)}`);
    const { answer: placed, probe } = await probeCalls(`probe ${name}`, place);
    if (placed.status !== 201) throw new Error(`probe ${name}: POST /api/v1/orders answered ${placed.status}: ${placed.text.slice(0, 300)}`);
    picked = picked ? pickProbe(picked, probe) : probe;
    const orderId = (JSON.parse(placed.text) as { order: { id: string } }).order.id;
    await call(ctx.baseUrl, 'DELETE', `/api/v1/orders/${orderId}`, { token: shopper.user.token });
  }
  return picked!;
}

/** One add-to-cart (untimed) and one order (timed) per iteration; a failure empties the cart so the next starts clean. */
function orderStep(ctx: ScenarioContext, skus: string[], report: ReturnType<typeof firstFailure>) {
  return async (shopper: Shopper): Promise<Sample> => {
    const added = await fillCart(ctx, shopper, skus);
    if (added.status !== 201) {
      report('add to cart', added.status, added.text);
      return { ms: 0, ok: false };
    }
    let answer = { status: 0, text: '' };
    const sample = await timed(async () => (answer = await placeOrder(ctx, shopper)), 201);
    if (!sample.ok) {
      report('POST /api/v1/orders', answer.status, answer.text);
      await call(ctx.baseUrl, 'DELETE', '/api/v1/cart', { token: shopper.user.token }).catch(() => undefined);
    }
    return sample;
  };
}

export async function orderCreate(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { shoppers: workers, skus } = await shoppers(ctx);
  const report = firstFailure(ctx);

  // Probe: an order's database round trips and network calls.
  const probe = workers[0]!;
  const counted = await probeOrders(ctx, 'order-create', probe, () => fillCart(ctx, probe, skus), () => placeOrder(ctx, probe));
  if (ctx.probeOnly) return probed(counted);

  const step = orderStep(ctx, skus, report);
  if (ctx.warmupS > 0) await loops(workers, ctx.warmupS, ctx.stopped, step);
  const { samples, elapsedS } = await loops(workers, ctx.durationS, ctx.stopped, step);
  return {
    connections: workers.length,
    elapsedS,
    latenciesMs: samples.filter((s) => s.ms > 0 || s.ok).map((s) => s.ms),
    errors: samples.filter((s) => !s.ok).length,
    ...counted,
  };
}

/**
 * A two-seller order with a shipping choice per seller (docs/shipping.md): each iteration fills the
 * cart with one unit from each seller (untimed), then places the order (timed).
 */
export async function orderCreateShipping(ctx: ScenarioContext): Promise<ScenarioResult> {
  const [{ shoppers: workers }, world] = await Promise.all([shoppers(ctx), shippingWorld(ctx.baseUrl)]);
  const report = firstFailure(ctx);
  const fill = async (shopper: Shopper) => {
    for (const sku of world.skus) {
      const added = await call(ctx.baseUrl, 'POST', '/api/v1/cart/items', { token: shopper.user.token, body: { sku, quantity: 1 } });
      if (added.status !== 201) return added;
    }
    return { status: 201, text: '' };
  };
  const place = (shopper: Shopper) =>
    call(ctx.baseUrl, 'POST', '/api/v1/orders', {
      token: shopper.user.token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { shippingAddress: BENCH_SHIPPING_ADDRESS, shipping: world.choices },
    });

  const probe = workers[0]!;
  const counted = await probeOrders(ctx, 'order-create-shipping', probe, () => fill(probe), () => place(probe));
  if (ctx.probeOnly) return probed(counted);

  const step = async (shopper: Shopper): Promise<Sample> => {
    const filled = await fill(shopper);
    if (filled.status !== 201) {
      report('add to cart', filled.status, filled.text);
      return { ms: 0, ok: false };
    }
    let answer = { status: 0, text: '' };
    const sample = await timed(async () => (answer = await place(shopper)), 201);
    if (!sample.ok) {
      report('POST /api/v1/orders (shipping)', answer.status, answer.text);
      await call(ctx.baseUrl, 'DELETE', '/api/v1/cart', { token: shopper.user.token }).catch(() => undefined);
    }
    return sample;
  };
  if (ctx.warmupS > 0) await loops(workers, ctx.warmupS, ctx.stopped, step);
  const { samples, elapsedS } = await loops(workers, ctx.durationS, ctx.stopped, step);
  return {
    connections: workers.length,
    elapsedS,
    latenciesMs: samples.filter((s) => s.ms > 0 || s.ok).map((s) => s.ms),
    errors: samples.filter((s) => !s.ok).length,
    ...counted,
  };
}

// ---- webhooks -----------------------------------------------------------------------------------

const SUCCEEDED = new Set(['payment_intent.succeeded']);
/** Re-sign (with the stand-in's own signer and secret) captures older than this: the Worker accepts 5 minutes. */
const SIGNATURE_MAX_AGE_MS = 240_000;
/** Upper bound of events prepared for one run. */
const MAX_EVENTS = 20_000;

interface Captured extends CapturedEvent {
  delivered: boolean;
}

/** Captured events of this run, shared by `webhook` (first deliveries) and `webhook-replay`. */
const captured = (baseUrl: string) => once(`events ${baseUrl}`, () => Promise.resolve([] as Captured[]));

function requireStripe(ctx: ScenarioContext): { stripe: StripeStandin; receiver: WebhookReceiver } {
  if (!ctx.stripe || !ctx.receiver) throw new Error('the webhook benchmarks need the local Stripe stand-in (no real STRIPE_SECRET_KEY)');
  return { stripe: ctx.stripe, receiver: ctx.receiver };
}

/**
 * Places and pays orders (add to cart, POST /orders, POST /payments/process)
 * with N loops until `count` are paid or `seconds` have passed, then collects
 * the stand-in's signed `payment_intent.succeeded` events from the receiver.
 */
async function capturePaidEvents(ctx: ScenarioContext, count: number, seconds: number): Promise<Captured[]> {
  const { stripe, receiver } = requireStripe(ctx);
  const { shoppers: workers, skus } = await shoppers(ctx);
  const report = firstFailure(ctx);
  let paid = 0;
  const started = performance.now();
  await loops(workers, seconds, ctx.stopped, async (shopper) => {
    if (paid >= count) return undefined;
    const added = await fillCart(ctx, shopper, skus);
    if (added.status !== 201) {
      report('add to cart', added.status, added.text);
      return { ms: 0, ok: false };
    }
    const placed = await placeOrder(ctx, shopper);
    if (placed.status !== 201) {
      report('POST /api/v1/orders', placed.status, placed.text);
      await call(ctx.baseUrl, 'DELETE', '/api/v1/cart', { token: shopper.user.token }).catch(() => undefined);
      return { ms: 0, ok: false };
    }
    const orderId = (JSON.parse(placed.text) as { order: { id: string } }).order.id;
    const payment = await call(ctx.baseUrl, 'POST', '/api/v1/payments/process', {
      token: shopper.user.token,
      body: { orderId, paymentMethodId: 'pm_card_visa' },
    });
    if (payment.status !== 200) report('POST /api/v1/payments/process', payment.status, payment.text);
    else paid++;
    return { ms: 0, ok: payment.status === 200 };
  });
  await stripe.idle();
  const events = receiver.take(SUCCEEDED).map((e) => ({ ...e, delivered: false }));
  ctx.log(`captured ${events.length} signed payment_intent.succeeded events of ${paid} paid orders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const all = await captured(ctx.baseUrl);
  all.push(...events);
  return all;
}

/** The captured event as Stripe sent it; re-signed by the stand-in's signer when too old for the Worker's 5-minute tolerance. */
function signed(ctx: ScenarioContext, event: Captured): string {
  if (Date.now() - event.at < SIGNATURE_MAX_AGE_MS || !ctx.stripe) return event.signature;
  event.signature = signatureHeader(event.body, ctx.stripe.webhookSecret);
  event.at = Date.now();
  return event.signature;
}

/** POSTs the raw captured body (the signature covers its exact bytes). */
async function post(ctx: ScenarioContext, event: Captured): Promise<{ status: number; text: string; headers: Headers; replay?: boolean }> {
  const res = await fetch(`${ctx.baseUrl}/api/v1/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signed(ctx, event) },
    body: event.body,
  });
  const text = await res.text();
  let replay: boolean | undefined;
  try {
    replay = (JSON.parse(text) as { replay?: boolean }).replay;
  } catch {
    replay = undefined;
  }
  return { status: res.status, text, headers: res.headers, replay };
}
/**
 * `webhook`: each captured event delivered once (the full handler: lookup,
 * PaymentIntent fetch from the stand-in, order sync, which finds the payment
 * already applied by /payments/process, and the event-id insert).
 */
export async function webhookFirstDelivery(ctx: ScenarioContext): Promise<ScenarioResult> {
  const n = loopsFor(ctx);
  // Preparing an event (cart, order, payment) costs several deliveries (~8 on a laptop): up to 8 windows, at most 2 minutes.
  const prepareS = Math.min(120, Math.max(10, 8 * ctx.durationS));
  // A probe needs one event, and webhook-replay (run next) one more.
  const events = ctx.probeOnly ? await capturePaidEvents(ctx, 2, 60) : await capturePaidEvents(ctx, MAX_EVENTS, prepareS);
  const fresh = events.filter((e) => !e.delivered);
  const probeEvent = fresh.shift();
  if (!probeEvent) throw new Error('probe webhook: no payment_intent.succeeded event was captured');
  const { answer: probe, probe: counted } = await probeCalls('probe webhook', () => post(ctx, probeEvent));
  probeEvent.delivered = true;
  if (probe.status !== 200 || probe.replay !== false) {
    throw new Error(`probe webhook: answered ${probe.status}: ${probe.text.slice(0, 300)}`);
  }
  if (ctx.probeOnly) return probed(counted);
  const report = firstFailure(ctx);
  const queue = fresh;
  const { samples, elapsedS } = await loops(Array.from({ length: n }, (_, i) => i), ctx.durationS, ctx.stopped, async () => {
    const event = queue.shift();
    if (!event) return undefined;
    event.delivered = true;
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    const sample = await timed(async () => (answer = await post(ctx, event)), 200);
    // A first delivery must be applied, not taken for a replay.
    if (sample.ok && answer?.replay !== false) sample.ok = false;
    if (!sample.ok) report('POST /api/v1/webhooks/stripe', answer?.status ?? 0, answer?.text ?? 'no answer');
    return sample;
  });
  if (!queue.length && elapsedS < ctx.durationS * 0.95) {
    ctx.log(`the ${samples.length} captured events lasted ${elapsedS.toFixed(1)} s of the ${ctx.durationS} s window (reported as measured)`);
  }
  return {
    connections: n,
    elapsedS,
    latenciesMs: samples.map((s) => s.ms),
    errors: samples.filter((s) => !s.ok).length,
    ...counted,
  };
}

/** `webhook-replay`: already-applied event ids delivered again (the replay fast path), cycling over the captured events. */
export async function webhookReplay(ctx: ScenarioContext): Promise<ScenarioResult> {
  const n = loopsFor(ctx);
  let events = await captured(ctx.baseUrl);
  if (events.length < n + 1) events = await capturePaidEvents(ctx, n + 1, 60);
  // Replays need events the Worker has seen: deliver the others once, untimed.
  for (const event of events.filter((e) => !e.delivered)) {
    const r = await post(ctx, event);
    if (r.status !== 200) throw new Error(`webhook-replay setup: first delivery answered ${r.status}: ${r.text.slice(0, 300)}`);
    event.delivered = true;
  }
  const pool = events.slice(0, Math.max(n, 1000));
  const { answer: probe, probe: counted } = await probeCalls('probe webhook-replay', () => post(ctx, pool[0]!));
  if (probe.status !== 200 || probe.replay !== true) throw new Error(`probe webhook-replay: answered ${probe.status}: ${probe.text.slice(0, 300)}`);
  if (ctx.probeOnly) return probed(counted);
  const report = firstFailure(ctx);
  let next = 0;
  const step = async () => {
    const event = pool[next++ % pool.length]!;
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    const sample = await timed(async () => (answer = await post(ctx, event)), 200);
    if (sample.ok && answer?.replay !== true) sample.ok = false;
    if (!sample.ok) report('POST /api/v1/webhooks/stripe (replay)', answer?.status ?? 0, answer?.text ?? 'no answer');
    return sample;
  };
  const workers = Array.from({ length: n }, (_, i) => i);
  if (ctx.warmupS > 0) await loops(workers, ctx.warmupS, ctx.stopped, step);
  const { samples, elapsedS } = await loops(workers, ctx.durationS, ctx.stopped, step);
  return {
    connections: n,
    elapsedS,
    latenciesMs: samples.map((s) => s.ms),
    errors: samples.filter((s) => !s.ok).length,
    ...counted,
  };
}

// ---- inventory-hot-sku ------------------------------------------------------------------------

/**
 * A flash sale's shape: every loop reserves and releases on ONE SKU
 * (POST /bench/reserve-release/:sku), split into `shards` stock shards by the
 * admin route first (a SKU of its own per entry, so the two entries of a run
 * do not share objects). The path column reports how long one reserve or
 * release held its object, measured inside the object (GET /bench/inventory-hold/:sku).
 */
/** SKUs this process has split, by their shard count. */
const splitSkus = new Map<string, number>();

export function inventoryHotSku(shards: number) {
  return async (ctx: ScenarioContext): Promise<ScenarioResult> => {
    const skus = await stockedSkus(ctx.baseUrl);
    // The last SKUs: the carts and orders of the other entries use the first ones.
    const sku = skus[Math.max(0, skus.length - (shards > 1 ? 2 : 1))]!;
    const admin = await analyticsAdminToken(ctx.baseUrl);
    // Split once per run: with --latency the entry runs twice, and a SKU with units still reserved cannot be resplit.
    const split = splitSkus.get(sku) === shards
      ? { status: 200, text: '' }
      : await call(ctx.baseUrl, 'PUT', `/api/v1/inventory/${encodeURIComponent(sku)}/shards`, { token: admin, body: { count: shards } });
    if (split.status === 200) splitSkus.set(sku, shards);
    if (split.status !== 200) throw new Error(`inventory-hot-sku: PUT /api/v1/inventory/${sku}/shards answered ${split.status}: ${split.text.slice(0, 300)}`);
    const path = `/bench/reserve-release/${encodeURIComponent(sku)}`;
    const step = () => timed(() => call(ctx.baseUrl, 'POST', path), 200);

    const { answer: probe, probe: counted } = await probeCalls('probe inventory-hot-sku', () => call(ctx.baseUrl, 'POST', path));
    if (probe.status !== 200) throw new Error(`probe inventory-hot-sku: answered ${probe.status}: ${probe.text.slice(0, 300)}`);
    if (ctx.probeOnly) return probed(counted);

    const workers = Array.from({ length: loopsFor(ctx) }, (_, i) => i);
    if (ctx.warmupS > 0) await loops(workers, ctx.warmupS, ctx.stopped, step);
    await call(ctx.baseUrl, 'GET', `/bench/inventory-hold/${encodeURIComponent(sku)}`); // counts only the measured window
    const { samples, elapsedS } = await loops(workers, ctx.durationS, ctx.stopped, step);
    const hold = JSON.parse((await call(ctx.baseUrl, 'GET', `/bench/inventory-hold/${encodeURIComponent(sku)}`)).text) as { calls: number; avgHoldMs: number };
    ctx.log(`inventory-hot-sku (${shards} shard${shards > 1 ? 's' : ''}): one reserve or release held its object ${hold.avgHoldMs.toFixed(3)} ms on average (${hold.calls} calls)`);
    return {
      connections: workers.length,
      elapsedS,
      latenciesMs: samples.map((s) => s.ms),
      errors: samples.filter((s) => !s.ok).length,
      ...counted,
      path: `/bench/reserve-release/<one sku, ${shards} shard${shards > 1 ? 's' : ''}> [object held ${hold.avgHoldMs.toFixed(3)} ms/call]`,
    };
  };
}
