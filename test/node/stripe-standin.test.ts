import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStripeStandin, type StripeStandin } from '../../scripts/stack/stripe-standin';

// ---------------------------------------------------------------------------
// A tiny webhook receiver: records raw bodies and signatures, answers what the test says.
// ---------------------------------------------------------------------------

interface Delivery {
  raw: string;
  signature: string;
  headers: Record<string, string | string[] | undefined>;
  event: { id: string; type: string; request: { id: string | null; idempotency_key: string | null }; data: { object: { id: string; payment_intent?: string | null } } };
  receivedAt: number;
}

class Receiver {
  readonly received: Delivery[] = [];
  respond: (delivery: Delivery) => number | Promise<number> = () => 200;
  url = '';
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const delivery: Delivery = {
        raw,
        signature: String(req.headers['stripe-signature'] ?? ''),
        headers: req.headers,
        event: JSON.parse(raw) as Delivery['event'],
        receivedAt: Date.now(),
      };
      this.received.push(delivery);
      void Promise.resolve(this.respond(delivery)).then((status) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{"received":true}');
      });
    });
  });

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.url = `http://127.0.0.1:${port}/api/v1/webhooks/stripe`;
    return receiver;
  }

  /** Deliveries about one object: the PaymentIntent itself, or its charges and refunds. */
  about(paymentIntentId: string): Delivery[] {
    return this.received.filter((d) => d.event.data.object.id === paymentIntentId || d.event.data.object.payment_intent === paymentIntentId);
  }

  typesFor(paymentIntentId: string): string[] {
    return this.about(paymentIntentId).map((d) => d.event.type);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; received: ${this.received.map((d) => d.event.type).join(', ')}`);
      await sleep(10);
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------

let standin: StripeStandin;
let receiver: Receiver;
let stripe: Stripe;

function client(config: Stripe.StripeConfig = {}, key = standin.apiKey): Stripe {
  return new Stripe(key, {
    host: standin.host,
    port: standin.port,
    protocol: 'http',
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 0,
    ...config,
  });
}

/** Raw form POST/GET, for what the SDK hides (headers, curl-style encodings, missing keys). */
async function raw(method: 'GET' | 'POST', path: string, body = '', headers: Record<string, string> = {}) {
  const res = await fetch(`${standin.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${standin.apiKey}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'POST' ? body : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

async function expectStripeError<T extends Stripe.errors.StripeError>(promise: Promise<unknown>, errorClass: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorClass);
  return error as T;
}

/** lastResponse.headers is a fetch Headers object with the fetch HTTP client, a plain record with the Node one. */
function responseHeader(response: { headers: unknown }, name: string): string | undefined {
  const { headers } = response;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return (headers as Record<string, string | undefined>)[name];
}

async function verified(delivery: Delivery): Promise<Stripe.Event> {
  return stripe.webhooks.constructEventAsync(delivery.raw, delivery.signature, standin.webhookSecret);
}

async function succeededPayment(amount = 5000): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
}

function countOf(type: string): number {
  return standin.events().filter((e) => e.type === type).length;
}

beforeAll(async () => {
  receiver = await Receiver.start();
  standin = await startStripeStandin({ webhookUrl: receiver.url, webhookRetryDelaysMs: [50, 100, 150] });
  stripe = client();
});

afterEach(async () => {
  standin.setDelivery({});
  receiver.respond = () => 200;
  await standin.flush();
  await standin.idle();
});

afterAll(async () => {
  await standin?.close();
  await receiver?.close();
});

// ---------------------------------------------------------------------------

describe('PaymentIntents through the official SDK', () => {
  it('creates and retrieves a PaymentIntent shaped like Stripe’s', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1999, currency: 'USD', description: 'order 42', metadata: { order_id: 'ord_42', cart: 'c1' } });
    expect(pi.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(pi).toMatchObject({
      object: 'payment_intent',
      amount: 1999,
      amount_received: 0,
      currency: 'usd',
      status: 'requires_payment_method',
      metadata: { order_id: 'ord_42', cart: 'c1' },
      description: 'order 42',
      latest_charge: null,
      livemode: false,
      automatic_payment_methods: { enabled: true },
      capture_method: 'automatic_async',
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_[A-Za-z0-9]+$`));
    expect(pi.created).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(pi.lastResponse.requestId).toMatch(/^req_/);

    const again = await stripe.paymentIntents.retrieve(pi.id);
    expect(again).toEqual(pi);
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.created'));
  });

  it('pm_card_visa succeeds: a captured charge, latest_charge set, signed webhooks', async () => {
    const pi = await stripe.paymentIntents.create(
      { amount: 2500, currency: 'usd', allowed_payment_method_types: ['card'], metadata: { order_id: 'ord_visa' } },
      { idempotencyKey: 'visa-create-1' },
    );
    // Cards only: automatic payment methods stay on, and no return_url is needed to confirm.
    expect(pi).toMatchObject({ allowed_payment_method_types: ['card'], payment_method_types: ['card'], automatic_payment_methods: { enabled: true } });
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa', expand: ['latest_charge'] });
    expect(confirmed.status).toBe('succeeded');
    expect(confirmed.amount_received).toBe(2500);
    // Like Stripe, the test PaymentMethod becomes a fresh pm_… of its own.
    expect(confirmed.payment_method).toMatch(/^pm_(?!card_)/);
    const charge = confirmed.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 2500,
      amount_captured: 2500,
      amount_refunded: 0,
      captured: true,
      paid: true,
      refunded: false,
      status: 'succeeded',
      payment_intent: pi.id,
      metadata: { order_id: 'ord_visa' },
    });
    expect(charge.id).toMatch(/^ch_/);
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect((await stripe.charges.retrieve(charge.id)).amount_captured).toBe(2500);
    // …and, without a Customer, it cannot be used for another payment.
    const reuse = await expectStripeError(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: confirmed.payment_method as string, confirm: true }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(reuse.message).toContain('It may not be used again');

    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.succeeded'));
    expect(receiver.typesFor(pi.id)).toEqual(expect.arrayContaining(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']));
    for (const delivery of receiver.about(pi.id)) {
      const event = await verified(delivery);
      expect(event).toMatchObject({ object: 'event', livemode: false, pending_webhooks: 1, api_version: Stripe.API_VERSION });
      expect(event.id).toMatch(/^evt_/);
    }
    const created = receiver.about(pi.id).find((d) => d.event.type === 'payment_intent.created');
    expect(created?.event.request).toEqual({ id: pi.lastResponse.requestId, idempotency_key: 'visa-create-1' });
    const succeeded = receiver.about(pi.id).find((d) => d.event.type === 'payment_intent.succeeded');
    expect(succeeded?.event.request.id).toBe(confirmed.lastResponse.requestId);
    expect((await verified(succeeded as Delivery)).data.object).toMatchObject({ id: pi.id, status: 'succeeded', latest_charge: charge.id });
  });

  it('pm_card_mastercard with automatic payment methods: return_url required unless redirects are off', async () => {
    const eventsBefore = countOf('payment_intent.created');
    const missing = await expectStripeError(
      stripe.paymentIntents.create({ amount: 1500, currency: 'eur', automatic_payment_methods: { enabled: true }, payment_method: 'pm_card_mastercard', confirm: true }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(missing.message).toContain('you must provide a `return_url`');
    expect(countOf('payment_intent.created')).toBe(eventsBefore); // nothing was created

    const pi = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      payment_method: 'pm_card_mastercard',
      confirm: true,
      expand: ['latest_charge'],
    });
    expect(pi.status).toBe('succeeded');
    expect((pi.latest_charge as Stripe.Charge).payment_method_details?.card).toMatchObject({ brand: 'mastercard', last4: '4444' });

    const withReturnUrl = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      return_url: 'http://localhost:5173/checkout/done',
    });
    expect(withReturnUrl.status).toBe('succeeded');
  });

  it('pm_card_chargeDeclined: 402 card_error, back to requires_payment_method, payment_failed event', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', allowed_payment_method_types: ['card'] });
    const error = await expectStripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }), Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.rawType).toBe('card_error');
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('generic_decline');
    expect(error.message).toBe('Your card was declined.');
    expect(error.doc_url).toBe('https://stripe.com/docs/error-codes/card-declined');
    expect(error.requestId).toMatch(/^req_/);
    expect(error.payment_intent).toMatchObject({ id: pi.id, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', type: 'card_error' } });

    const after = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(after.status).toBe('requires_payment_method');
    expect(after.payment_method).toBeNull();
    expect(after.last_payment_error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect(after.latest_charge).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.payment_failed'));
    expect(receiver.typesFor(pi.id)).toContain('charge.failed');
    expect(receiver.typesFor(pi.id)).not.toContain('payment_intent.succeeded');

    // The customer tries another card.
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
    expect(retried.last_payment_error).toBeNull();
  });

  it('pm_card_authenticationRequired stops at requires_action until the customer authenticates', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_authenticationRequired', confirm: true });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('use_stripe_sdk');
    expect(pi.latest_charge).toBeNull();
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.requires_action'));
    expect(receiver.typesFor(pi.id)).not.toContain('payment_intent.succeeded');

    standin.completeAction(pi.id, 'succeed');
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.succeeded'));
  });

  it('3-D Secure via redirect: next_action.redirect_to_url, failing it returns to the return_url', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
      return_url: 'http://localhost:5173/checkout/return',
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    const page = pi.next_action?.redirect_to_url?.url as string;
    expect((await fetch(page)).status).toBe(200);
    const answer = await fetch(page, { method: 'POST', body: 'outcome=fail', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('http://localhost:5173/checkout/return');
    expect(location.searchParams.get('payment_intent')).toBe(pi.id);
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });

  it('an unknown payment method is a 400 resource_missing', async () => {
    const error = await expectStripeError(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_doesNotExist', allowed_payment_method_types: ['card'], confirm: true }),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('payment_method');
    expect(error.message).toBe("No such PaymentMethod: 'pm_card_doesNotExist'");
    const missing = await expectStripeError(stripe.paymentIntents.retrieve('pi_doesnotexist'), Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
  });

  it('cancels only from cancelable states', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toBeGreaterThan(0);
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.canceled'));

    const twice = await expectStripeError(stripe.paymentIntents.cancel(pi.id), Stripe.errors.StripeInvalidRequestError);
    expect(twice.code).toBe('payment_intent_unexpected_state');
    expect(twice.message).toMatch(/^You cannot cancel this PaymentIntent because it has a status of canceled\./);
    const confirmCanceled = await expectStripeError(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }), Stripe.errors.StripeInvalidRequestError);
    expect(confirmCanceled.code).toBe('payment_intent_unexpected_state');

    const paid = await succeededPayment();
    const notCancelable = await expectStripeError(stripe.paymentIntents.cancel(paid.id), Stripe.errors.StripeInvalidRequestError);
    expect(notCancelable.statusCode).toBe(400);
    expect(notCancelable.code).toBe('payment_intent_unexpected_state');
    expect(notCancelable.message).toContain('status of succeeded');
    expect((await stripe.paymentIntents.retrieve(paid.id)).status).toBe('succeeded');
  });

  it('updates merge metadata; an empty value removes a key', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { a: '1', b: '2' } });
    const updated = await stripe.paymentIntents.update(pi.id, { metadata: { b: '', c: '3' }, description: 'now described' });
    expect(updated.metadata).toEqual({ a: '1', c: '3' });
    expect(updated.description).toBe('now described');
    expect((await stripe.paymentIntents.retrieve(pi.id)).metadata).toEqual({ a: '1', c: '3' });
    const paid = await succeededPayment();
    const amountChange = await expectStripeError(stripe.paymentIntents.update(paid.id, { amount: 100 }), Stripe.errors.StripeInvalidRequestError);
    expect(amountChange.code).toBe('payment_intent_unexpected_state');
  });

  it('manual capture: requires_capture, then a partial capture', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 8000, currency: 'usd', allowed_payment_method_types: ['card'], capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 8000, amount_received: 0 });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000, expand: ['latest_charge'] });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 6000, amount_capturable: 0 });
    expect(captured.latest_charge).toMatchObject({ captured: true, amount_captured: 6000 });
    await receiver.waitFor(() => receiver.typesFor(pi.id).includes('payment_intent.succeeded'));
    expect(receiver.typesFor(pi.id)).toEqual(expect.arrayContaining(['payment_intent.amount_capturable_updated', 'charge.captured']));
    // Only what was captured can be refunded.
    const tooMuch = await expectStripeError(stripe.refunds.create({ payment_intent: pi.id, amount: 6001 }), Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch.code).toBe('amount_too_large');
  });

  it('enforces Stripe’s parameter rules', async () => {
    const small = await expectStripeError(stripe.paymentIntents.create({ amount: 10, currency: 'usd' }), Stripe.errors.StripeInvalidRequestError);
    expect(small).toMatchObject({ code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' });
    const noCurrency = await expectStripeError(stripe.paymentIntents.create({ amount: 1000 } as Stripe.PaymentIntentCreateParams), Stripe.errors.StripeInvalidRequestError);
    expect(noCurrency).toMatchObject({ code: 'parameter_missing', param: 'currency' });
    const unknown = await expectStripeError(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', colour: 'blue' } as Stripe.PaymentIntentCreateParams),
      Stripe.errors.StripeInvalidRequestError,
    );
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'colour', message: 'Received unknown parameter: colour' });
  });
});

describe('Refunds', () => {
  it('refunds part, then the rest, then refuses more', async () => {
    const pi = await succeededPayment(5000);
    const partial = await stripe.refunds.create({ payment_intent: pi.id, amount: 2000, reason: 'requested_by_customer', metadata: { rma: 'r1' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', payment_intent: pi.id, charge: pi.latest_charge, reason: 'requested_by_customer', metadata: { rma: 'r1' } });
    expect(partial.id).toMatch(/^re_/);
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: false });

    const rest = await stripe.refunds.create({ charge: pi.latest_charge as string });
    expect(rest.amount).toBe(3000);
    charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect((await stripe.refunds.retrieve(rest.id)).amount).toBe(3000);

    const again = await expectStripeError(stripe.refunds.create({ payment_intent: pi.id }), Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe('charge_already_refunded');
    expect(again.message).toBe(`Charge ${String(pi.latest_charge)} has already been refunded.`);

    await receiver.waitFor(() => receiver.typesFor(pi.id).filter((t) => t === 'charge.refunded').length === 2);
    const refundedEvents = await Promise.all(receiver.about(pi.id).filter((d) => d.event.type === 'charge.refunded').map(verified));
    const objects = refundedEvents.map((e) => e.data.object as Stripe.Charge);
    expect(objects.map((c) => [c.amount_refunded, c.refunded])).toEqual([
      [2000, false],
      [5000, true],
    ]);
    expect(objects.every((c) => c.payment_intent === pi.id)).toBe(true);
    expect(receiver.typesFor(pi.id).filter((t) => t === 'refund.created')).toHaveLength(2);
  });

  it('refuses to refund more than is left, and changes nothing', async () => {
    const pi = await succeededPayment(5000);
    const refundsBefore = countOf('charge.refunded');
    const error = await expectStripeError(stripe.refunds.create({ payment_intent: pi.id, amount: 6000 }), Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    expect(error.message).toBe('Refund amount ($60.00) is greater than unrefunded amount on charge ($50.00)');
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(0);
    expect(countOf('charge.refunded')).toBe(refundsBefore);
  });

  it('has nothing to refund before a successful charge', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const error = await expectStripeError(stripe.refunds.create({ payment_intent: pi.id }), Stripe.errors.StripeInvalidRequestError);
    expect(error.message).toBe(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`);
  });
});

describe('Idempotency-Key', () => {
  it('replays the saved response for the same key and parameters', async () => {
    const params = { amount: 1234, currency: 'usd', metadata: { order_id: 'idem-1' } };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-idem-1' });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-idem-1' });
    expect(second.id).toBe(first.id);
    expect(second.client_secret).toBe(first.client_secret);
    expect(responseHeader(second.lastResponse, 'idempotent-replayed')).toBe('true');
    expect(responseHeader(first.lastResponse, 'idempotent-replayed')).toBeUndefined();
    expect(standin.events().filter((e) => e.type === 'payment_intent.created' && e.data.object.id === first.id)).toHaveLength(1);
  });

  it('rejects the same key with other parameters or on another endpoint', async () => {
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'order-idem-2' });
    const mismatch = await expectStripeError(stripe.paymentIntents.create({ amount: 1001, currency: 'usd' }, { idempotencyKey: 'order-idem-2' }), Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.rawType).toBe('idempotency_error');
    expect(mismatch.message).toBe(
      "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'order-idem-2' if you meant to execute a different request.",
    );
    const otherEndpoint = await expectStripeError(stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey: 'order-idem-2' }), Stripe.errors.StripeIdempotencyError);
    expect(otherEndpoint.message).toContain('same endpoint');
  });

  it('does not save validation failures, but replays declines without running them again', async () => {
    await expectStripeError(stripe.paymentIntents.create({ amount: 1000 } as Stripe.PaymentIntentCreateParams, { idempotencyKey: 'order-idem-3' }), Stripe.errors.StripeInvalidRequestError);
    const fixed = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'order-idem-3' });
    expect(fixed.status).toBe('requires_payment_method');

    const declineParams: Stripe.PaymentIntentCreateParams = { amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_chargeDeclined', confirm: true };
    const first = await expectStripeError(stripe.paymentIntents.create(declineParams, { idempotencyKey: 'order-idem-4' }), Stripe.errors.StripeCardError);
    const failedBefore = countOf('payment_intent.payment_failed');
    const replay = await expectStripeError(stripe.paymentIntents.create(declineParams, { idempotencyKey: 'order-idem-4' }), Stripe.errors.StripeCardError);
    expect((replay.payment_intent as Stripe.PaymentIntent).id).toBe((first.payment_intent as Stripe.PaymentIntent).id);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(countOf('payment_intent.payment_failed')).toBe(failedBefore);
  });
});

describe('authentication and wire protocol', () => {
  it('a wrong key is a 401 StripeAuthenticationError', async () => {
    const error = await expectStripeError(client({}, 'sk_test_wrongkey1234').paymentIntents.create({ amount: 1000, currency: 'usd' }), Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.rawType).toBe('invalid_request_error');
    expect(error.message).toBe('Invalid API Key provided: sk_test_********1234');
    const none = await raw('GET', '/v1/payment_intents/pi_x', '', { authorization: '' });
    expect(none.status).toBe(401);
    expect(String(none.json.error?.message)).toMatch(/^You did not provide an API key/);
  });

  it('parses curl-style bracket encodings and answers with Stripe headers', async () => {
    const created = await raw(
      'POST',
      '/v1/payment_intents',
      'amount=2000&currency=usd&payment_method_types[]=card&metadata[order_id]=ord%2099&metadata[note]=a+b&expand[]=latest_charge',
      { 'idempotency-key': 'curl-1' },
    );
    expect(created.status).toBe(200);
    // Legacy payment_method_types (older API versions) turns automatic payment methods off.
    expect(created.json).toMatchObject({
      amount: 2000,
      payment_method_types: ['card'],
      allowed_payment_method_types: null,
      metadata: { order_id: 'ord 99', note: 'a b' },
      automatic_payment_methods: null,
    });
    expect(created.headers.get('request-id')).toMatch(/^req_/);
    expect(created.headers.get('idempotency-key')).toBe('curl-1');
    const replay = await raw('POST', '/v1/payment_intents', 'amount=2000&currency=usd&payment_method_types[]=card&metadata[order_id]=ord%2099&metadata[note]=a+b&expand[]=latest_charge', {
      'idempotency-key': 'curl-1',
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.id).toBe(created.json.id);

    const unknownUrl = await raw('POST', '/v1/customers', 'email=a@b.c');
    expect(unknownUrl.status).toBe(404);
    expect(unknownUrl.json.error).toMatchObject({ type: 'invalid_request_error' });
    expect(String(unknownUrl.json.error?.message)).toMatch(/^Unrecognized request URL \(POST: \/v1\/customers\)/);
  });
});

describe('webhooks', () => {
  it('signs with Stripe’s scheme: a tampered body or another secret fails verification', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 7700, currency: 'usd' });
    await receiver.waitFor(() => receiver.about(pi.id).length > 0);
    const delivery = receiver.about(pi.id)[0] as Delivery;
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery.headers['content-type']).toContain('application/json');
    expect(delivery.raw).toContain('\n  "id": "evt_'); // pretty-printed, like Stripe: verify the raw bytes, not a re-serialisation
    const event = await verified(delivery);
    expect(event.type).toBe('payment_intent.created');

    const tampered = delivery.raw.replace('"amount": 7700', '"amount": 1');
    expect(tampered).not.toBe(delivery.raw);
    await expect(stripe.webhooks.constructEventAsync(tampered, delivery.signature, standin.webhookSecret)).rejects.toBeInstanceOf(Stripe.errors.StripeSignatureVerificationError);
    await expect(stripe.webhooks.constructEventAsync(delivery.raw, delivery.signature, 'whsec_not_the_secret')).rejects.toBeInstanceOf(Stripe.errors.StripeSignatureVerificationError);
    expect((await stripe.events.retrieve(event.id)).pending_webhooks).toBe(0);
  });

  it('delivers after the API response, never inside it', async () => {
    receiver.respond = async () => {
      await sleep(1_000);
      return 200;
    };
    const started = Date.now();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(Date.now() - started).toBeLessThan(700);
    expect(receiver.about(pi.id)).toHaveLength(0);
    await receiver.waitFor(() => receiver.about(pi.id).length === 1);
  });

  it('retries with backoff on non-2xx answers, signing each attempt', async () => {
    let failures = 0;
    receiver.respond = (d) => (d.event.type === 'payment_intent.created' && failures++ < 2 ? 500 : 200);
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await receiver.waitFor(() => receiver.about(pi.id).length === 3);
    await standin.idle();
    const eventId = (receiver.about(pi.id)[0] as Delivery).event.id;
    const attempts = standin.deliveries().filter((a) => a.eventId === eventId);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect((attempts[1] as { startedAt: number }).startedAt - (attempts[0] as { startedAt: number }).startedAt).toBeGreaterThanOrEqual(45);
    for (const delivery of receiver.about(pi.id)) expect((await verified(delivery)).id).toBe(eventId);
  });

  it('gives up after the last retry and leaves the event pending', async () => {
    receiver.respond = () => 503;
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await receiver.waitFor(() => receiver.about(pi.id).length === 4);
    await standin.idle();
    await sleep(250);
    expect(receiver.about(pi.id)).toHaveLength(4); // 1 attempt + 3 retries
    const eventId = (receiver.about(pi.id)[0] as Delivery).event.id;
    expect((await stripe.events.retrieve(eventId)).pending_webhooks).toBe(1);

    receiver.respond = () => 200;
    const replay = await standin.redeliver(eventId);
    expect(replay.status).toBe(200);
    expect(receiver.about(pi.id)).toHaveLength(5);
    expect((await verified(receiver.about(pi.id)[4] as Delivery)).id).toBe(eventId);
  });

  it('duplicate: each event arrives twice, both signed', async () => {
    standin.setDelivery({ duplicate: true });
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await receiver.waitFor(() => receiver.about(pi.id).length === 2);
    await standin.idle();
    const [a, b] = receiver.about(pi.id) as [Delivery, Delivery];
    expect(a.event.id).toBe(b.event.id);
    expect(a.raw).toBe(b.raw);
    expect((await verified(a)).id).toBe((await verified(b)).id);
  });

  it('hold keeps events until flush, which delivers them in order', async () => {
    standin.setDelivery({ hold: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd' })).id);
    await sleep(150);
    expect(ids.flatMap((id) => receiver.about(id))).toHaveLength(0);
    expect(standin.heldEvents().map((e) => e.data.object.id)).toEqual(ids);
    expect(standin.events().slice(-3).map((e) => e.data.object.id)).toEqual(ids);

    await standin.flush();
    const order = receiver.received.map((d) => d.event.data.object.id).filter((id) => ids.includes(id));
    expect(order).toEqual(ids);
    expect(standin.heldEvents()).toHaveLength(0);
  });

  it('shuffle buffers events and flushes them in random order', async () => {
    standin.setDelivery({ shuffle: true });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd' })).id);
    await sleep(100);
    expect(ids.flatMap((id) => receiver.about(id))).toHaveLength(0);
    await standin.flush({ shuffle: true });
    const order = receiver.received.map((d) => d.event.data.object.id).filter((id) => ids.includes(id));
    expect([...order].sort()).toEqual([...ids].sort());
    // 10 events: the chance that a shuffle keeps the original order is 1 in 3.6 million.
    expect(order).not.toEqual(ids);
  });

  it('delayMs delivers late', async () => {
    standin.setDelivery({ delayMs: 400 });
    const started = Date.now();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await sleep(150);
    expect(receiver.about(pi.id)).toHaveLength(0);
    await receiver.waitFor(() => receiver.about(pi.id).length === 1);
    expect((receiver.about(pi.id)[0] as Delivery).receivedAt - started).toBeGreaterThanOrEqual(390);
  });
});

describe('fault injection', () => {
  it('failNext(1): the SDK throws StripeAPIError and nothing changed', async () => {
    const createdBefore = countOf('payment_intent.created');
    standin.failNext(1);
    const error = await expectStripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }), Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(error.rawType).toBe('api_error');
    expect(countOf('payment_intent.created')).toBe(createdBefore);

    const paid = await succeededPayment(4000);
    standin.failNext(1, '500');
    await expectStripeError(stripe.refunds.create({ payment_intent: paid.id }), Stripe.errors.StripeAPIError);
    expect((await stripe.charges.retrieve(paid.latest_charge as string)).amount_refunded).toBe(0);
  });

  it('failNext(1, "timeout") hangs the call until the client gives up', async () => {
    const createdBefore = countOf('payment_intent.created');
    standin.failNext(1, 'timeout');
    const impatient = client({ timeout: 300 });
    const error = await expectStripeError(impatient.paymentIntents.create({ amount: 1000, currency: 'usd' }), Stripe.errors.StripeConnectionError);
    expect(error.message).toContain('timeout');
    expect(countOf('payment_intent.created')).toBe(createdBefore);
  });

  it('with SDK retries, a transient 500 or timeout is retried with the same idempotency key and runs once', async () => {
    const createdBefore = countOf('payment_intent.created');
    standin.failNext(1, '500');
    const retrying = client({ maxNetworkRetries: 2 });
    const pi = await retrying.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(pi.status).toBe('requires_payment_method');
    standin.failNext(1, 'timeout');
    const pi2 = await client({ maxNetworkRetries: 1, timeout: 300 }).paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(pi2.id).not.toBe(pi.id);
    expect(countOf('payment_intent.created')).toBe(createdBefore + 2);
  });
});
