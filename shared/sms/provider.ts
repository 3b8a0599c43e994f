/**
 * SMS delivery adapter: one interface, two implementations (Eskiz's HTTP API,
 * shared/sms/eskiz.ts, and the local outbox used in development and tests),
 * chosen from configuration by `smsProviderFor`. Every implementation passes
 * the one contract suite in test/worker/notifications/sms-contract.ts.
 */
export interface SmsMessage {
  /** E.164, e.g. +998901234567. */
  to: string;
  /** The rendered text: one of the templates registered with Eskiz (workers/notifications/templates/sms.ts). */
  text: string;
  /** Stable per SMS (the delivery id): kept with the message so a status report finds its delivery. */
  idempotencyKey: string;
}

export interface SentSms {
  /** The provider's id for the message (Eskiz: the request id its status callback names). */
  id: string;
}

export interface SmsProvider {
  readonly kind: 'eskiz' | 'outbox';
  send(message: SmsMessage): Promise<SentSms>;
}

/**
 * The provider did not take the SMS. `retryable` says whether asking again
 * later can help (timeouts, 429, 5xx, a token it would not renew) or not (a
 * number it refuses, wrong credentials): the latter is failed at once.
 */
export class SmsSendFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SmsSendFailed';
  }
}

/** +998 90 123-45-67 → 998901234567: the digits Eskiz's `mobile_phone` takes. */
export const eskizPhone = (e164: string) => e164.replace(/\D/g, '');
