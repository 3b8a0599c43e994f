import { and, eq, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { emailDeliveries } from '../../shared/db/schema';
import { emailProviderFor, EmailSendFailed } from '../../shared/email';
import { SmsBudgetExhausted } from '../../shared/errors';
import { refundSmsBudget, SmsSendFailed, smsProviderFor, takeSmsBudget } from '../../shared/sms';
import type { Rendered } from './templates';

export interface Delivery {
  id: string;
  channel: 'email' | 'sms';
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1_000);

/**
 * Sends one delivery (an email or an SMS) unless it was sent already. The
 * claim (attempts + 1 only if nobody else bumped it since we read it) makes
 * two copies of one message running at once send once; the delivery id goes
 * to the provider as the idempotency key. `final(err)` says whether an error
 * goes straight to the failed list (retrying cannot help) or is thrown, so the
 * queue retries and, in the end, dead-letters the event.
 */
async function claimAndSend(deps: Deps, delivery: Delivery, transmit: () => Promise<{ id: string }>, final: (err: unknown) => boolean): Promise<void> {
  if (delivery.status === 'sent') return;
  const claimed = await deps.db
    .update(emailDeliveries)
    .set({ attempts: sql`${emailDeliveries.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, 'sent'), eq(emailDeliveries.attempts, delivery.attempts)))
    .returning({ id: emailDeliveries.id });
  if (!claimed.length) {
    deps.logger.debug('delivery claimed by another consumer', { deliveryId: delivery.id, channel: delivery.channel });
    return;
  }
  try {
    const sent = await transmit();
    await deps.db
      .update(emailDeliveries)
      .set({ status: 'sent', providerMessageId: sent.id, sentAt: sql`now()`, failedAt: null, lastError: null, updatedAt: sql`now()` })
      .where(eq(emailDeliveries.id, delivery.id));
  } catch (err) {
    const isFinal = final(err);
    await deps.db
      .update(emailDeliveries)
      .set({ lastError: errorText(err), updatedAt: sql`now()`, ...(isFinal ? { status: 'failed' as const, failedAt: sql`now()` } : {}) })
      .where(and(eq(emailDeliveries.id, delivery.id), ne(emailDeliveries.status, 'sent')));
    if (!isFinal) throw err;
    deps.logger.error(`${delivery.channel} rejected; left in the failed list`, { deliveryId: delivery.id, error: errorText(err) });
  }
}

/** The email of a prepared notification. A rejection that retrying cannot fix (bad address, bad key) is final. */
export const sendEmail = (deps: Deps, delivery: Delivery, to: string, rendered: Rendered) =>
  claimAndSend(
    deps,
    delivery,
    () =>
      emailProviderFor(deps.config, deps.db).send({
        from: deps.config.EMAIL_FROM,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        idempotencyKey: delivery.id,
      }),
    (err) => err instanceof EmailSendFailed && !err.retryable,
  );

/**
 * The SMS of a prepared notification, within today's SMS budget. A spent
 * budget is final (alerted by takeSmsBudget; waiting a day would make the news
 * stale), as is a number Eskiz refuses; an SMS the provider did not take gives
 * its budget back.
 */
export const sendSms = (deps: Deps, delivery: Delivery, to: string, text: string) =>
  claimAndSend(
    deps,
    delivery,
    async () => {
      const budgets = await takeSmsBudget(deps, to);
      try {
        return await smsProviderFor(deps).send({ to, text, idempotencyKey: delivery.id });
      } catch (err) {
        await refundSmsBudget(deps, budgets);
        throw err;
      }
    },
    (err) => err instanceof SmsBudgetExhausted || (err instanceof SmsSendFailed && !err.retryable),
  );
