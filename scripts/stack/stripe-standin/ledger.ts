/**
 * The stand-in's test-mode "account": PaymentIntents, Charges, Refunds, the
 * PaymentMethods made from Stripe's test cards, and the Events all of this
 * produces. Handlers validate everything before they change anything, so a
 * request that fails validation leaves no trace (and emits no event).
 *
 * Objects are typed with the `stripe` package's own resource types, so the
 * compiler checks that their shape matches what the SDK (and our API code)
 * expects from real Stripe.
 */
import type Stripe from 'stripe';
import { TEST_PAYMENT_METHODS, sellerMessage, type CardOutcome, type TestCard } from './cards';
import { docUrl, paramError, resourceMissing, stateError, type StripeErrorPayload } from './errors';
import { ParamReader, applyMetadata, type FormObject } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import { checkChargeAmount, formatAmount, parseCurrency } from './money';

export type StripeObject = Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund;

export type StripeEventType =
  | 'payment_intent.created'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.requires_action'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.captured'
  | 'charge.refunded'
  | 'refund.created';

/** An Event exactly as Stripe sends it to webhook endpoints (and returns from GET /v1/events/:id). */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: StripeEventType;
}

/** Per request: who asked (for `event.request`) and where the stand-in lives (for redirect URLs). */
export interface OperationContext {
  requestId: string | null;
  idempotencyKey: string | null;
  baseUrl: string;
  /** Events produced by this operation, in order; the server hands them to the webhook dispatcher. */
  events: StripeEvent[];
}

/** A handler's answer: success bodies and executed errors (declines) alike. */
export interface OperationResult {
  status: number;
  body: unknown;
}

interface StoredPaymentMethod {
  object: Stripe.PaymentMethod;
  card: TestCard;
  /** A PaymentMethod without a Customer can only ever be used with one PaymentIntent. */
  usedBy: string | null;
}

type PaymentIntentStatus = Stripe.PaymentIntent.Status;

const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const MUTABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** Real PaymentIntent parameters this stand-in does not implement (answered with a pointer to this file). */
const PI_NOT_MODELLED = [
  'application_fee_amount', 'confirmation_token', 'customer', 'customer_account', 'error_on_requires_action', 'excluded_payment_method_types',
  'hooks', 'mandate', 'mandate_data', 'off_session', 'on_behalf_of', 'payment_details', 'payment_method_configuration', 'payment_method_data',
  'payment_method_options', 'radar_options', 'setup_future_usage', 'shipping', 'statement_descriptor', 'transfer_data', 'use_stripe_sdk',
  'amount_details', 'client_secret',
];

function listOf(values: readonly string[]): string {
  return values.join(', ');
}

/**
 * Whether confirming may send the customer to a redirect-based payment method, in
 * which case Stripe insists on a return_url: automatic payment methods with
 * redirects allowed, unless allowed_payment_method_types narrows them to cards.
 */
function mayRedirect(pi: Pick<Stripe.PaymentIntent, 'automatic_payment_methods' | 'allowed_payment_method_types'>): boolean {
  const apm = pi.automatic_payment_methods;
  if (!apm?.enabled || apm.allow_redirects === 'never') return false;
  const allowed = pi.allowed_payment_method_types;
  return !allowed || allowed.some((type) => type !== 'card');
}

/**
 * `allowed_payment_method_types` (the current API; the installed SDK only offers
 * this one) or the legacy `payment_method_types`: the stand-in only processes
 * cards, so `card` must be among them.
 */
function readPaymentMethodTypes(params: ParamReader, name: 'allowed_payment_method_types' | 'payment_method_types'): string[] | undefined {
  const types = params.stringArray(name);
  if (types === undefined) return undefined;
  if (types.length === 0) throw paramError('Invalid array', { param: name });
  if (!types.includes('card')) {
    throw paramError(
      `The local Stripe stand-in only models card payments, so ${name} must include "card" (got ${types.join(', ')}). Use Stripe test mode for other payment method types.`,
      { code: 'payment_intent_invalid_parameter', param: name },
    );
  }
  if (name === 'payment_method_types' && types.some((type) => type !== 'card')) {
    throw paramError(`The local Stripe stand-in only models card payments; payment_method_types may only contain "card" (got ${types.join(', ')}).`, {
      code: 'payment_intent_invalid_parameter',
      param: name,
    });
  }
  return types;
}

/** Stripe rejects a return_url that is not an absolute URL. */
function readReturnUrl(params: ParamReader): string | undefined {
  const value = params.string('return_url', { maxLength: 2048 }) || undefined;
  if (value !== undefined && !URL.canParse(value)) throw paramError('Not a valid URL', { code: 'url_invalid', param: 'return_url' });
  return value;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class Ledger {
  private readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  private readonly charges = new Map<string, Stripe.Charge>();
  private readonly refunds = new Map<string, Stripe.Refund>();
  private readonly paymentMethods = new Map<string, StoredPaymentMethod>();
  /** The return_url of each PaymentIntent's latest confirmation (used after 3-D Secure). */
  private readonly returnUrls = new Map<string, string>();
  private readonly eventsById = new Map<string, StripeEvent>();
  private readonly eventLog: StripeEvent[] = [];
  private readonly apiVersion: string;

  constructor(apiVersion: string) {
    this.apiVersion = apiVersion;
  }

  // -------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------

  private emit(ctx: OperationContext, type: StripeEventType, object: StripeObject, previous?: Record<string, unknown>): void {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: nowSeconds(),
      data: { object: clone(object), ...(previous ? { previous_attributes: clone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.eventsById.set(event.id, event);
    this.eventLog.push(event);
    ctx.events.push(event);
  }

  allEvents(): StripeEvent[] {
    return [...this.eventLog];
  }

  event(id: string): StripeEvent | undefined {
    return this.eventsById.get(id);
  }

  retrieveEvent(id: string): OperationResult {
    const event = this.eventsById.get(id);
    if (!event) throw resourceMissing('event', id, 'id', 404);
    return { status: 200, body: event };
  }

  // -------------------------------------------------------------------------
  // Rendering (expand[])
  // -------------------------------------------------------------------------

  private expandable(object: StripeObject, field: string): unknown {
    const value = (object as unknown as Record<string, unknown>)[field];
    if (typeof value !== 'string') return value;
    if (object.object === 'payment_intent' && field === 'latest_charge') return clone(this.charges.get(value)) ?? value;
    if (object.object === 'payment_intent' && field === 'payment_method') return clone(this.paymentMethods.get(value)?.object) ?? value;
    if (object.object === 'charge' && field === 'payment_intent') return clone(this.paymentIntents.get(value)) ?? value;
    if (object.object === 'refund' && field === 'charge') return clone(this.charges.get(value)) ?? value;
    if (object.object === 'refund' && field === 'payment_intent') return clone(this.paymentIntents.get(value)) ?? value;
    return undefined;
  }

  private static readonly EXPANDABLE: Record<StripeObject['object'], readonly string[]> = {
    payment_intent: ['latest_charge', 'payment_method'],
    charge: ['payment_intent'],
    refund: ['charge', 'payment_intent'],
  };

  /** Rejects unsupported expand[] paths; called before a handler changes anything. */
  private static checkExpand(kind: StripeObject['object'], expand: string[]): void {
    const allowed = Ledger.EXPANDABLE[kind];
    const bad = expand.find((path) => !allowed.includes(path));
    if (bad !== undefined) {
      throw paramError(`This property cannot be expanded (${bad}). (The local Stripe stand-in can expand: ${listOf(allowed)}.)`, { param: 'expand' });
    }
  }

  private render(object: StripeObject, expand: string[]): OperationResult {
    Ledger.checkExpand(object.object, expand);
    const body = clone(object) as unknown as Record<string, unknown>;
    for (const path of expand) body[path] = this.expandable(object, path);
    return { status: 200, body };
  }

  // -------------------------------------------------------------------------
  // PaymentMethods
  // -------------------------------------------------------------------------

  /** Looks a PaymentMethod up without creating anything (validation phase). */
  private findPaymentMethod(id: string, paymentIntentId: string | null): { template: TestCard } | { stored: StoredPaymentMethod } {
    const template = TEST_PAYMENT_METHODS[id];
    if (template) return { template };
    const stored = this.paymentMethods.get(id);
    if (!stored) throw resourceMissing('PaymentMethod', id, 'payment_method', 400);
    if (stored.usedBy !== null && stored.usedBy !== paymentIntentId) {
      throw paramError(
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without ' +
          'Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
        { param: 'payment_method' },
      );
    }
    return { stored };
  }

  /** Stripe turns `pm_card_visa` into a fresh `pm_…` the first time it is used. */
  private materialize(found: { template: TestCard } | { stored: StoredPaymentMethod }, paymentIntentId: string): StoredPaymentMethod {
    if ('stored' in found) {
      found.stored.usedBy = paymentIntentId;
      return found.stored;
    }
    const card = found.template;
    const year = new Date().getUTCFullYear() + 1;
    const object: Stripe.PaymentMethod = {
      id: newId('pm'),
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
      card: {
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: card.country,
        display_brand: card.brand === 'amex' ? 'american_express' : card.brand,
        exp_month: 12,
        exp_year: year,
        fingerprint: randomToken(16),
        funding: card.funding,
        generated_from: null,
        last4: card.last4,
        networks: { available: [card.brand], preferred: null },
        regulated_status: 'unregulated',
        three_d_secure_usage: { supported: true },
        wallet: null,
      },
      created: nowSeconds(),
      customer: null,
      customer_account: null,
      livemode: false,
      metadata: {},
      type: 'card',
    };
    const stored: StoredPaymentMethod = { object, card, usedBy: paymentIntentId };
    this.paymentMethods.set(object.id, stored);
    return stored;
  }

  retrievePaymentMethod(id: string): OperationResult {
    const stored = this.paymentMethods.get(id);
    if (!stored) throw resourceMissing('PaymentMethod', id, 'payment_method', 404);
    return { status: 200, body: clone(stored.object) };
  }

  // -------------------------------------------------------------------------
  // Charges
  // -------------------------------------------------------------------------

  private createCharge(pi: Stripe.PaymentIntent, pm: StoredPaymentMethod, outcome: CardOutcome): Stripe.Charge {
    const succeeded = outcome.kind !== 'decline';
    const captured = succeeded && pi.capture_method !== 'manual';
    const card = pm.object.card;
    const charge: Stripe.Charge = {
      id: newId('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: captured ? pi.amount : 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: captured ? newId('txn') : null,
      billing_details: pm.object.billing_details,
      calculated_statement_descriptor: 'STRIPE STANDIN',
      captured,
      created: nowSeconds(),
      currency: pi.currency,
      customer: null,
      description: pi.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: outcome.kind === 'decline' ? outcome.code : null,
      failure_message: outcome.kind === 'decline' ? outcome.message : null,
      fraud_details: {},
      livemode: false,
      metadata: clone(pi.metadata),
      on_behalf_of: null,
      outcome: {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: succeeded ? 'approved_by_network' : 'declined_by_network',
        reason: outcome.kind === 'decline' ? outcome.declineCode : null,
        risk_level: 'normal',
        risk_score: 20,
        seller_message: sellerMessage(outcome),
        type: succeeded ? 'authorized' : 'issuer_declined',
      },
      paid: succeeded,
      payment_intent: pi.id,
      payment_method: pm.object.id,
      payment_method_details: {
        card: {
          amount_authorized: succeeded ? pi.amount : null,
          authorization_code: succeeded ? randomToken(6).toUpperCase() : null,
          brand: card?.brand ?? null,
          checks: card?.checks ?? null,
          country: card?.country ?? null,
          electronic_commerce_indicator: null,
          exp_month: card?.exp_month ?? 12,
          exp_year: card?.exp_year ?? 2030,
          fingerprint: card?.fingerprint ?? null,
          funding: card?.funding ?? null,
          installments: null,
          last4: card?.last4 ?? null,
          mandate: null,
          network: card?.brand ?? null,
          network_transaction_id: succeeded ? randomToken(15) : null,
          regulated_status: 'unregulated',
          three_d_secure: null,
          transaction_link_id: null,
          wallet: null,
        },
        type: 'card',
      },
      receipt_email: pi.receipt_email,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: pi.statement_descriptor_suffix,
      status: succeeded ? 'succeeded' : 'failed',
      transfer_data: null,
      transfer_group: pi.transfer_group,
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  retrieveCharge(id: string, form: FormObject): OperationResult {
    const params = new ParamReader(form, []);
    const charge = this.charges.get(id);
    if (!charge) throw resourceMissing('charge', id, 'id', 404);
    return this.render(charge, params.expand());
  }

  // -------------------------------------------------------------------------
  // PaymentIntents
  // -------------------------------------------------------------------------

  private paymentIntent(id: string): Stripe.PaymentIntent {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw resourceMissing('payment_intent', id, 'intent', 404);
    return pi;
  }

  /** Validation shared by create(confirm=true) and /confirm: nothing is changed here. */
  private prepareConfirmation(
    pi: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'payment_method' | 'automatic_payment_methods' | 'allowed_payment_method_types'>,
    paymentMethodId: string | undefined,
    returnUrl: string | undefined,
  ): { paymentMethod: { template: TestCard } | { stored: StoredPaymentMethod } } {
    if (pi.status === 'succeeded') {
      throw stateError('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.', {
        code: 'payment_intent_unexpected_state',
      });
    }
    if (!CONFIRMABLE.includes(pi.status)) {
      throw stateError(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ` +
          `${listOf(['requires_confirmation', 'requires_payment_method', 'requires_action'])}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const methodId = paymentMethodId || (typeof pi.payment_method === 'string' ? pi.payment_method : undefined);
    if (!methodId) {
      throw stateError(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method " +
          'and then confirm it again, or confirm it again directly with a payment method.',
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const paymentMethod = this.findPaymentMethod(methodId, pi.id || null);
    if (mayRedirect(pi) && !returnUrl) {
      throw paramError(
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your ' +
          "customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set " +
          '`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
      );
    }
    return { paymentMethod };
  }

  /** Runs a payment attempt on a prepared PaymentIntent; returns the 402 body on a decline. */
  private attemptPayment(
    ctx: OperationContext,
    pi: Stripe.PaymentIntent,
    found: { template: TestCard } | { stored: StoredPaymentMethod },
    returnUrl: string | undefined,
  ): OperationResult | null {
    const pm = this.materialize(found, pi.id);
    pi.payment_method = pm.object.id;
    if (returnUrl) this.returnUrls.set(pi.id, returnUrl);
    if (pm.card.outcome.kind === 'authenticate') {
      pi.status = 'requires_action';
      pi.last_payment_error = null;
      pi.next_action = returnUrl
        ? { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url: `${ctx.baseUrl}/standin/authenticate/${pi.id}` } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${ctx.baseUrl}/standin/authenticate/${pi.id}`, source: newId('src') } as Stripe.PaymentIntent.NextAction.UseStripeSdk };
      this.emit(ctx, 'payment_intent.requires_action', pi);
      return null;
    }
    return this.charge(ctx, pi, pm);
  }

  /** The card network's answer: a charge either way, then the PaymentIntent moves on. */
  private charge(ctx: OperationContext, pi: Stripe.PaymentIntent, pm: StoredPaymentMethod): OperationResult | null {
    const outcome = pm.card.outcome;
    const charge = this.createCharge(pi, pm, outcome);
    pi.latest_charge = charge.id;
    pi.next_action = null;
    if (outcome.kind === 'decline') {
      const error: Stripe.PaymentIntent.LastPaymentError = {
        charge: charge.id,
        code: outcome.code as Stripe.PaymentIntent.LastPaymentError.Code,
        decline_code: outcome.declineCode,
        doc_url: docUrl(outcome.code),
        message: outcome.message,
        ...(outcome.param ? { param: outcome.param } : {}),
        payment_method: clone(pm.object),
        type: 'card_error',
      };
      pi.status = 'requires_payment_method';
      pi.payment_method = null;
      pi.last_payment_error = error;
      this.emit(ctx, 'charge.failed', charge);
      this.emit(ctx, 'payment_intent.payment_failed', pi);
      const payload: StripeErrorPayload = { ...error, type: 'card_error', message: outcome.message, payment_intent: clone(pi) };
      return { status: 402, body: { error: payload } };
    }
    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.emit(ctx, 'charge.succeeded', charge);
      this.emit(ctx, 'payment_intent.amount_capturable_updated', pi);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.emit(ctx, 'charge.succeeded', charge);
      this.emit(ctx, 'payment_intent.succeeded', pi);
    }
    return null;
  }

  createPaymentIntent(form: FormObject, ctx: OperationContext): OperationResult {
    const params = new ParamReader(
      form,
      ['amount', 'currency', 'allowed_payment_method_types', 'automatic_payment_methods', 'capture_method', 'confirm', 'confirmation_method', 'description',
        'metadata', 'payment_method', 'payment_method_types', 'receipt_email', 'return_url', 'statement_descriptor_suffix', 'transfer_group'],
      PI_NOT_MODELLED,
    );
    const amount = params.integer('amount', { required: true, min: 1 }) as number;
    const currency = parseCurrency(params.string('currency', { required: true }) as string);
    checkChargeAmount(amount, currency);
    const apmParams = params.hash('automatic_payment_methods', ['enabled', 'allow_redirects']);
    const allowedTypes = readPaymentMethodTypes(params, 'allowed_payment_method_types');
    const legacyTypes = readPaymentMethodTypes(params, 'payment_method_types');
    if (allowedTypes && legacyTypes) {
      throw paramError('You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.', { param: 'payment_method_types' });
    }
    if (apmParams && legacyTypes) {
      throw paramError('You may only specify one of these parameters: automatic_payment_methods, payment_method_types.', { param: 'automatic_payment_methods' });
    }
    let automatic: Stripe.PaymentIntent.AutomaticPaymentMethods | null = null;
    if (apmParams) {
      const enabled = apmParams.boolean('enabled');
      if (enabled === undefined) throw paramError('Missing required param: automatic_payment_methods[enabled].', { code: 'parameter_missing', param: 'automatic_payment_methods[enabled]' });
      const allowRedirects = apmParams.enumeration('allow_redirects', ['always', 'never'] as const);
      automatic = enabled ? { ...(allowRedirects ? { allow_redirects: allowRedirects } : {}), enabled: true } : null;
    } else if (!legacyTypes) {
      // Since API version 2023-08-16 automatic payment methods are on unless payment_method_types is given.
      automatic = { enabled: true };
    }
    const captureMethod = params.enumeration('capture_method', CAPTURE_METHODS) ?? 'automatic_async';
    const confirm = params.boolean('confirm') ?? false;
    const confirmationMethod = params.enumeration('confirmation_method', ['automatic', 'manual'] as const) ?? 'automatic';
    if (confirmationMethod === 'manual') {
      throw paramError('confirmation_method=manual is not implemented by the local Stripe stand-in (use Stripe test mode for that flow).', { param: 'confirmation_method' });
    }
    const description = params.string('description', { maxLength: 1000 });
    const metadata = applyMetadata({}, params.metadata());
    const paymentMethodId = params.string('payment_method') || undefined;
    const receiptEmail = params.string('receipt_email');
    const returnUrl = readReturnUrl(params);
    if (returnUrl && !confirm) {
      throw paramError('The parameter `return_url` can only be passed when `confirm` is `true`.', { param: 'return_url' });
    }
    const suffix = params.string('statement_descriptor_suffix', { maxLength: 22 });
    const transferGroup = params.string('transfer_group');
    const expand = params.expand();

    const id = newId('pi');
    const draft = { id, status: 'requires_payment_method' as const, payment_method: null, automatic_payment_methods: automatic, allowed_payment_method_types: allowedTypes ?? null };
    let prepared: ReturnType<Ledger['prepareConfirmation']> | undefined;
    if (confirm) prepared = this.prepareConfirmation(draft, paymentMethodId, returnUrl);
    else if (paymentMethodId) this.findPaymentMethod(paymentMethodId, id);
    // Render-time validation of expand[] must also happen before anything is stored.
    Ledger.checkExpand('payment_intent', expand);

    const pi: Stripe.PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: allowedTypes ?? null,
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: automatic,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${randomToken(25)}`,
      confirmation_method: confirmationMethod,
      created: nowSeconds(),
      currency,
      customer: null,
      customer_account: null,
      description: description || null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata,
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: automatic ? { id: 'pmc_standin_default', parent: null } : null,
      payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'],
      payment_record: null,
      processing: null,
      receipt_email: receiptEmail || null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: suffix || null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: transferGroup || null,
    };
    this.paymentIntents.set(id, pi);
    if (paymentMethodId && !confirm) {
      pi.payment_method = this.materialize(this.findPaymentMethod(paymentMethodId, id), id).object.id;
      pi.status = 'requires_confirmation';
    }
    this.emit(ctx, 'payment_intent.created', pi);
    if (prepared) {
      const declined = this.attemptPayment(ctx, pi, prepared.paymentMethod, returnUrl);
      if (declined) return declined;
    }
    return this.render(pi, expand);
  }

  retrievePaymentIntent(id: string, form: FormObject): OperationResult {
    const params = new ParamReader(form, ['client_secret']);
    const pi = this.paymentIntent(id);
    return this.render(pi, params.expand());
  }

  updatePaymentIntent(id: string, form: FormObject): OperationResult {
    const params = new ParamReader(
      form,
      ['allowed_payment_method_types', 'amount', 'currency', 'capture_method', 'description', 'metadata', 'payment_method', 'receipt_email',
        'statement_descriptor_suffix', 'transfer_group'],
      [...PI_NOT_MODELLED, 'payment_method_types'],
    );
    const pi = this.paymentIntent(id);
    const amount = params.integer('amount', { min: 1 });
    const currencyRaw = params.string('currency');
    const currency = currencyRaw ? parseCurrency(currencyRaw) : undefined;
    if (amount !== undefined || currency !== undefined) checkChargeAmount(amount ?? pi.amount, currency ?? pi.currency);
    const allowedTypes = readPaymentMethodTypes(params, 'allowed_payment_method_types');
    const captureMethod = params.enumeration('capture_method', CAPTURE_METHODS);
    const description = params.string('description', { maxLength: 1000 });
    const metadata = params.metadata();
    const paymentMethodRaw = params.string('payment_method');
    const receiptEmail = params.string('receipt_email');
    const suffix = params.string('statement_descriptor_suffix', { maxLength: 22 });
    const transferGroup = params.string('transfer_group');
    const expand = params.expand();

    if (pi.status === 'canceled') {
      throw stateError('This PaymentIntent could not be updated because it has a status of canceled.', { code: 'payment_intent_unexpected_state' });
    }
    const restricted = (
      [['amount', amount], ['currency', currency], ['capture_method', captureMethod], ['payment_method', paymentMethodRaw], ['allowed_payment_method_types', allowedTypes]] as const
    ).find(([, value]) => value !== undefined);
    if (restricted && !MUTABLE.includes(pi.status)) {
      const [field] = restricted;
      throw stateError(
        `This PaymentIntent's ${field} could not be updated because it has a status of ${pi.status}. You may only update the ${field} of a PaymentIntent ` +
          `with one of the following statuses: ${listOf(MUTABLE)}.`,
        { code: 'payment_intent_unexpected_state', param: field },
      );
    }
    const found = paymentMethodRaw ? this.findPaymentMethod(paymentMethodRaw, pi.id) : undefined;
    Ledger.checkExpand('payment_intent', expand);

    if (amount !== undefined) pi.amount = amount;
    if (currency !== undefined) pi.currency = currency;
    if (captureMethod !== undefined) pi.capture_method = captureMethod;
    if (allowedTypes !== undefined) pi.allowed_payment_method_types = allowedTypes;
    if (description !== undefined) pi.description = description || null;
    pi.metadata = applyMetadata(pi.metadata, metadata);
    if (receiptEmail !== undefined) pi.receipt_email = receiptEmail || null;
    if (suffix !== undefined) pi.statement_descriptor_suffix = suffix || null;
    if (transferGroup !== undefined) pi.transfer_group = transferGroup || null;
    if (found) {
      pi.payment_method = this.materialize(found, pi.id).object.id;
      pi.status = 'requires_confirmation';
      pi.next_action = null;
    } else if (paymentMethodRaw === '') {
      pi.payment_method = null;
      pi.status = 'requires_payment_method';
      pi.next_action = null;
    }
    return this.render(pi, expand);
  }

  confirmPaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    const params = new ParamReader(
      form,
      ['allowed_payment_method_types', 'payment_method', 'return_url', 'receipt_email', 'capture_method'],
      [...PI_NOT_MODELLED, 'amount_to_confirm', 'payment_method_types'],
    );
    const pi = this.paymentIntent(id);
    const allowedTypes = readPaymentMethodTypes(params, 'allowed_payment_method_types');
    const paymentMethodId = params.string('payment_method') || undefined;
    const returnUrl = readReturnUrl(params);
    const receiptEmail = params.string('receipt_email');
    const captureMethod = params.enumeration('capture_method', CAPTURE_METHODS);
    const expand = params.expand();
    Ledger.checkExpand('payment_intent', expand);
    const prepared = this.prepareConfirmation(
      { ...pi, allowed_payment_method_types: allowedTypes ?? pi.allowed_payment_method_types },
      paymentMethodId,
      returnUrl,
    );

    if (allowedTypes !== undefined) pi.allowed_payment_method_types = allowedTypes;
    if (receiptEmail !== undefined) pi.receipt_email = receiptEmail || null;
    if (captureMethod !== undefined) pi.capture_method = captureMethod;
    const declined = this.attemptPayment(ctx, pi, prepared.paymentMethod, returnUrl);
    return declined ?? this.render(pi, expand);
  }

  capturePaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    const params = new ParamReader(
      form,
      ['amount_to_capture', 'metadata'],
      ['application_fee_amount', 'final_capture', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'hooks', 'payment_details', 'amount_details'],
    );
    const pi = this.paymentIntent(id);
    const amountToCapture = params.integer('amount_to_capture', { min: 1 });
    const metadata = params.metadata();
    const expand = params.expand();
    Ledger.checkExpand('payment_intent', expand);
    if (pi.status !== 'requires_capture') {
      throw stateError(
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    const amount = amountToCapture ?? pi.amount_capturable;
    if (amount > pi.amount_capturable) {
      throw stateError(`The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${pi.amount_capturable}).`, {
        code: 'amount_too_large',
        param: 'amount_to_capture',
      });
    }
    const charge = this.charges.get(pi.latest_charge as string) as Stripe.Charge;
    pi.metadata = applyMetadata(pi.metadata, metadata);
    charge.captured = true;
    charge.amount_captured = amount;
    // Like Stripe, the uncaptured rest of the authorisation is released, which the Charge shows as refunded.
    charge.amount_refunded = charge.amount - amount;
    charge.balance_transaction = newId('txn');
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    pi.status = 'succeeded';
    this.emit(ctx, 'charge.captured', charge, { amount_captured: 0, captured: false });
    this.emit(ctx, 'payment_intent.succeeded', pi);
    return this.render(pi, expand);
  }

  cancelPaymentIntent(id: string, form: FormObject, ctx: OperationContext): OperationResult {
    const params = new ParamReader(form, ['cancellation_reason']);
    const pi = this.paymentIntent(id);
    const reason = params.enumeration('cancellation_reason', CANCELLATION_REASONS);
    const expand = params.expand();
    Ledger.checkExpand('payment_intent', expand);
    if (!CANCELABLE.includes(pi.status)) {
      throw stateError(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ` +
          `${listOf(CANCELABLE)}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    if (pi.status === 'requires_capture') {
      // "For PaymentIntents with a status of requires_capture, the remaining amount_capturable is automatically refunded."
      const charge = this.charges.get(pi.latest_charge as string) as Stripe.Charge;
      this.refundCharge(ctx, charge, charge.amount - charge.amount_refunded, null, {});
    }
    pi.status = 'canceled';
    pi.canceled_at = nowSeconds();
    pi.cancellation_reason = reason ?? null;
    pi.amount_capturable = 0;
    pi.next_action = null;
    this.emit(ctx, 'payment_intent.canceled', pi);
    return this.render(pi, expand);
  }

  /**
   * What the customer does on the 3-D Secure page (or Stripe.js does for them):
   * succeed -> the payment goes ahead; fail -> back to requires_payment_method.
   */
  completeAuthentication(id: string, outcome: 'succeed' | 'fail', ctx: OperationContext): Stripe.PaymentIntent {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw new Error(`stripe-standin: no PaymentIntent ${id}`);
    if (pi.status !== 'requires_action' || typeof pi.payment_method !== 'string') {
      throw new Error(`stripe-standin: PaymentIntent ${id} has status ${pi.status}; only requires_action can be authenticated`);
    }
    const pm = this.paymentMethods.get(pi.payment_method) as StoredPaymentMethod;
    if (outcome === 'fail') {
      pi.status = 'requires_payment_method';
      pi.next_action = null;
      pi.last_payment_error = {
        code: 'payment_intent_authentication_failure',
        doc_url: docUrl('payment_intent_authentication_failure'),
        message:
          'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        payment_method: clone(pm.object),
        type: 'invalid_request_error',
      };
      pi.payment_method = null;
      this.emit(ctx, 'payment_intent.payment_failed', pi);
      return clone(pi);
    }
    // Authenticated: the issuer approves the charge.
    this.charge(ctx, pi, { ...pm, card: { ...pm.card, outcome: { kind: 'succeed' } } });
    return clone(pi);
  }

  returnUrlFor(id: string): { returnUrl: string | undefined; clientSecret: string | null; status: PaymentIntentStatus } | undefined {
    const pi = this.paymentIntents.get(id);
    return pi ? { returnUrl: this.returnUrls.get(id), clientSecret: pi.client_secret, status: pi.status } : undefined;
  }

  // -------------------------------------------------------------------------
  // Refunds
  // -------------------------------------------------------------------------

  private refundCharge(
    ctx: OperationContext,
    charge: Stripe.Charge,
    amount: number,
    reason: Stripe.Refund.Reason | null,
    metadata: Record<string, string>,
  ): Stripe.Refund {
    const refund: Stripe.Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: newId('txn'),
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      customer: null,
      customer_account: null,
      destination_details: {
        card: { reference: randomToken(12), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
        type: 'card',
      },
      metadata,
      payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
      payment_method: charge.payment_method,
      reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    this.emit(ctx, 'charge.refunded', charge, previous.refunded === charge.refunded ? { amount_refunded: previous.amount_refunded } : previous);
    this.emit(ctx, 'refund.created', refund);
    return refund;
  }

  createRefund(form: FormObject, ctx: OperationContext): OperationResult {
    const params = new ParamReader(
      form,
      ['amount', 'charge', 'payment_intent', 'reason', 'metadata'],
      ['currency', 'customer', 'instructions_email', 'origin', 'refund_application_fee', 'reverse_transfer'],
    );
    const amountParam = params.integer('amount', { min: 1 });
    const chargeId = params.string('charge') || undefined;
    const paymentIntentId = params.string('payment_intent') || undefined;
    const reason = params.enumeration('reason', REFUND_REASONS) ?? null;
    const metadata = applyMetadata({}, params.metadata());
    const expand = params.expand();
    Ledger.checkExpand('refund', expand);
    if (!chargeId && !paymentIntentId) {
      throw paramError('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', param: 'payment_intent' });
    }
    let charge: Stripe.Charge | undefined;
    if (paymentIntentId) {
      const pi = this.paymentIntents.get(paymentIntentId);
      if (!pi) throw resourceMissing('payment_intent', paymentIntentId, 'payment_intent', 400);
      charge = typeof pi.latest_charge === 'string' ? this.charges.get(pi.latest_charge) : undefined;
      if (!charge || charge.status !== 'succeeded') {
        throw stateError(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
      }
      if (chargeId && chargeId !== charge.id) {
        throw paramError(`The charge ${chargeId} does not belong to the PaymentIntent ${pi.id}.`, { param: 'charge' });
      }
    } else if (chargeId) {
      charge = this.charges.get(chargeId);
      if (!charge) throw resourceMissing('charge', chargeId, 'charge', 400);
      if (charge.status !== 'succeeded') {
        throw stateError(`This PaymentIntent (${String(charge.payment_intent)}) does not have a successful charge to refund.`, { param: 'charge' });
      }
    }
    if (!charge) throw new Error('unreachable: refund without a charge');
    if (!charge.captured) {
      throw stateError(
        `Charge ${charge.id} has not been captured. The local Stripe stand-in does not refund uncaptured charges: cancel the PaymentIntent to release the authorization.`,
        { param: 'charge' },
      );
    }
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) {
      throw stateError(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    }
    const amount = amountParam ?? remaining;
    if (amount > remaining) {
      throw stateError(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    const refund = this.refundCharge(ctx, charge, amount, reason, metadata);
    return this.render(refund, expand);
  }

  retrieveRefund(id: string, form: FormObject): OperationResult {
    const params = new ParamReader(form, []);
    const refund = this.refunds.get(id);
    if (!refund) throw resourceMissing('refund', id, 'id', 404);
    return this.render(refund, params.expand());
  }
}

