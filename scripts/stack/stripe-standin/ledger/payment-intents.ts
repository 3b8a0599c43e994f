/**
 * Creating, retrieving and updating PaymentIntents.
 */
import type Stripe from 'stripe';
import { paramError, stateError } from '../errors';
import { ParamReader, applyMetadata, type FormObject } from '../form';
import { newId, nowSeconds, randomToken } from '../ids';
import { checkChargeAmount, parseCurrency } from '../money';
import { attemptPayment, findPaymentIntent, prepareConfirmation } from './confirmation';
import { CAPTURE_METHODS, MUTABLE, PI_NOT_MODELLED, readPaymentMethodTypes, readReturnUrl } from './payment-intent-params';
import { findPaymentMethod, materialize } from './payment-methods';
import { checkExpand, render } from './render';
import type { LedgerState } from './state';
import { type OperationContext, type OperationResult, listOf } from './types';

export function createPaymentIntent(state: LedgerState, form: FormObject, ctx: OperationContext): OperationResult {
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
  let prepared: ReturnType<typeof prepareConfirmation> | undefined;
  if (confirm) prepared = prepareConfirmation(state, draft, paymentMethodId, returnUrl);
  else if (paymentMethodId) findPaymentMethod(state, paymentMethodId, id);
  // Render-time validation of expand[] must also happen before anything is stored.
  checkExpand('payment_intent', expand);

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
  state.paymentIntents.set(id, pi);
  if (paymentMethodId && !confirm) {
    pi.payment_method = materialize(state, findPaymentMethod(state, paymentMethodId, id), id).object.id;
    pi.status = 'requires_confirmation';
  }
  state.events.emit(ctx, 'payment_intent.created', pi);
  if (prepared) {
    const declined = attemptPayment(state, ctx, pi, prepared.paymentMethod, returnUrl);
    if (declined) return declined;
  }
  return render(state, pi, expand);
}

export function retrievePaymentIntent(state: LedgerState, id: string, form: FormObject): OperationResult {
  const params = new ParamReader(form, ['client_secret']);
  const pi = findPaymentIntent(state, id);
  return render(state, pi, params.expand());
}

export function updatePaymentIntent(state: LedgerState, id: string, form: FormObject): OperationResult {
  const params = new ParamReader(
    form,
    ['allowed_payment_method_types', 'amount', 'currency', 'capture_method', 'description', 'metadata', 'payment_method', 'receipt_email',
      'statement_descriptor_suffix', 'transfer_group'],
    [...PI_NOT_MODELLED, 'payment_method_types'],
  );
  const pi = findPaymentIntent(state, id);
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
  const found = paymentMethodRaw ? findPaymentMethod(state, paymentMethodRaw, pi.id) : undefined;
  checkExpand('payment_intent', expand);

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
    pi.payment_method = materialize(state, found, pi.id).object.id;
    pi.status = 'requires_confirmation';
    pi.next_action = null;
  } else if (paymentMethodRaw === '') {
    pi.payment_method = null;
    pi.status = 'requires_payment_method';
    pi.next_action = null;
  }
  return render(state, pi, expand);
}
