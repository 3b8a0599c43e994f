import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emailDeliveries } from '../../../shared/db/schema';
import { SmsBudgetExhausted, SmsUnavailable } from '../../../shared/errors';
import { outboxSmsProvider } from '../../../shared/sms/outbox';
import { sendOneTimeCode } from '../../../workers/notifications/public';
import { call, expectProblem } from '../../support/app';
import { API, api, withDb } from '../../support/users';
import { deliver, DLQ, quietUser, recordedEvent } from './helpers';
import { smsProviderContract } from './sms-contract';
import { CALLBACK_KEY, eskizEnv, failSmsTo, givePhone, outboxSms, smsDeliveries, standinReport, standinSms, uzPhone, withEnvDeps } from './sms-helpers';

afterEach(() => vi.restoreAllMocks());

smsProviderContract({
  name: 'local outbox (dev_sms)',
  provider: () => ({ kind: 'outbox', send: (m) => withDb((db) => outboxSmsProvider(db).send(m)) }),
  sent: async (phone) => outboxSms(phone),
  phone: uzPhone,
});

const code = (env = eskizEnv(), phone = uzPhone(), locale: string | null = 'uz') =>
  withEnvDeps(env, (deps) => sendOneTimeCode(deps, { phone, code: '482913', locale, purpose: 'sign_in' }));

/** Eskiz posting a delivery report to the API (configured with the callback key). */
const report = (body: unknown, key = CALLBACK_KEY) =>
  call(
    new Request(`${API}/notifications/sms/reports?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { env: { ESKIZ_CALLBACK_KEY: CALLBACK_KEY } },
  );

describe('sendOneTimeCode through Eskiz (the stand-in)', () => {
  it('sends the code in the reader’s language, records the delivery without the code, and takes Eskiz’s report', async () => {
    const env = eskizEnv();
    const phone = uzPhone();
    const { deliveryId } = await code(env, phone, 'ru-RU');
    const [sms] = await standinSms(phone);
    expect(sms?.message).toBe('UltraMarket: код входа 482913, действует 5 мин. Никому не сообщайте.');
    const [row] = await withDb((db) => db.select().from(emailDeliveries).where(eq(emailDeliveries.id, deliveryId)));
    expect(row).toMatchObject({ channel: 'sms', status: 'sent', toAddress: phone, providerMessageId: sms?.id, locale: 'ru', reportStatus: null });
    expect(JSON.stringify(row)).not.toContain('482913');

    const res = await report(await standinReport(sms?.id ?? ''));
    expect([res.status, await res.json()]).toEqual([200, { matched: true }]);
    const [after] = await withDb((db) => db.select().from(emailDeliveries).where(eq(emailDeliveries.id, deliveryId)));
    expect(after).toMatchObject({ status: 'sent', reportStatus: 'DELIVRD' });
  });

  it('a report that the SMS never arrived marks the delivery failed; a wrong key is a 401 and changes nothing', async () => {
    const env = eskizEnv();
    const phone = uzPhone();
    await failSmsTo(phone, { count: 1, report: 'UNDELIV' });
    const { deliveryId } = await code(env, phone);
    const [sms] = await standinSms(phone);
    const body = await standinReport(sms?.id ?? '');
    expect((await report(body, 'wrong-key-wrong-key-wrong')).status).toBe(401);
    expect((await withDb((db) => db.select().from(emailDeliveries).where(eq(emailDeliveries.id, deliveryId))))[0]?.status).toBe('sent');
    expect((await report(body)).status).toBe(200);
    const [row] = await withDb((db) => db.select().from(emailDeliveries).where(eq(emailDeliveries.id, deliveryId)));
    expect(row).toMatchObject({ status: 'failed', reportStatus: 'UNDELIV', lastError: 'Eskiz reported UNDELIV' });
  });

  it('an Eskiz failure is a 503 SMS_UNAVAILABLE and gives the budget back', async () => {
    const env = eskizEnv({ daily: 1 });
    const phone = uzPhone();
    await failSmsTo(phone, { count: 1, status: 500 });
    const error = await code(env, phone).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsUnavailable);
    expect([(error as SmsUnavailable).status, (error as SmsUnavailable).extensions]).toEqual([503, { reason: 'provider_unavailable' }]);
    // The failed attempt cost nothing: the budget of one still sends.
    await code(env, phone);
    expect(await standinSms(phone)).toHaveLength(1);
  });
});

describe('SMS budget', () => {
  it('the deployment’s daily budget holds under concurrency, then a 503 and an alert', async () => {
    const env = eskizEnv({ daily: 3 });
    const errors = vi.spyOn(console, 'error');
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => code(env)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused.every((e) => e instanceof SmsBudgetExhausted && e.status === 503 && e.extensions?.scope === 'deployment')).toBe(true);
    const alerts = errors.mock.calls.map((c) => JSON.parse(String(c[0])) as { alert?: string }).filter((l) => l.alert === 'sms_budget_exhausted');
    expect(alerts).toHaveLength(3);
  });

  it('a destination prefix has its own budget: numbers abroad run out while Uzbek ones still go', async () => {
    const env = eskizEnv({ daily: 100, prefixes: '+998:100,*:1' });
    await code(env, '+447700900123');
    const abroad = await code(env, '+447700900124').catch((e: unknown) => e);
    expect(abroad).toBeInstanceOf(SmsBudgetExhausted);
    expect((abroad as SmsBudgetExhausted).extensions).toEqual({ scope: '*' });
    await code(env, uzPhone());
  });
});

describe('the SMS channel of notifications', () => {
  it('a parcel shipped: SMS with tracking in the user’s language, once, beside the email', async () => {
    const env = eskizEnv();
    const user = await quietUser({ locale: 'uz' });
    const phone = uzPhone();
    await givePhone(user.id, phone);
    const event = await recordedEvent('seller_order.shipped', user);
    expect((await deliver(event, { env })).acked).toBe(true);
    expect((await deliver(event, { env })).acked).toBe(true);
    const sms = await standinSms(phone);
    expect(sms.map((s) => s.message)).toEqual(["UltraMarket: UM-2026-000001 buyurtmangiz jo'natildi. UzPost UZ123 https://track.example.uz/UZ123"]);
    const rows = await smsDeliveries(event.id);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['sms', 'sent', 1],
    ]);
  });

  it('no SMS for a user without a verified phone, for a kind SMS does not carry, or with SMS turned off', async () => {
    const env = eskizEnv();
    const noPhone = await quietUser();
    const paid = await recordedEvent('order.paid', noPhone);
    expect((await deliver(paid, { env })).acked).toBe(true);
    expect((await smsDeliveries(paid.id)).map((r) => r.channel)).toEqual(['email']);

    // A contact number never proved by a code gets no SMS.
    const unproved = await quietUser();
    const unprovedPhone = uzPhone();
    await givePhone(unproved.id, unprovedPhone, false);
    const paidUnproved = await recordedEvent('order.paid', unproved);
    expect((await deliver(paidUnproved, { env })).acked).toBe(true);
    expect((await smsDeliveries(paidUnproved.id)).map((r) => r.channel)).toEqual(['email']);
    expect(await standinSms(unprovedPhone)).toEqual([]);

    const withPhone = await quietUser();
    const phone = uzPhone();
    await givePhone(withPhone.id, phone);
    const placed = await recordedEvent('order.placed', withPhone);
    expect((await deliver(placed, { env })).acked).toBe(true);
    expect((await smsDeliveries(placed.id)).map((r) => r.channel)).toEqual(['email']);

    const off = await SELF.fetch(`${API}/notifications/preferences`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${withPhone.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ preferences: [{ kind: 'order.paid', channel: 'sms', enabled: false }] }),
    });
    expect(off.status).toBe(200);
    const paidToo = await recordedEvent('order.paid', withPhone);
    expect((await deliver(paidToo, { env })).acked).toBe(true);
    expect((await smsDeliveries(paidToo.id)).map((r) => r.channel)).toEqual(['email']);
    expect(await standinSms(phone)).toEqual([]);
  });

  it('an Eskiz outage is retried without resending the email; the dead letter lists the SMS as failed', async () => {
    const env = eskizEnv();
    const user = await quietUser({ locale: 'en' });
    const phone = uzPhone();
    await givePhone(user.id, phone);
    await failSmsTo(phone, { count: 1, status: 503 });
    const event = await recordedEvent('seller_order.delivered', user);
    expect((await deliver(event, { env })).retried).toBe(true);
    expect((await deliver(event, { env, attempts: 2 })).acked).toBe(true);
    const rows = await smsDeliveries(event.id);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['sms', 'sent', 2],
    ]);
    expect((await standinSms(phone)).map((s) => s.message)).toEqual(['UltraMarket: your order UM-2026-000001 was delivered. Thank you!']);

    const stuck = await quietUser();
    const stuckPhone = uzPhone();
    await givePhone(stuck.id, stuckPhone);
    await failSmsTo(stuckPhone, { status: 503 });
    const lost = await recordedEvent('order.paid', stuck);
    expect((await deliver(lost, { env })).retried).toBe(true);
    expect((await deliver(lost, { env, queue: DLQ })).acked).toBe(true);
    const [, sms] = await smsDeliveries(lost.id);
    expect(sms).toMatchObject({ channel: 'sms', status: 'failed', toAddress: stuckPhone });
    expect(sms?.lastError).toContain('503');
  });

  it('a spent budget fails the SMS at once (no retries) and still sends the email', async () => {
    const env = eskizEnv({ daily: 0 });
    const user = await quietUser();
    await givePhone(user.id, uzPhone());
    const event = await recordedEvent('order.paid', user);
    expect((await deliver(event, { env })).acked).toBe(true);
    const rows = await smsDeliveries(event.id);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['sms', 'failed'],
    ]);
    expect(rows[1]?.lastError).toContain('SMS budget');
  });
});

// ---- per-user channel preferences ----

interface Preference {
  kind: string;
  channel: string;
  enabled: boolean;
  editable: boolean;
}

const get = async (token: string) => (await (await api('GET', '/notifications/preferences', { token })).json<{ data: Preference[] }>()).data;
const find = (list: Preference[], kind: string, channel: string) => list.find((p) => p.kind === kind && p.channel === channel);

describe('GET/PUT /notifications/preferences', () => {
  it('starts from the defaults: every channel on where it exists, SMS only for the SMS kinds, security emails locked', async () => {
    const user = await quietUser();
    const list = await get(user.accessToken);
    expect(find(list, 'order.paid', 'sms')).toEqual({ kind: 'order.paid', channel: 'sms', enabled: true, editable: true });
    expect(find(list, 'seller_order.shipped', 'sms')?.enabled).toBe(true);
    expect(find(list, 'order.placed', 'sms')).toBeUndefined();
    expect(find(list, 'order.placed', 'in_app')?.enabled).toBe(true);
    expect(find(list, 'auth.password_reset_requested', 'email')).toMatchObject({ enabled: true, editable: false });
    expect(list.filter((p) => p.channel === 'sms').map((p) => p.kind).sort()).toEqual(['order.paid', 'seller_order.delivered', 'seller_order.ready_for_pickup', 'seller_order.shipped']);
  });

  it('changes only the listed choices, keeps them per user, and a repeated PUT is the same', async () => {
    const user = await quietUser();
    const other = await quietUser();
    const body = { preferences: [{ kind: 'order.paid', channel: 'sms', enabled: false }, { kind: 'order.shipped', channel: 'email', enabled: false }] };
    for (let i = 0; i < 2; i++) {
      const res = await api('PUT', '/notifications/preferences', { token: user.accessToken, body });
      expect(res.status).toBe(200);
    }
    const list = await get(user.accessToken);
    expect([find(list, 'order.paid', 'sms')?.enabled, find(list, 'order.shipped', 'email')?.enabled, find(list, 'order.paid', 'email')?.enabled]).toEqual([false, false, true]);
    expect(find(await get(other.accessToken), 'order.paid', 'sms')?.enabled).toBe(true);
    await api('PUT', '/notifications/preferences', { token: user.accessToken, body: { preferences: [{ kind: 'order.paid', channel: 'sms', enabled: true }] } });
    expect(find(await get(user.accessToken), 'order.paid', 'sms')?.enabled).toBe(true);
  });

  it('400 for a channel a kind has not, for turning off a security email, or an unknown kind; nothing changes', async () => {
    const user = await quietUser();
    const before = await get(user.accessToken);
    const mixed = {
      preferences: [
        { kind: 'order.paid', channel: 'sms', enabled: false },
        { kind: 'user.registered', channel: 'sms', enabled: true },
        { kind: 'auth.password_changed', channel: 'email', enabled: false },
      ],
    };
    const problem = await expectProblem(await api('PUT', '/notifications/preferences', { token: user.accessToken, body: mixed }), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toEqual(['preferences.1.channel', 'preferences.2.enabled']);
    for (const bad of [{ preferences: [{ kind: 'nope', channel: 'sms', enabled: true }] }, { preferences: [] }, { preferences: [{ kind: 'order.paid', channel: 'fax', enabled: true }] }]) {
      await expectProblem(await api('PUT', '/notifications/preferences', { token: user.accessToken, body: bad }), 400, 'VALIDATION_FAILED');
    }
    expect(await get(user.accessToken)).toEqual(before);
  });
});
