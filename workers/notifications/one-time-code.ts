import { and, eq, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { emailDeliveries } from '../../shared/db/schema';
import { AppError, SmsUnavailable, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { refundSmsBudget, SmsSendFailed, smsProviderFor, takeSmsBudget } from '../../shared/sms';
import { resolveLocale } from './templates';
import { type OneTimeCodePurpose, renderCodeSms } from './templates/sms';

export interface OneTimeCodeInput {
  /** E.164 (+998901234567), already validated by the caller as a number it may text. */
  phone: string;
  /** The code itself (never stored by this module: the SMS text is only in the provider's hands, or the dev outbox). */
  code: string;
  /** The reader's locale ('uz', 'ru', 'en', 'ru-RU'…; null → the default). */
  locale: string | null | undefined;
  purpose: OneTimeCodePurpose;
  /** The account it is for, when known (kept on the delivery row). */
  userId?: string;
  /** How long the code lives, for the text. Default 5. */
  minutes?: number;
}

/** The event type one-time code deliveries carry: not a domain event, so never in the admin's failed-email list. */
export const ONE_TIME_CODE_EVENT = 'auth.one_time_code';
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * Sends a one-time code by SMS now (a person is waiting for it), after taking
 * it from today's SMS budget. Throws SmsBudgetExhausted (503) when the budget
 * is spent and SmsUnavailable (503) when the provider does not take it; then
 * the budget is given back and nothing was sent. The delivery row (channel
 * 'sms', no code in it) receives Eskiz's delivery report, so a lost SMS shows.
 */
export async function sendOneTimeCode(deps: Deps, input: OneTimeCodeInput): Promise<{ deliveryId: string }> {
  if (!E164.test(input.phone)) throw new ValidationFailed([{ path: 'phone', message: 'must be an E.164 number (+998901234567)' }]);
  const locale = resolveLocale(input.locale, deps.config.DEFAULT_LOCALE);
  const text = renderCodeSms(input.purpose, locale, { code: input.code, minutes: input.minutes ?? 5 });
  const budgets = await takeSmsBudget(deps, input.phone);
  const deliveryId = newId();
  try {
    const provider = smsProviderFor(deps);
    await deps.db.insert(emailDeliveries).values({
      id: deliveryId,
      eventId: deliveryId,
      eventType: ONE_TIME_CODE_EVENT,
      userId: input.userId ?? null,
      toAddress: input.phone,
      template: `sms:one_time_code:${input.purpose}`,
      locale,
      subject: '',
      channel: 'sms',
      attempts: 1,
    });
    const sent = await provider.send({ to: input.phone, text, idempotencyKey: deliveryId });
    await deps.db
      .update(emailDeliveries)
      .set({ status: 'sent', providerMessageId: sent.id, sentAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(emailDeliveries.id, deliveryId));
    return { deliveryId };
  } catch (err) {
    await refundSmsBudget(deps, budgets);
    const error = String(err instanceof Error ? err.message : err).slice(0, 1_000);
    await deps.db
      .update(emailDeliveries)
      .set({ status: 'failed', failedAt: sql`now()`, updatedAt: sql`now()`, lastError: error })
      .where(and(eq(emailDeliveries.id, deliveryId), ne(emailDeliveries.status, 'sent')))
      .catch(() => undefined);
    if (err instanceof SmsSendFailed) {
      deps.logger.error('one-time code SMS not sent', { deliveryId, status: err.status, retryable: err.retryable, error });
      throw new SmsUnavailable(err.retryable ? 'provider_unavailable' : 'provider_refused', err);
    }
    if (err instanceof AppError && err.code === 'MISCONFIGURED') {
      deps.logger.error('one-time code SMS not sent: no SMS provider configured', { deliveryId, error });
      throw new SmsUnavailable('no_provider', err);
    }
    throw err;
  }
}
