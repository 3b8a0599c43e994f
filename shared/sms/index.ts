import type { Deps } from '../context';
import { Misconfigured } from '../errors';
import { redisKey } from '../redis';
import { eskizSmsProvider, redisTokenStore } from './eskiz';
import { outboxSmsProvider } from './outbox';
import type { SmsProvider } from './provider';

export { SmsSendFailed, type SentSms, type SmsMessage, type SmsProvider } from './provider';
export { refundSmsBudget, SMS_BUDGET_ALERT, takeSmsBudget } from './budget';

/** Where Eskiz posts delivery reports: the API's reports route with the shared key, when both are configured. */
export function smsCallbackUrl(config: Deps['config']): string | undefined {
  if (!config.ESKIZ_CALLBACK_BASE || !config.ESKIZ_CALLBACK_KEY) return undefined;
  const base = config.ESKIZ_CALLBACK_BASE.replace(/\/+$/, '');
  return `${base}/api/v1/notifications/sms/reports?key=${encodeURIComponent(config.ESKIZ_CALLBACK_KEY)}`;
}

/**
 * The SMS provider for this configuration: Eskiz when its credentials are set
 * (the stand-in in development); the local outbox in development and tests
 * without them; otherwise the deployment is misconfigured, which fails the
 * send loudly (a 503 for a code, the failed list for a notification).
 */
export function smsProviderFor(deps: Deps): SmsProvider {
  const { config } = deps;
  if (config.ESKIZ_EMAIL || config.ESKIZ_PASSWORD) {
    if (!config.ESKIZ_EMAIL || !config.ESKIZ_PASSWORD) throw new Misconfigured([config.ESKIZ_EMAIL ? 'ESKIZ_PASSWORD' : 'ESKIZ_EMAIL']);
    return eskizSmsProvider({
      baseUrl: config.ESKIZ_BASE_URL,
      email: config.ESKIZ_EMAIL,
      password: config.ESKIZ_PASSWORD,
      from: config.ESKIZ_FROM,
      callbackUrl: smsCallbackUrl(config),
      // One token per Eskiz account, shared by every isolate through Redis.
      tokens: redisTokenStore(deps.redis, redisKey(config, 'sms', 'eskiz-token', config.ESKIZ_EMAIL)),
    });
  }
  if (config.APP_ENV === 'development' || config.APP_ENV === 'test') return outboxSmsProvider(deps.db);
  throw new Misconfigured(['ESKIZ_EMAIL']);
}
