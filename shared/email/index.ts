import type { Database } from '../db/client';
import type { Config } from '../env';
import { Misconfigured } from '../errors';
import { httpEmailProvider } from './http';
import { outboxEmailProvider } from './outbox';
import type { EmailProvider } from './provider';

export { EmailSendFailed, type EmailMessage, type EmailProvider, type SentEmail } from './provider';

/**
 * The email provider for this configuration: the HTTP API when
 * EMAIL_PROVIDER_URL is set; the local outbox in development and tests;
 * otherwise a deployment without a provider is misconfigured, which fails the
 * delivery loudly (retries, then the failed list) instead of dropping mail.
 */
export function emailProviderFor(config: Config, db: Database): EmailProvider {
  if (config.EMAIL_PROVIDER_URL) {
    if (!config.EMAIL_PROVIDER_KEY) throw new Misconfigured(['EMAIL_PROVIDER_KEY']);
    return httpEmailProvider({ url: config.EMAIL_PROVIDER_URL, apiKey: config.EMAIL_PROVIDER_KEY });
  }
  if (config.APP_ENV === 'development' || config.APP_ENV === 'test') return outboxEmailProvider(db);
  throw new Misconfigured(['EMAIL_PROVIDER_URL']);
}
