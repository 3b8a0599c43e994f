import { and, eq, ne, sql } from 'drizzle-orm';
import { timingSafeEqual } from '../../shared/auth/password';
import type { Deps } from '../../shared/context';
import { emailDeliveries } from '../../shared/db/schema';
import { Unauthenticated } from '../../shared/errors';
import type { SmsReport } from './schemas';

/** Eskiz's final statuses that mean the SMS never reached the phone (anything else but DELIVRD is interim). */
const UNDELIVERED = new Set(['UNDELIV', 'UNDELIVERABLE', 'REJECTD', 'REJECTED', 'EXPIRED', 'DELETED', 'UNKNOWN', 'FAILED']);
const DELIVERED = new Set(['DELIVRD', 'DELIVERED']);

const bytes = (s: string) => new TextEncoder().encode(s);

/**
 * Eskiz's delivery report for an SMS we sent (its `request_id` is the id the
 * send answered, kept as the delivery's provider id). The key in the callback
 * URL is the only proof it comes from Eskiz. A report of an SMS that never
 * arrived marks the delivery failed, so a lost notification SMS shows in the
 * admin's failed list (and can be sent again). Unknown ids are acknowledged:
 * Eskiz has nothing to do about them.
 */
export async function recordSmsReport(deps: Deps, key: string | undefined, report: SmsReport): Promise<{ matched: boolean }> {
  const expected = deps.config.ESKIZ_CALLBACK_KEY;
  if (!expected || !key || !timingSafeEqual(bytes(key), bytes(expected))) throw new Unauthenticated('The report key is missing or wrong.');
  const status = report.status.toUpperCase();
  const undelivered = UNDELIVERED.has(status);
  const updated = await deps.db
    .update(emailDeliveries)
    .set({
      reportStatus: status,
      reportedAt: sql`now()`,
      updatedAt: sql`now()`,
      ...(undelivered ? { status: 'failed' as const, failedAt: sql`now()`, lastError: `Eskiz reported ${status}` } : {}),
    })
    .where(
      and(
        eq(emailDeliveries.channel, 'sms'),
        eq(emailDeliveries.providerMessageId, report.request_id),
        // A late interim report never overwrites a final one.
        DELIVERED.has(status) || undelivered ? undefined : sql`coalesce(${emailDeliveries.reportStatus}, '') not in ('DELIVRD', 'DELIVERED', 'UNDELIV', 'REJECTD', 'EXPIRED')`,
        undelivered ? ne(emailDeliveries.status, 'failed') : undefined,
      ),
    )
    .returning({ id: emailDeliveries.id, eventType: emailDeliveries.eventType });
  const row = updated[0];
  if (row && undelivered) deps.logger.warn('SMS not delivered, Eskiz reports', { deliveryId: row.id, eventType: row.eventType, status });
  return { matched: updated.length > 0 };
}
