/**
 * Typed application errors. Services throw these; `problemResponse` (in
 * shared/problem.ts) turns them into RFC 9457 problem+json exactly once.
 */

/** Every machine-readable error code, with the HTTP status it always maps to. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_FAILED: 402,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  LAST_ADMIN: 409,
  OUT_OF_STOCK: 409,
  PRICE_CHANGED: 409,
  TOO_MANY_UNPAID_ORDERS: 409,
  UNIT_LIMIT_EXCEEDED: 409,
  PURCHASE_LIMIT_EXCEEDED: 409,
  CHECKOUT_IN_PROGRESS: 409,
  SHIPPING_CHOICE_INVALID: 409,
  PAYMENT_PROVIDER_UNAVAILABLE: 409,
  RETURN_WINDOW_CLOSED: 409,
  RETURN_QUANTITY_EXCEEDED: 409,
  INSUFFICIENT_BALANCE: 409,
  TOO_MANY_CASH_ORDERS: 409,
  PAYLOAD_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  MISCONFIGURED: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  SMS_BUDGET_EXHAUSTED: 503,
  SMS_UNAVAILABLE: 503,
  PROMOTION_UNAVAILABLE: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Validation failed',
  MALFORMED_JSON: 'Malformed JSON',
  UNAUTHENTICATED: 'Authentication required',
  PAYMENT_FAILED: 'Payment failed',
  FORBIDDEN: 'Forbidden',
  EMAIL_NOT_VERIFIED: 'Email not verified',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency key reused',
  LAST_ADMIN: 'Last active admin',
  OUT_OF_STOCK: 'Out of stock',
  PRICE_CHANGED: 'Price changed',
  TOO_MANY_UNPAID_ORDERS: 'Too many unpaid orders',
  UNIT_LIMIT_EXCEEDED: 'Unit limit exceeded',
  PURCHASE_LIMIT_EXCEEDED: 'Purchase limit exceeded',
  CHECKOUT_IN_PROGRESS: 'Checkout in progress',
  SHIPPING_CHOICE_INVALID: 'Shipping choice invalid',
  PAYMENT_PROVIDER_UNAVAILABLE: 'Payment provider unavailable',
  RETURN_WINDOW_CLOSED: 'Return window closed',
  RETURN_QUANTITY_EXCEEDED: 'Too many units to return',
  INSUFFICIENT_BALANCE: 'Insufficient balance',
  TOO_MANY_CASH_ORDERS: 'Too many open cash orders',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  QUOTA_EXCEEDED: 'Storage quota exceeded',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RANGE_NOT_SATISFIABLE: 'Range not satisfiable',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
  MISCONFIGURED: 'Service misconfigured',
  DEPENDENCY_UNAVAILABLE: 'Dependency unavailable',
  SMS_BUDGET_EXHAUSTED: 'SMS budget exhausted',
  SMS_UNAVAILABLE: 'SMS unavailable',
  PROMOTION_UNAVAILABLE: 'Promotion unavailable',
};

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Extra members added to the problem document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.headers = options.headers;
  }
}

export class ValidationFailed extends AppError {
  constructor(errors: FieldError[], detail = 'The request is not valid.') {
    super('VALIDATION_FAILED', detail, { errors });
  }
}

export class MalformedJson extends AppError {
  constructor() {
    super('MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

export class Unauthenticated extends AppError {
  constructor(detail = 'A valid access token is required.') {
    super('UNAUTHENTICATED', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}

export class Forbidden extends AppError {
  constructor(detail = 'You are not allowed to do this.') {
    super('FORBIDDEN', detail);
  }
}

export class NotFound extends AppError {
  constructor(entity: string, id?: string) {
    super('NOT_FOUND', id === undefined ? `No such ${entity}.` : `No ${entity} with id '${id}'.`, {
      extensions: { entity },
    });
  }
}

export class MethodNotAllowed extends AppError {
  constructor(method: string, allowed: string[]) {
    super('METHOD_NOT_ALLOWED', `${method} is not allowed here.`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

export class Conflict extends AppError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super('CONFLICT', detail, { extensions });
  }
}

/** The change would leave no active admin (demoting, disabling or deleting the last one). */
export class LastAdmin extends AppError {
  constructor(userId: string) {
    super('LAST_ADMIN', 'This is the last active admin; make another user an admin first.', { extensions: { userId } });
  }
}

export class IdempotencyKeyReused extends AppError {
  constructor(detail = 'This Idempotency-Key was already used with a different request.') {
    super('IDEMPOTENCY_KEY_REUSED', detail);
  }
}

export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

export class OutOfStock extends AppError {
  constructor(readonly items: StockShortage[]) {
    super('OUT_OF_STOCK', `Not enough stock for ${items.map((i) => i.sku).join(', ')}.`, {
      extensions: { items },
    });
  }
}

/** Checkout re-priced the cart and its total is not the one the shopper was shown. */
export class PriceChanged extends AppError {
  constructor(expected: { amount: number; currency: string }, cart: { total: number; currency: string }) {
    super('PRICE_CHANGED', `The total is now ${cart.total} ${cart.currency}, not the ${expected.amount} ${expected.currency} you were shown.`, {
      extensions: { expectedTotal: expected, cart },
    });
  }
}

export class TooManyUnpaidOrders extends AppError {
  constructor(limit: number) {
    super('TOO_MANY_UNPAID_ORDERS', `You have ${limit} unpaid orders; pay or cancel one before placing another.`, {
      extensions: { limit },
    });
  }
}

/** More units of one SKU than a customer may hold at once (cart plus unpaid orders). */
export class UnitLimitExceeded extends AppError {
  constructor(sku: string, limit: number, held: number) {
    super('UNIT_LIMIT_EXCEEDED', `At most ${limit} units of ${sku} may be held at once (cart and unpaid orders); you would hold ${held}.`, {
      extensions: { sku, limit, held },
    });
  }
}

/** The seller's per-customer limit on a product ("2 per customer"). */
export class PurchaseLimitExceeded extends AppError {
  constructor(sku: string, productId: string, limit: number, alreadyBought: number) {
    super('PURCHASE_LIMIT_EXCEEDED', `This product is limited to ${limit} per customer; you already have ${alreadyBought} in orders.`, {
      extensions: { sku, productId, limit, alreadyBought },
    });
  }
}

export class EmailNotVerified extends AppError {
  constructor() {
    super('EMAIL_NOT_VERIFIED', 'Verify your email address before placing an order.');
  }
}

export class CheckoutInProgress extends AppError {
  constructor(retryAfterSeconds: number) {
    super('CHECKOUT_IN_PROGRESS', 'Another checkout of this cart is still running; retry with a new Idempotency-Key once it has finished.', {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export class PaymentFailed extends AppError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super('PAYMENT_FAILED', detail, { extensions });
  }
}

export class PayloadTooLarge extends AppError {
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes.`, {
      extensions: { limitBytes },
    });
  }
}

export class UnsupportedMediaType extends AppError {
  constructor(received: string | undefined, accepted: string[]) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type '${received ?? '(none)'}' is not accepted here; send ${accepted.join(' or ')}.`,
      { extensions: { accepted } },
    );
  }
}

export class QuotaExceeded extends AppError {
  constructor(quotaBytes: number, usedBytes: number, neededBytes: number) {
    super('QUOTA_EXCEEDED', `This needs ${neededBytes} bytes; ${Math.max(0, quotaBytes - usedBytes)} of your ${quotaBytes} remain.`, {
      extensions: { quotaBytes, usedBytes },
    });
  }
}

export class RangeNotSatisfiable extends AppError {
  constructor(size: number) {
    super('RANGE_NOT_SATISFIABLE', `The file has ${size} bytes; the requested range is outside it.`, {
      extensions: { size },
      headers: { 'Content-Range': `bytes */${size}` },
    });
  }
}

export class RateLimited extends AppError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export class DependencyUnavailable extends AppError {
  constructor(dependency: string, cause?: unknown) {
    super('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable; try again shortly.`, {
      extensions: { dependency },
      headers: { 'Retry-After': '5' },
      cause,
    });
  }
}

export class Misconfigured extends AppError {
  constructor(settings: string[]) {
    super('MISCONFIGURED', `The service is missing or has invalid settings: ${settings.join(', ')}.`, {
      extensions: { settings },
    });
  }
}

/** Why a seller group's shipping choice at checkout was refused (docs/shipping.md). */
export type ShippingChoiceProblem =
  | 'missing'
  | 'method_unavailable'
  | 'pickup_point_required'
  | 'pickup_point_invalid'
  | 'pickup_point_not_allowed'
  | 'seller_not_in_cart';

/** POST /orders: a seller group's shipping choice is missing or not one of its options; nothing was placed. */
export class ShippingChoiceInvalid extends AppError {
  constructor(readonly problems: Array<{ sellerId: string; problem: ShippingChoiceProblem; methodId?: string; pickupPointId?: string }>) {
    const first = problems[0];
    super('SHIPPING_CHOICE_INVALID', `The shipping choice for seller ${first?.sellerId ?? '?'} is not valid (${first?.problem ?? '?'}); see problems.`, {
      extensions: { sellerId: first?.sellerId, problems },
    });
  }
}

/** The checkout names a payment provider this deployment does not offer, or one that cannot take the order. */
export class PaymentProviderUnavailable extends AppError {
  constructor(provider: string, detail: string, offered: readonly string[], extra: Record<string, unknown> = {}) {
    super('PAYMENT_PROVIDER_UNAVAILABLE', detail, { extensions: { provider, offered, ...extra } });
  }
}

/** A cash-on-delivery checkout while the customer already has `CASH_MAX_OPEN_ORDERS` cash orders not yet collected (docs/cash-on-delivery.md). */
export class TooManyCashOrders extends AppError {
  constructor(limit: number) {
    super('TOO_MANY_CASH_ORDERS', `You have ${limit} cash-on-delivery orders awaiting delivery; receive or cancel one, or pay online.`, { extensions: { limit } });
  }
}

/** A return asked for after `RETURN_WINDOW_DAYS` from the seller order's delivery. */
export class ReturnWindowClosed extends AppError {
  constructor(deliveredAt: string, closedAt: string) {
    super('RETURN_WINDOW_CLOSED', `Returns for this seller order closed at ${closedAt}.`, { extensions: { deliveredAt, closedAt } });
  }
}

/** A return asking for more units of a line than were delivered and are not already being (or been) returned. */
export class ReturnQuantityExceeded extends AppError {
  constructor(lines: Array<{ orderItemId: string; requested: number; returnable: number }>) {
    super('RETURN_QUANTITY_EXCEEDED', 'More units than can still be returned; see lines.', { extensions: { lines } });
  }
}
/** A payout larger than the seller's available balance in that currency (docs/ledger.md). */
export class InsufficientBalance extends AppError {
  constructor(requested: number, available: number, currency: string) {
    super('INSUFFICIENT_BALANCE', `The payout of ${requested} exceeds the available balance of ${available} ${currency}.`, {
      extensions: { requested, available, currency },
    });
  }
}

/** The day's SMS budget (the deployment's, or the destination prefix's) is spent: no SMS until it renews (docs/notifications.md). */
export class SmsBudgetExhausted extends AppError {
  constructor(scope: string, retryAfterSeconds: number) {
    super('SMS_BUDGET_EXHAUSTED', `Today's SMS budget (${scope}) is spent; no SMS can be sent now.`, {
      extensions: { scope },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** The SMS provider did not take the message (unreachable, refused, misconfigured); nothing was sent. */
export class SmsUnavailable extends AppError {
  constructor(reason: 'provider_unavailable' | 'provider_refused' | 'no_provider' | 'budget_unavailable', cause?: unknown) {
    super('SMS_UNAVAILABLE', 'The SMS could not be sent; try again shortly.', {
      extensions: { reason },
      headers: { 'Retry-After': '30' },
      cause,
    });
  }
}

/**
 * A promotion the cart showed can no longer be given at checkout (its uses ran out while the order was
 * placed, or it ended): the order is not placed and nothing is held, so the shopper never pays a price
 * other than the one shown; the cart shows the new price (docs/promotions.md).
 */
export class PromotionUnavailable extends AppError {
  constructor(promotionId: string, reason: string, code: string | null) {
    super('PROMOTION_UNAVAILABLE', 'A discount in your cart is no longer available; review the cart and check out again.', {
      extensions: { promotionId, reason, ...(code ? { discountCode: code } : {}) },
    });
  }
}
