import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { lastCodeSentTo, post, signInByPhone, uniqueIp, uniquePhone } from '../../support/phone';
import { api, createUser, login, uniqueEmail } from '../../support/users';

interface Profile {
  id: string;
  email: string | null;
  phone: string | null;
  phoneVerified: boolean;
  phoneOnly: boolean;
}

/** Adds and verifies a phone on the signed-in account of `token`. */
async function addPhone(token: string, phone: string): Promise<Profile> {
  const start = await post('/users/me/phone', { phone }, { token, ip: uniqueIp() });
  if (start.status !== 202) throw new Error(`add phone: ${start.status} ${await start.text()}`);
  const { challengeId } = await start.json<{ challengeId: string }>();
  const res = await post('/users/me/phone/verify', { challengeId, code: await lastCodeSentTo(phone) }, { token });
  if (res.status !== 200) throw new Error(`verify phone: ${res.status} ${await res.text()}`);
  return res.json();
}

const profileOf = async (token: string) => (await api('GET', '/users/me', { token })).json<Profile>();

describe('a phone on an account', () => {
  it('an email account adds a verified phone and then signs in with it', async () => {
    const user = await createUser('customer', 'add-phone');
    const phone = uniquePhone();
    expect(await addPhone(user.accessToken, phone)).toMatchObject({ phone, phoneVerified: true, phoneOnly: false });
    const signedIn = await signInByPhone(phone);
    expect(signedIn).toMatchObject({ newAccount: false, user: { id: user.id, email: user.email } });
  });

  it('a code for one account does not verify a phone on another', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const phone = uniquePhone();
    const start = await post('/users/me/phone', { phone }, { token: a.accessToken });
    const { challengeId } = await start.json<{ challengeId: string }>();
    const res = await post('/users/me/phone/verify', { challengeId, code: await lastCodeSentTo(phone) }, { token: b.accessToken });
    await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect((await profileOf(b.accessToken)).phoneVerified).toBe(false);
  });

  it('a number moves to the account that verifies it: the old holder keeps its sessions but loses phone sign-in', async () => {
    const phone = uniquePhone();
    const holder = await signInByPhone(phone);
    const taker = await createUser('customer', 'taker');
    await addPhone(taker.accessToken, phone);

    const old = await api('GET', '/users/me', { token: holder.accessToken });
    expect(old.status).toBe(200);
    expect(await old.json<Profile>()).toMatchObject({ id: holder.user.id, phoneVerified: false });
    const signedIn = await signInByPhone(phone);
    expect(signedIn).toMatchObject({ newAccount: false, user: { id: taker.id } });
  });

  it('changing a verified phone takes a code to the new number and signs out the other sessions', async () => {
    const user = await createUser('customer', 'change-phone');
    const other = await login(user.email, user.password);
    await addPhone(user.accessToken, uniquePhone());
    // Adding the first phone leaves the other sessions alone.
    expect((await api('GET', '/users/me', { token: other.accessToken })).status).toBe(200);

    // The profile route cannot swap a verified phone without a code.
    const patched = await api('PATCH', '/users/me', { token: user.accessToken, body: { phone: uniquePhone() } });
    expect((await expectProblem(patched, 400, 'VALIDATION_FAILED')).errors?.[0]?.path).toBe('phone');

    const next = uniquePhone();
    expect(await addPhone(user.accessToken, next)).toMatchObject({ phone: next, phoneVerified: true });
    await expectProblem(await api('GET', '/users/me', { token: other.accessToken }), 401, 'UNAUTHENTICATED');
    expect((await api('GET', '/users/me', { token: user.accessToken })).status).toBe(200);
  });

  it('a phone-only account adds an email and password, once', async () => {
    const byPhone = await signInByPhone(uniquePhone());
    await expectProblem(
      await api('PUT', '/auth/change-password', { token: byPhone.accessToken, body: { currentPassword: 'x', newPassword: 'a fine new password' } }),
      409,
      'CONFLICT',
    );
    const email = uniqueEmail('phone-only');
    const password = `pw-${crypto.randomUUID()}`;
    const added = await api('POST', '/users/me/email', { token: byPhone.accessToken, body: { email, password } });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ email, phoneOnly: false, phoneVerified: true, emailVerified: false });
    expect((await api('POST', '/auth/login', { body: { email, password } })).status).toBe(200);
    const twice = await api('POST', '/users/me/email', { token: byPhone.accessToken, body: { email: uniqueEmail(), password } });
    await expectProblem(twice, 409, 'CONFLICT');
  });

  it('refuses an email another account has', async () => {
    const existing = await createUser();
    const byPhone = await signInByPhone(uniquePhone());
    const res = await api('POST', '/users/me/email', { token: byPhone.accessToken, body: { email: existing.email, password: 'a fine new password' } });
    await expectProblem(res, 409, 'CONFLICT');
    expect((await profileOf(byPhone.accessToken)).email).toBeNull();
  });

  it('limits the codes one account asks for, whatever the numbers', async () => {
    const user = await createUser();
    const env = { PHONE_CODE_MAX_PER_ACCOUNT: '2' };
    for (const expected of [202, 202, 429]) {
      const res = await post('/users/me/phone', { phone: uniquePhone() }, { token: user.accessToken, env });
      expect(res.status).toBe(expected);
    }
  });
});
