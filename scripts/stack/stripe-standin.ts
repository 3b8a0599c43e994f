/**
 * Local Stripe stand-in: a small HTTP server that speaks Stripe's real v1 wire
 * protocol for the calls UltraMarket's API makes, so the same API code runs
 * against it in development and tests and against real Stripe in production.
 * Dev/test tooling only: never import it from Worker code.
 *
 * Point the official SDK at it:
 *
 *   const standin = await startStripeStandin({ webhookUrl: 'http://127.0.0.1:8787/api/v1/webhooks/stripe' });
 *   const stripe = new Stripe(standin.apiKey, {
 *     host: standin.host, port: standin.port, protocol: 'http',
 *     httpClient: Stripe.createFetchHttpClient(),
 *   });
 *   // Webhooks arrive signed with standin.webhookSecret (use it as STRIPE_WEBHOOK_SECRET).
 *
 * What it supports (test mode, card payments, one account):
 *   POST /v1/payment_intents                 amount, currency, metadata, description, payment_method, confirm, return_url,
 *                                            automatic_payment_methods[enabled|allow_redirects], allowed_payment_method_types[]
 *                                            (must include card; the installed SDK's API version only offers this one), or the
 *                                            legacy payment_method_types[] (card only; turns automatic payment methods off),
 *                                            capture_method (automatic | automatic_async | manual), receipt_email,
 *                                            statement_descriptor_suffix, transfer_group
 *   GET  /v1/payment_intents/:id             (expand: latest_charge, payment_method)
 *   POST /v1/payment_intents/:id             update: metadata (merge; '' removes a key), description, amount, currency, payment_method…
 *   POST /v1/payment_intents/:id/confirm     payment_method, return_url, receipt_email, capture_method, allowed_payment_method_types
 *   POST /v1/payment_intents/:id/capture     amount_to_capture, metadata (manual capture)
 *   POST /v1/payment_intents/:id/cancel      cancellation_reason; only from cancelable states, else 400 payment_intent_unexpected_state
 *   POST /v1/refunds                         payment_intent or charge, amount (default: what is left), reason, metadata
 *   GET  /v1/refunds/:id, GET /v1/charges/:id, GET /v1/payment_methods/:id, GET /v1/events/:id
 *   - Stripe's test PaymentMethods: pm_card_visa, pm_card_visa_debit, pm_card_mastercard, pm_card_amex succeed;
 *     pm_card_chargeDeclined (generic_decline), pm_card_chargeDeclinedInsufficientFunds, pm_card_chargeDeclinedExpiredCard,
 *     pm_card_chargeDeclinedIncorrectCvc answer 402 card_error and put the PaymentIntent back to requires_payment_method;
 *     pm_card_authenticationRequired / pm_card_threeDSecure2Required stop at requires_action (next_action use_stripe_sdk,
 *     or redirect_to_url when confirmed with a return_url). Complete or fail the "3-D Secure" step with
 *     `standin.completeAction(id, 'succeed' | 'fail')` or by opening next_action.redirect_to_url.url in a browser.
 *     Like Stripe, `pm_card_visa` becomes a fresh `pm_…` on first use, usable with that one PaymentIntent only.
 *   - Stripe's rules where our code could trip over them: automatic payment methods are on by default, and confirming with
 *     them needs a return_url unless allow_redirects=never or allowed_payment_method_types is just card; minimum charge
 *     amounts; metadata limits; refunds never exceed what was captured (amount_too_large, charge_already_refunded);
 *     unknown parameters are rejected (parameter_unknown).
 *   - Errors are Stripe-shaped `{ error: { type, code, message, param, doc_url, request_log_url } }` with Stripe's statuses
 *     (400, 401, 402, 404), so the SDK throws the same classes (StripeInvalidRequestError, StripeCardError, …).
 *     Every response carries a `request-id`.
 *   - Auth: `Authorization: Bearer <apiKey>` (or Basic with the key as user name, like curl -u); else 401.
 *   - Idempotency-Key (POST): same key and parameters replay the saved response with `Idempotent-Replayed: true`;
 *     another endpoint or other parameters get 400 idempotency_error. Keys are scoped per API key and kept 24 hours.
 *     As at Stripe, a request that fails parameter validation is not saved, so it can be retried with the same key.
 *   - Webhooks: every event is POSTed to the webhook URL with Stripe's `Stripe-Signature: t=…,v1=…` header (HMAC-SHA256
 *     with the whsec_ secret), so `stripe.webhooks.constructEventAsync(rawBody, header, secret)` verifies it. Delivery is
 *     asynchronous (after the API response), retried with backoff on non-2xx answers, and controllable from tests:
 *     setDelivery({ delayMs, duplicate, shuffle, hold }), flush(), redeliver(id). Events emitted:
 *     payment_intent.created / .succeeded / .payment_failed / .requires_action / .amount_capturable_updated / .canceled,
 *     charge.succeeded / .failed / .captured / .refunded, refund.created.
 *   - Fault injection: failNext(n, '500' | 'timeout') fails (or hangs) the next n API calls before they run.
 *
 * What it does not do: everything else Stripe has. No Customers, SetupIntents, Checkout, Billing, Connect (Stripe-Account),
 * Radar, disputes, payouts, list/search endpoints, payment method types other than cards, payment_method_data or
 * confirmation tokens, asynchronous `processing` states, API-version-specific rendering (objects follow the version of the
 * installed `stripe` package), rate limits, or webhook endpoint management. Unknown endpoints answer Stripe's 404
 * "Unrecognized request URL"; parameters Stripe accepts but the stand-in does not model answer 400 parameter_unknown with a
 * note pointing here. State lives in memory and is lost on close. Approximations: releasing an authorisation (cancel in
 * requires_capture, partial capture) is shown the way the Charge object shows it; exact error wording may differ slightly.
 *
 * Using real Stripe (test mode) instead, e.g. to check a flow the stand-in does not model:
 *   1. Put your test secret key in the Worker's environment: STRIPE_SECRET_KEY=sk_test_… (Dashboard → Developers → API keys),
 *      and do not point the Stripe client at the stand-in (no host/port/protocol overrides).
 *   2. Forward Stripe's webhooks to the local Worker with the Stripe CLI:
 *        stripe listen --forward-to localhost:8787/api/v1/webhooks/stripe
 *   3. Put the `whsec_…` secret that `stripe listen` prints in STRIPE_WEBHOOK_SECRET, and restart the dev server.
 *   `stripe trigger payment_intent.succeeded` then sends test events; the same pm_card_* IDs work there.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { acrossNetwork } from './network-http';
import { StripeApiError, docUrl, paramError, type StripeErrorPayload } from './stripe-standin/errors';
import { canonicalJson, parseForm, type FormObject } from './stripe-standin/form';
import { newId, nowSeconds } from './stripe-standin/ids';
import { Ledger, type OperationContext, type OperationResult, type StripeEvent } from './stripe-standin/ledger';
import { WebhookDispatcher, generateWebhookSecret, signatureHeader, type DeliveryAttempt, type DeliveryMode } from './stripe-standin/webhooks';

export type { StripeEvent, StripeEventType, StripeObject } from './stripe-standin/ledger';
export type { DeliveryAttempt, DeliveryMode } from './stripe-standin/webhooks';
export { signatureHeader };

export interface StripeStandinOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind. Default 0 (the OS picks one; read it back from `port`/`url`). */
  port?: number;
  /** Where events are POSTed; can be set later with setWebhookUrl(). Without one, events are recorded but not sent. */
  webhookUrl?: string;
  /** Signing secret. Default: a generated `whsec_…`. */
  webhookSecret?: string;
  /** The secret key requests must present. Default 'sk_test_standin'. */
  apiKey?: string;
  /** `api_version` of events and the default `Stripe-Version` header. Default: the installed `stripe` package's version. */
  apiVersion?: string;
  /** Waits before each webhook retry (one retry per entry). Default [500, 2000, 8000]. */
  webhookRetryDelaysMs?: number[];
  /** Per-attempt webhook timeout. Default 10 000 ms. */
  webhookTimeoutMs?: number;
  /** Diagnostics: injected faults, webhook deliveries given up, internal errors. */
  log?: (line: string) => void;
}

export interface StripeStandin {
  url: string;
  host: string;
  port: number;
  apiKey: string;
  webhookSecret: string;
  setWebhookUrl(url: string | undefined): void;
  /** Delivery behaviour for subsequent events (replaces the previous mode; `{}` restores immediate delivery). */
  setDelivery(mode: DeliveryMode): void;
  /** Every event created so far, oldest first (delivered, held or undelivered). */
  events(): StripeEvent[];
  /** Events currently held by `hold` / `shuffle`, waiting for flush(). */
  heldEvents(): StripeEvent[];
  /** Deliver held events now (shuffled / twice per the options, defaulting to the current mode); resolves when settled. */
  flush(options?: { shuffle?: boolean; duplicate?: boolean }): Promise<void>;
  /** Re-send one event (a single signed attempt, no retries) and return the receiver's response. */
  redeliver(eventId: string): Promise<Response>;
  /** Every webhook POST attempted so far, for assertions about retries and ordering. */
  deliveries(): DeliveryAttempt[];
  /** Resolves when no webhook delivery is pending (delayed, in flight or between retries); held events do not count. */
  idle(): Promise<void>;
  /**
   * Fail the next N API calls with HTTP 500 (api_error) or hang them (timeout) — before they run, so nothing changes.
   * With `match`, only calls whose path or form body contains it (a PaymentIntent id, a metadata value): tests running in
   * parallel then never take each other's faults.
   */
  failNext(count: number, kind?: '500' | 'timeout', match?: string): void;
  /** Finish a PaymentIntent's 3-D Secure step (status requires_action) as the customer would: succeed or fail. */
  completeAction(paymentIntentId: string, outcome?: 'succeed' | 'fail'): Stripe.PaymentIntent;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_MAX_ENTRIES = 50_000;

interface SavedResponse {
  method: string;
  path: string;
  params: string;
  status: number;
  body: string;
  requestId: string;
  savedAt: number;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  run(ids: string[], form: FormObject, ctx: OperationContext): OperationResult;
}

function routes(ledger: Ledger): Route[] {
  const id = (ids: string[]) => ids[0] ?? '';
  return [
    { method: 'POST', pattern: /^\/v1\/payment_intents$/, run: (_ids, form, ctx) => ledger.createPaymentIntent(form, ctx) },
    { method: 'GET', pattern: /^\/v1\/payment_intents\/([^/]+)$/, run: (ids, form) => ledger.retrievePaymentIntent(id(ids), form) },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)$/, run: (ids, form) => ledger.updatePaymentIntent(id(ids), form) },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/, run: (ids, form, ctx) => ledger.confirmPaymentIntent(id(ids), form, ctx) },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/, run: (ids, form, ctx) => ledger.capturePaymentIntent(id(ids), form, ctx) },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, run: (ids, form, ctx) => ledger.cancelPaymentIntent(id(ids), form, ctx) },
    { method: 'POST', pattern: /^\/v1\/refunds$/, run: (_ids, form, ctx) => ledger.createRefund(form, ctx) },
    { method: 'GET', pattern: /^\/v1\/refunds\/([^/]+)$/, run: (ids, form) => ledger.retrieveRefund(id(ids), form) },
    { method: 'GET', pattern: /^\/v1\/charges\/([^/]+)$/, run: (ids, form) => ledger.retrieveCharge(id(ids), form) },
    { method: 'GET', pattern: /^\/v1\/payment_methods\/([^/]+)$/, run: (ids) => ledger.retrievePaymentMethod(id(ids)) },
    { method: 'GET', pattern: /^\/v1\/events\/([^/]+)$/, run: (ids) => ledger.retrieveEvent(id(ids)) },
  ];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(paramError(`Request body larger than ${MAX_BODY_BYTES} bytes.`, { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The key a request presents: Bearer, or Basic with the key as user name (curl -u sk_test_…:). */
function presentedKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1].trim();
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic?.[1]) return Buffer.from(basic[1].trim(), 'base64').toString('utf8').split(':')[0] || undefined;
  return header.trim() || undefined;
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `sk_test_****************dTzX`, as Stripe prints keys in its 401 message. */
function maskKey(key: string): string {
  const prefix = /^[a-z]{2,3}_(?:test_|live_)?/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  if (rest.length <= 4) return `${prefix}${'*'.repeat(rest.length)}`;
  return `${prefix}${'*'.repeat(rest.length - 4)}${rest.slice(-4)}`;
}

function html(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startStripeStandin(options: StripeStandinOptions = {}): Promise<StripeStandin> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? 'sk_test_standin';
  const webhookSecret = options.webhookSecret ?? generateWebhookSecret();
  const apiVersion = options.apiVersion ?? Stripe.API_VERSION;
  const log = options.log ?? (() => {});
  const ledger = new Ledger(apiVersion);
  const dispatcher = new WebhookDispatcher({
    secret: webhookSecret,
    url: options.webhookUrl,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [500, 2000, 8000],
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    log,
  });
  const table = routes(ledger);
  const saved = new Map<string, SavedResponse>();
  const faults: Array<{ kind: '500' | 'timeout'; match?: string }> = [];
  let baseUrl = '';

  function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-cache, no-store',
      ...headers,
    });
    res.end(body);
  }

  function errorBody(error: StripeApiError, requestId: string): string {
    const payload: StripeErrorPayload = { ...error.payload };
    if (payload.code && !payload.doc_url) payload.doc_url = docUrl(payload.code);
    payload.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}?t=${nowSeconds()}`;
    return JSON.stringify({ error: payload }, null, 2);
  }

  function pruneSaved(): void {
    const cutoff = Date.now() - IDEMPOTENCY_TTL_MS;
    for (const [key, entry] of saved) {
      if (entry.savedAt >= cutoff && saved.size < IDEMPOTENCY_MAX_ENTRIES) break;
      saved.delete(key); // Map order is insertion order: oldest first.
    }
  }

  /** Hands a request's events to the dispatcher once its response is out (never inside it). */
  function afterResponse(res: ServerResponse, events: StripeEvent[]): void {
    if (events.length === 0) return;
    let done = false;
    const handOver = () => {
      if (done) return;
      done = true;
      dispatcher.accept(events);
    };
    res.once('finish', handOver);
    res.once('close', handOver);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, requestId: string, pathname: string, query: string): Promise<void> {
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : '';
    const stripeVersion = String(req.headers['stripe-version'] ?? apiVersion);
    const headers: Record<string, string> = { 'request-id': requestId, 'stripe-version': stripeVersion };

    const matches = (text: string) => pathname.includes(text) || body.includes(text) || body.includes(encodeURIComponent(text));
    const at = faults.findIndex((f) => f.match === undefined || matches(f.match));
    const fault = at < 0 ? undefined : faults.splice(at, 1)[0]?.kind;
    if (fault === 'timeout') {
      log(`${method} ${pathname}: hanging (failNext timeout)`);
      return; // never answered; the client times out, close() drops the socket
    }
    if (fault === '500') {
      log(`${method} ${pathname}: 500 (failNext)`);
      const error = new StripeApiError(500, { type: 'api_error', message: 'An unknown error occurred. (Injected by the local Stripe stand-in: failNext.)' }, false);
      sendJson(res, 500, errorBody(error, requestId), headers);
      return;
    }

    const key = presentedKey(req.headers.authorization);
    if (!key || !sameKey(key, apiKey)) {
      const message = key
        ? `Invalid API Key provided: ${maskKey(key)}`
        : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
          'See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.';
      const error = new StripeApiError(401, { type: 'invalid_request_error', message }, false);
      sendJson(res, 401, errorBody(error, requestId), { ...headers, 'www-authenticate': 'Bearer realm="Stripe"' });
      return;
    }
    if (req.headers['stripe-account']) {
      const error = paramError('The local Stripe stand-in does not support Connect: remove the Stripe-Account header (or use Stripe test mode).');
      sendJson(res, 400, errorBody(error, requestId), headers);
      return;
    }

    let route: Route | undefined;
    let ids: string[] = [];
    for (const candidate of table) {
      const match = candidate.method === method ? candidate.pattern.exec(pathname) : null;
      if (!match) continue;
      try {
        ids = match.slice(1).map((part) => decodeURIComponent(part));
        route = candidate;
      } catch {
        // Malformed percent-encoding: no such URL.
      }
      break;
    }
    if (!route) {
      const error = paramError(
        `Unrecognized request URL (${method}: ${pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/. ` +
          '(The local Stripe stand-in implements only the endpoints listed in scripts/stack/stripe-standin.ts.)',
        { status: 404 },
      );
      sendJson(res, 404, errorBody(error, requestId), headers);
      return;
    }

    const idempotencyKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    let form: FormObject;
    try {
      form = parseForm(method === 'POST' ? body : query);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      sendJson(res, error.status, errorBody(error, requestId), headers);
      return;
    }
    const params = canonicalJson(form);
    const savedKey = idempotencyKey !== undefined ? `${apiKey}\u0000${idempotencyKey}` : undefined;
    if (idempotencyKey !== undefined && savedKey !== undefined) {
      if (idempotencyKey.length > 255) {
        const error = paramError('Idempotency-Key must be at most 255 characters long.');
        sendJson(res, 400, errorBody(error, requestId), headers);
        return;
      }
      const previous = saved.get(savedKey);
      if (previous && Date.now() - previous.savedAt > IDEMPOTENCY_TTL_MS) saved.delete(savedKey);
      else if (previous) {
        let message: string | undefined;
        if (previous.method !== method || previous.path !== pathname) {
          message =
            `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.method} ${previous.path}' vs ` +
            `'${method} ${pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`;
        } else if (previous.params !== params) {
          message =
            'Keys for idempotent requests can only be used with the same parameters they were first used with. ' +
            `Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`;
        }
        if (message) {
          const error = new StripeApiError(400, { type: 'idempotency_error', message }, false);
          sendJson(res, 400, errorBody(error, requestId), headers);
          return;
        }
        sendJson(res, previous.status, previous.body, { ...headers, 'idempotent-replayed': 'true', 'original-request': previous.requestId });
        return;
      }
    }

    const ctx: OperationContext = { requestId, idempotencyKey: idempotencyKey ?? null, baseUrl, events: [] };
    let status: number;
    let responseBody: string;
    let save: boolean;
    try {
      const result = route.run(ids, form, ctx);
      status = result.status;
      if (status >= 400) {
        // An executed error (a decline): the body is `{ error }` and gets the usual decorations.
        const payload = (result.body as { error: StripeErrorPayload }).error;
        responseBody = errorBody(new StripeApiError(status, payload, true), requestId);
      } else {
        responseBody = JSON.stringify(result.body, null, 2);
      }
      save = true;
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      responseBody = errorBody(error, requestId);
      save = error.saved;
    }
    if (save && savedKey !== undefined) {
      saved.set(savedKey, { method, path: pathname, params, status, body: responseBody, requestId, savedAt: Date.now() });
      pruneSaved();
    }
    afterResponse(res, ctx.events);
    sendJson(res, status, responseBody, headers);
  }

  /** The page behind next_action.redirect_to_url: the customer passes or fails "3-D Secure". */
  async function handleAuthenticationPage(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const info = ledger.returnUrlFor(id);
    const send = (status: number, page: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    };
    if (!info) return send(404, html('Not found', `<p>No PaymentIntent ${escapeHtml(id)}.</p>`));
    if (req.method === 'GET') {
      if (info.status !== 'requires_action') {
        return send(409, html('Nothing to authenticate', `<p>PaymentIntent ${escapeHtml(id)} has status ${escapeHtml(info.status)}.</p>`));
      }
      return send(
        200,
        html(
          'Stripe stand-in: 3-D Secure',
          `<h1>3-D Secure test page</h1><p>Local Stripe stand-in, PaymentIntent <code>${escapeHtml(id)}</code>.</p>` +
            `<form method="post"><button name="outcome" value="succeed">Complete authentication</button> ` +
            `<button name="outcome" value="fail">Fail authentication</button></form>`,
        ),
      );
    }
    const outcome = parseForm(await readBody(req)).outcome === 'fail' ? 'fail' : 'succeed';
    let pi: Stripe.PaymentIntent;
    try {
      pi = completeAction(id, outcome);
    } catch (error) {
      return send(409, html('Cannot authenticate', `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`));
    }
    if (!info.returnUrl) return send(200, html('Done', `<p>Authentication ${outcome === 'fail' ? 'failed' : 'completed'}; status ${escapeHtml(pi.status)}.</p>`));
    const target = new URL(info.returnUrl);
    target.searchParams.set('payment_intent', id);
    if (info.clientSecret) target.searchParams.set('payment_intent_client_secret', info.clientSecret);
    target.searchParams.set('redirect_status', pi.status === 'succeeded' || pi.status === 'requires_capture' ? 'succeeded' : 'failed');
    res.writeHead(303, { location: target.toString() });
    res.end();
  }

  function completeAction(paymentIntentId: string, outcome: 'succeed' | 'fail' = 'succeed'): Stripe.PaymentIntent {
    const ctx: OperationContext = { requestId: null, idempotencyKey: null, baseUrl, events: [] };
    const pi = ledger.completeAuthentication(paymentIntentId, outcome, ctx);
    setImmediate(() => dispatcher.accept(ctx.events));
    return pi;
  }

  const listener: RequestListener = (req, res) => {
    const requestId = newId('req', 14);
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const page = /^\/standin\/authenticate\/(pi_[A-Za-z0-9]+)$/.exec(pathname);
    const work = page?.[1] ? handleAuthenticationPage(req, res, page[1]) : handleApi(req, res, requestId, pathname, query);
    work.catch((error: unknown) => {
      if (error instanceof StripeApiError) {
        sendJson(res, error.status, errorBody(error, requestId), { 'request-id': requestId });
        return;
      }
      log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const internal = new StripeApiError(500, { type: 'api_error', message: `Internal error in the local Stripe stand-in: ${String(error)}` }, false);
      sendJson(res, 500, errorBody(internal, requestId), { 'request-id': requestId });
    });
  };
  // API calls cross the network to Stripe; the 3-D Secure page is a person's browser, not the Worker.
  const server: Server = createServer(acrossNetwork('stripe', listener, (req) => !(req.url ?? '').startsWith('/standin/')));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  baseUrl = `http://${urlHost}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: baseUrl,
    host,
    port,
    apiKey,
    webhookSecret,
    setWebhookUrl(url) {
      dispatcher.url = url;
    },
    setDelivery(mode) {
      dispatcher.mode = { ...mode };
    },
    events: () => structuredClone(ledger.allEvents()),
    heldEvents: () => structuredClone(dispatcher.heldEvents()),
    flush: (flushOptions) => dispatcher.flush(flushOptions),
    async redeliver(eventId) {
      const event = ledger.event(eventId);
      if (!event) throw new Error(`stripe-standin: no event ${eventId}`);
      return dispatcher.redeliver(event);
    },
    deliveries: () => dispatcher.deliveries(),
    idle: () => dispatcher.idle(),
    failNext(count, kind = '500', match) {
      if (!Number.isInteger(count) || count < 0) throw new Error(`stripe-standin: failNext needs a non-negative integer, got ${count}`);
      for (let i = 0; i < count; i++) faults.push({ kind, match });
    },
    completeAction,
    close() {
      closing ??= (async () => {
        dispatcher.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Keep-alive sockets and requests hung by failNext('timeout') would keep close() waiting.
          server.closeAllConnections();
        });
        await dispatcher.idle();
      })();
      return closing;
    },
  };
}
