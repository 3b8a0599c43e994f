/**
 * The payment providers behind the seam (DESIGN §7). `PAYMENT_PROVIDERS`
 * enables them per deployment; the checkout names one.
 */
export const PROVIDER_NAMES = ['stripe', 'payme', 'click', 'cash'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * Which provider a payment id belongs to. Stripe's ids are its own
 * (`pi_…`); the providers whose payments live in our tables get
 * `<provider>_<uuid>`, so a payment id alone picks its gateway (no read).
 */
export function providerOfPaymentId(paymentId: string): ProviderName {
  const prefix = paymentId.slice(0, paymentId.indexOf('_'));
  return prefix === 'payme' || prefix === 'click' || prefix === 'cash' ? prefix : 'stripe';
}

/**
 * A payment provider's view of one payment (for Stripe, a PaymentIntent).
 * Amounts are minor units; `amountRefunded` is what the provider has given
 * back so far. Events may arrive late, twice or out of order, so whoever acts
 * on a payment reads this state again rather than trusting an event's copy.
 */
export interface PaymentState {
  /** The provider's id for the payment (a PaymentIntent id). */
  id: string;
  /** The provider's status, e.g. `requires_payment_method`, `requires_action`, `processing`, `succeeded`, `canceled`. */
  status: string;
  amount: number;
  amountReceived: number;
  amountRefunded: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** What a browser needs to finish the payment with the provider's script, when there is such a thing. */
  clientSecret: string | null;
  /** Where the buyer goes to pay (Payme's and Click's checkout pages); null when there is no such page. */
  checkoutUrl?: string | null;
  /** The order (and buyer) the payment was created for. */
  orderId?: string;
  userId?: string;
  /** The last attempt's failure, as the provider words it. */
  lastError: string | null;
}

export interface CreatePaymentInput {
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  description: string;
}

export type CancelReason = 'requested_by_customer' | 'abandoned';
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface RefundInput {
  paymentId: string;
  amount: number;
  reason?: RefundReason;
  /** Kept with the refund at the provider (order id, why it was made). */
  metadata: Record<string, string>;
}

/** A verified provider webhook, reduced to what the API acts on. */
export interface PaymentWebhookEvent {
  /** The provider's event id: recording it makes a replay a no-op. */
  id: string;
  /** The provider's event type, recorded with the id. */
  type: string;
  /** The payment whose state this event may have changed (absent for events the API ignores). */
  paymentId?: string;
  /** A declined attempt, as the event reported it (the order stays payable; the buyer is told). */
  declined?: {
    paymentId: string;
    orderId?: string;
    userId?: string;
    amount: number | null;
    currency: string | null;
    reason: string;
  };
}

/** The provider declined the card or payment method: the buyer can act on it (402), retrying the same call cannot. */
export class PaymentDeclined extends Error {
  constructor(
    message: string,
    readonly declineCode: string | null,
  ) {
    super(message);
    this.name = 'PaymentDeclined';
  }
}

/**
 * The payments seam (DESIGN §7): every call the API makes to a payment
 * provider goes through this interface. Each method that creates or moves
 * money takes an idempotency key, so a retried step has no second effect. An
 * unreachable provider (connection failure, timeout, 5xx, rate limit) throws
 * `DependencyUnavailable` (503); a missing secret throws `Misconfigured`.
 */
export interface PaymentGateway {
  /** The provider's name, as stored in `payments.provider`. */
  readonly provider: string;
  /** Creates a payment for an order; the same key answers the same payment. */
  createPayment(input: CreatePaymentInput, idempotencyKey: string): Promise<PaymentState>;
  /**
   * Confirms a payment with a payment method server-side; a decline throws
   * `PaymentDeclined`. Only providers paid from our API (Stripe) have it.
   */
  confirmPayment?(paymentId: string, paymentMethodId: string): Promise<PaymentState>;
  /** Closes an unpaid payment so it can no longer be paid; throws when it was paid meanwhile. */
  cancelPayment(paymentId: string, reason?: CancelReason): Promise<void>;
  /** Refunds part or all of a captured payment; the same key never refunds twice. */
  refundPayment(input: RefundInput, idempotencyKey: string): Promise<{ id: string; amount: number }>;
  /** The payment as the provider has it now, refunds included. */
  retrievePayment(paymentId: string): Promise<PaymentState>;
  /** Checks a webhook's signature against the raw body; throws when it does not verify (Stripe). */
  verifyWebhook?(rawBody: string, signature: string | undefined): Promise<PaymentWebhookEvent>;
}
