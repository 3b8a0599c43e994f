/**
 * Email delivery adapter: one interface, two implementations (a transactional
 * email API over HTTP, and the local outbox used in development and tests),
 * chosen from configuration by `emailProviderFor`.
 */
export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per email (the delivery id): a provider that sees it twice sends once. */
  idempotencyKey: string;
}

export interface SentEmail {
  /** The provider's id for the message (kept on the delivery row). */
  id: string;
}

export interface EmailProvider {
  readonly kind: 'http' | 'outbox';
  send(message: EmailMessage): Promise<SentEmail>;
}

/**
 * The provider did not take the email. `retryable` says whether asking again
 * later can help (timeouts, 429, 5xx) or not (a rejected address, a bad key):
 * the latter goes straight to the failed list instead of burning retries.
 */
export class EmailSendFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmailSendFailed';
  }
}
