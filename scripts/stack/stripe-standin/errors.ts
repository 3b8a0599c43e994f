/** Stripe-shaped API errors: `{ error: { type, code?, message, param?, doc_url?, … } }`. */

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorPayload {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

/**
 * Thrown by request handlers. `saved` tells the idempotency layer whether to keep
 * the response for replays: Stripe saves a result only once an endpoint has
 * started executing, so parameter validation failures are not saved (a retry
 * with the same key and fixed parameters runs normally), while errors raised
 * while executing (state conflicts, declines) are.
 */
export class StripeApiError extends Error {
  readonly status: number;
  readonly payload: StripeErrorPayload;
  readonly saved: boolean;

  constructor(status: number, payload: StripeErrorPayload, saved: boolean) {
    super(payload.message);
    this.status = status;
    this.payload = payload;
    this.saved = saved;
  }
}

interface ErrorOptions {
  code?: string;
  param?: string;
  status?: number;
}

/** A parameter problem found before anything ran: not saved for idempotent replays. */
export function paramError(message: string, options: ErrorOptions = {}): StripeApiError {
  return new StripeApiError(
    options.status ?? 400,
    { type: 'invalid_request_error', message, ...(options.code ? { code: options.code } : {}), ...(options.param ? { param: options.param } : {}) },
    false,
  );
}

/** A problem found while executing (wrong state, over-refund…): saved like any executed result. */
export function stateError(message: string, options: ErrorOptions = {}): StripeApiError {
  return new StripeApiError(
    options.status ?? 400,
    { type: 'invalid_request_error', message, ...(options.code ? { code: options.code } : {}), ...(options.param ? { param: options.param } : {}) },
    true,
  );
}

/** `No such payment_intent: 'pi_x'`: 404 for the object in the path, 400 for one named by a parameter. */
export function resourceMissing(kind: string, id: string, param: string, status: 400 | 404): StripeApiError {
  return paramError(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status });
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}
