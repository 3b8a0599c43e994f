import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { phoneChallenges } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { endCooldown, failNextSms, lastCodeSentTo, post, signInByPhone, smsCountTo, uniqueIp, uniquePhone } from '../../support/phone';
import { api, withDb } from '../../support/users';

interface Challenge {
  challengeId: string;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

async function start(phone: string, ip: string, extra: Record<string, unknown> = {}, env?: Record<string, string>) {
  return post('/auth/phone/start', { phone, ...extra }, { ip, env });
}

async function challengeOf(res: Response): Promise<Challenge> {
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${await res.text()}`);
  return res.json();
}

const verify = (challengeId: string, code: string, ip = uniqueIp()) => post('/auth/phone/verify', { challengeId, code }, { ip });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('phone sign-in', () => {
  it('creates a customer with a verified phone and no email on first use, and signs into it again', async () => {
    const phone = uniquePhone();
    const ip = uniqueIp();
    const challenge = await challengeOf(await start(phone, ip));
    expect(challenge).toMatchObject({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    const code = await lastCodeSentTo(phone);
    expect(code).toMatch(/^\d{6}$/);
    // Only a hash is stored.
    const [row] = await withDb((db) => db.select().from(phoneChallenges).where(eq(phoneChallenges.id, challenge.challengeId)));
    expect(row?.codeHash).not.toContain(code);

    const first = await verify(challenge.challengeId, code);
    expect(first.status).toBe(200);
    const created = await first.json<{ user: { id: string; email: string | null; role: string }; accessToken: string; deviceToken: string; newAccount: boolean }>();
    expect(created).toMatchObject({ newAccount: true, user: { email: null, role: 'customer' } });
    expect(created.deviceToken).toBeTruthy();
    const profile = await (await api('GET', '/auth/profile', { token: created.accessToken })).json();
    expect(profile).toMatchObject({ phone, phoneVerified: true, phoneOnly: true, email: null });

    // Single use: the same code again is refused.
    await expectProblem(await verify(challenge.challengeId, code), 400, 'VALIDATION_FAILED');

    const again = await signInByPhone(phone);
    expect(again).toMatchObject({ newAccount: false, user: { id: created.user.id } });
  });

  it('a lost SMS: a resend waits for the cooldown, then a new code works and voids the older one', async () => {
    const phone = uniquePhone();
    const ip = uniqueIp();
    // Eskiz takes the SMS and never delivers it.
    await failNextSms(phone, { report: 'none' });
    const lost = await challengeOf(await start(phone, ip));
    const lostCode = await lastCodeSentTo(phone);
    const early = await expectProblem(await start(phone, ip), 429, 'RATE_LIMITED');
    expect(Number(early.detail.match(/(\d+) s/)?.[1])).toBeGreaterThan(0);
    expect(await smsCountTo(phone)).toBe(1);

    await endCooldown(phone, ip);
    const resent = await challengeOf(await start(phone, ip));
    expect(resent.challengeId).not.toBe(lost.challengeId);
    expect(await smsCountTo(phone)).toBe(2);
    expect((await verify(resent.challengeId, await lastCodeSentTo(phone))).status).toBe(200);
    // The lost SMS arriving late opens nothing: the number was proved, its other codes are void.
    await expectProblem(await verify(lost.challengeId, lostCode), 400, 'VALIDATION_FAILED');
  });

  it('refuses an expired code', async () => {
    const phone = uniquePhone();
    const challenge = await challengeOf(await start(phone, uniqueIp()));
    await withDb((db) =>
      db.update(phoneChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(phoneChallenges.id, challenge.challengeId)),
    );
    const problem = await expectProblem(await verify(challenge.challengeId, await lastCodeSentTo(phone)), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]).toMatchObject({ path: 'code', message: expect.stringContaining('expired') });
  });

  it('allows 5 tries per code: after 5 wrong ones even the right code is refused', async () => {
    const phone = uniquePhone();
    const challenge = await challengeOf(await start(phone, uniqueIp()));
    const code = await lastCodeSentTo(phone);
    for (let left = 4; left >= 0; left--) {
      const problem = await expectProblem(await verify(challenge.challengeId, wrongCode(code)), 400, 'VALIDATION_FAILED');
      expect(problem.errors?.[0]?.message).toContain(`${left} tr`);
    }
    const out = await expectProblem(await verify(challenge.challengeId, code), 400, 'VALIDATION_FAILED');
    expect(out.errors?.[0]?.message).toContain('out of tries');
  });

  it('under concurrency a code signs in once and never takes more than 5 tries', async () => {
    const phone = uniquePhone();
    const right = await challengeOf(await start(phone, uniqueIp()));
    const code = await lastCodeSentTo(phone);
    const rights = await Promise.all(Array.from({ length: 6 }, () => verify(right.challengeId, code)));
    expect(rights.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);

    const other = uniquePhone();
    const guessed = await challengeOf(await start(other, uniqueIp()));
    const otherCode = await lastCodeSentTo(other);
    const guesses = await Promise.all(Array.from({ length: 10 }, () => verify(guessed.challengeId, wrongCode(otherCode))));
    const messages = await Promise.all(guesses.map(async (r) => (await r.json<{ errors: Array<{ message: string }> }>()).errors[0]?.message ?? ''));
    expect(messages.filter((m) => m.includes('left')).length).toBe(5);
    const [row] = await withDb((db) => db.select().from(phoneChallenges).where(eq(phoneChallenges.id, guessed.challengeId)));
    expect(row?.attempts).toBe(5);
  });

  it('answers alike whether or not the number has an account', async () => {
    const known = uniquePhone();
    await signInByPhone(known);
    const unknown = uniquePhone();
    const [a, b] = [await start(known, uniqueIp()), await start(unknown, uniqueIp())];
    expect([a.status, b.status]).toEqual([202, 202]);
    const volatile = new Set(['x-request-id', 'date', 'ratelimit-reset', 'ratelimit-remaining']);
    const headerNames = (res: Response) => [...res.headers.keys()].filter((k) => !volatile.has(k)).sort();
    expect(headerNames(a)).toEqual(headerNames(b));
    const headerValues = (res: Response) => headerNames(res).map((k) => [k, res.headers.get(k)]);
    expect(headerValues(a)).toEqual(headerValues(b));
    const [bodyA, bodyB] = [await a.json<Challenge>(), await b.json<Challenge>()];
    expect({ ...bodyA, challengeId: 'x' }).toEqual({ ...bodyB, challengeId: 'x' });
    // A wrong code says the same for both.
    const strip = (p: Record<string, unknown>) => ({ ...p, requestId: undefined, instance: undefined });
    const wrongA = await expectProblem(await verify(bodyA.challengeId, wrongCode(await lastCodeSentTo(known))), 400, 'VALIDATION_FAILED');
    const wrongB = await expectProblem(await verify(bodyB.challengeId, wrongCode(await lastCodeSentTo(unknown))), 400, 'VALIDATION_FAILED');
    expect(strip(wrongA)).toEqual(strip(wrongB));
  });

  it('limits codes per client network, per number and network, and per number from everywhere', async () => {
    const env = { PHONE_CODE_MAX_PER_NETWORK: '2', PHONE_CODE_MAX_PER_PHONE_NETWORK: '2', PHONE_CODE_MAX_PER_PHONE: '3' };
    // Per network, over any numbers: the third number from one /24 waits; another network does not.
    const ip = uniqueIp();
    await challengeOf(await start(uniquePhone(), ip, {}, env));
    await challengeOf(await start(uniquePhone(), ip.replace(/\.\d+$/, '.250'), {}, env));
    const refused = uniquePhone();
    await expectProblem(await start(refused, ip, {}, env), 429, 'RATE_LIMITED');
    expect(await smsCountTo(refused)).toBe(0);
    await challengeOf(await start(refused, uniqueIp(), {}, env));

    // Per number: 2 from one network, 3 from everywhere, then every new network waits too.
    const phone = uniquePhone();
    const net = uniqueIp();
    await challengeOf(await start(phone, net, {}, env));
    await endCooldown(phone, net);
    await challengeOf(await start(phone, net, {}, env));
    await endCooldown(phone, net);
    await expectProblem(await start(phone, net, {}, env), 429, 'RATE_LIMITED');
    await challengeOf(await start(phone, uniqueIp(), {}, env));
    await expectProblem(await start(phone, uniqueIp(), {}, env), 429, 'RATE_LIMITED');
    expect(await smsCountTo(phone)).toBe(3);
  });

  it('never locks the owner out: a device that signed in before has its own budget', async () => {
    const env = { PHONE_CODE_MAX_PER_PHONE: '2' };
    const phone = uniquePhone();
    const owner = await signInByPhone(phone, { env });
    // Someone else spends the number's ceiling from other networks.
    await challengeOf(await start(phone, uniqueIp(), {}, env));
    await expectProblem(await start(phone, uniqueIp(), {}, env), 429, 'RATE_LIMITED');
    // Another account's device token counts for nothing here.
    const stranger = await signInByPhone(uniquePhone());
    await expectProblem(await start(phone, uniqueIp(), { deviceToken: stranger.deviceToken }, env), 429, 'RATE_LIMITED');
    // The owner's device still gets a code and signs in.
    const again = await signInByPhone(phone, { env, deviceToken: owner.deviceToken });
    expect(again.user.id).toBe(owner.user.id);
  });

  it('sends only to mobile numbers of the configured countries', async () => {
    for (const phone of ['+998712345678', '+79161234567', '+99890123456']) {
      await expectProblem(await start(phone, uniqueIp()), 400, 'VALIDATION_FAILED');
    }
    await challengeOf(await start('+7916' + uniquePhone().slice(-7), uniqueIp(), {}, { PHONE_COUNTRY_CODES: '998,7' }));
  });

  it('answers 503 when Eskiz refuses the SMS, and the same client may ask again at once', async () => {
    const phone = uniquePhone();
    const ip = uniqueIp();
    await failNextSms(phone, { status: 500 });
    await expectProblem(await start(phone, ip), 503, 'SMS_UNAVAILABLE');
    expect(await smsCountTo(phone)).toBe(0);
    await challengeOf(await start(phone, ip));
    expect(await smsCountTo(phone)).toBe(1);
  });

  it('answers 503 for new codes when the SMS budget is spent, and sends nothing', async () => {
    const phone = uniquePhone();
    const res = await start(phone, uniqueIp(), {}, { SMS_DAILY_BUDGET: '0' });
    expect(res.status).toBe(503);
    expect(await smsCountTo(phone)).toBe(0);
  });
});
