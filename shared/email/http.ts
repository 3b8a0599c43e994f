import { EmailSendFailed, type EmailMessage, type EmailProvider, type SentEmail } from './provider';

const TIMEOUT_MS = 10_000;
/** Enough of a provider's error body to tell what it disliked, without storing a whole page. */
const ERROR_BODY_CHARS = 300;

export interface HttpEmailOptions {
  /** The send endpoint, e.g. https://api.resend.com/emails. */
  url: string;
  apiKey: string;
  timeoutMs?: number;
}

const retryableStatus = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * A Resend-style transactional email API: POST JSON {from, to: [...], subject,
 * text, html} with a Bearer key and an Idempotency-Key, answered by {id}.
 * Errors never include the key.
 */
export function httpEmailProvider(options: HttpEmailOptions): EmailProvider {
  return {
    kind: 'http',
    async send(message: EmailMessage): Promise<SentEmail> {
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': message.idempotencyKey,
          },
          body: JSON.stringify({
            from: message.from,
            to: [message.to],
            subject: message.subject,
            text: message.text,
            html: message.html,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
        });
      } catch (err) {
        const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'unreachable';
        throw new EmailSendFailed(`email provider ${reason}: ${String(err)}`, true);
      }
      const body = await res.text().catch(() => '');
      if (!res.ok) {
        throw new EmailSendFailed(
          `email provider answered ${res.status}: ${body.slice(0, ERROR_BODY_CHARS)}`,
          retryableStatus(res.status),
          res.status,
        );
      }
      let id: unknown;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      // Accepted without an id: the email is on its way, but record that the answer was odd.
      return { id: typeof id === 'string' && id ? id : `unknown:${message.idempotencyKey}` };
    },
  };
}
