import { desc, eq } from 'drizzle-orm';
import { runWithDeps } from '../../../shared/context';
import { devSms, emailDeliveries, users } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import { isolatedPrefix, testEnv } from '../../support/app';
import { withDb } from '../../support/users';

const stand = testEnv as Bindings & { ESKIZ_STANDIN_URL: string; ESKIZ_STANDIN_EMAIL: string; ESKIZ_STANDIN_PASSWORD: string };
export const ESKIZ_URL = stand.ESKIZ_STANDIN_URL;
export const CALLBACK_KEY = 'test-eskiz-callback-key-0123456789';

/** A fresh Uzbek mobile number per call. */
export const uzPhone = () => `+99893${String((crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % 10_000_000).padStart(7, '0')}`;

/**
 * Bindings that pick the Eskiz client, pointed at the stand-in, with Redis keys
 * of their own (so budgets and the cached token start fresh) and the budgets given.
 */
export function eskizEnv(budgets: { daily?: number; prefixes?: string } = {}): Bindings {
  return {
    ...testEnv,
    ESKIZ_BASE_URL: `${ESKIZ_URL}/api`,
    ESKIZ_EMAIL: stand.ESKIZ_STANDIN_EMAIL,
    ESKIZ_PASSWORD: stand.ESKIZ_STANDIN_PASSWORD,
    // Reports go nowhere (a closed port): tests forward them from the stand-in's record.
    ESKIZ_CALLBACK_BASE: 'http://127.0.0.1:9',
    ESKIZ_CALLBACK_KEY: CALLBACK_KEY,
    REDIS_KEY_PREFIX: isolatedPrefix('sms'),
    SMS_DAILY_BUDGET: String(budgets.daily ?? 1000),
    SMS_PREFIX_BUDGETS: budgets.prefixes ?? '+998:1000,*:1000',
  } as Bindings;
}

export const withEnvDeps = <T>(env: Bindings, task: Parameters<typeof runWithDeps<T>>[2]) => runWithDeps(env, {}, task);

export interface StandinSms {
  id: string;
  phone: string;
  message: string;
}

export async function standinSms(phone: string): Promise<StandinSms[]> {
  const res = await fetch(`${ESKIZ_URL}/outbox?phone=${encodeURIComponent(phone)}`);
  return (await res.json<{ data: StandinSms[] }>()).data;
}

export async function standinReport(requestId: string): Promise<Record<string, string>> {
  for (;;) {
    const res = await fetch(`${ESKIZ_URL}/control/reports?request_id=${encodeURIComponent(requestId)}`);
    const [report] = (await res.json<{ data: Array<Record<string, string>> }>()).data;
    if (report) return report;
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function failSmsTo(phone: string, rule: { count?: number; status?: number; report?: string }): Promise<void> {
  await fetch(`${ESKIZ_URL}/control/failures`, { method: 'POST', body: JSON.stringify({ phone, ...rule }) });
}

export const smsDeliveries = (eventId: string) =>
  withDb((db) => db.select().from(emailDeliveries).where(eq(emailDeliveries.eventId, eventId)).orderBy(emailDeliveries.template));

export const outboxSms = (phone: string) => withDb((db) => db.select().from(devSms).where(eq(devSms.toPhone, phone)).orderBy(desc(devSms.id)));

/** A phone proved by a code (only those receive SMS); `verified: false` leaves it a bare contact number. */
export const givePhone = (userId: string, phone: string, verified = true) =>
  withDb((db) => db.update(users).set({ phone, phoneVerifiedAt: verified ? new Date() : null }).where(eq(users.id, userId)));
