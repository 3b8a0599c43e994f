import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { oneTimeTokens, users } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { api, createUser, emailedToken, login, uniqueEmail, withDb } from '../../support/users';

describe('profile', () => {
  it('reads and updates name, phone and locale', async () => {
    const user = await createUser();
    const res = await api('PUT', '/auth/profile', { token: user.accessToken, body: { name: 'Dilnoza', phone: '+998901234567', locale: 'uz' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'Dilnoza', phone: '+998901234567', locale: 'uz', role: 'customer' });
    const again = await api('GET', '/auth/profile', { token: user.accessToken });
    expect(await again.json()).toMatchObject({ name: 'Dilnoza', phone: '+998901234567', locale: 'uz' });
  });

  it.each([{ role: 'admin' }, { email: 'new@example.test' }, { emailVerified: true }, { phone: '998901234567' }, { locale: 'xx' }])(
    'refuses privileged or invalid fields %#, changing nothing',
    async (body) => {
      const user = await createUser();
      await expectProblem(await api('PUT', '/auth/profile', { token: user.accessToken, body }), 400, 'VALIDATION_FAILED');
      const [row] = await withDb((db) => db.select().from(users).where(eq(users.id, user.id)));
      expect(row).toMatchObject({ role: 'customer', email: user.email, emailVerifiedAt: null, phone: null, locale: null });
    },
  );
});

describe('PUT /auth/change-password', () => {
  it('changes the password and signs out every other session', async () => {
    const user = await createUser();
    const other = await login(user.email, user.password);
    const res = await api('PUT', '/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
    });
    expect(res.status).toBe(204);
    expect((await api('GET', '/auth/profile', { token: user.accessToken })).status).toBe(200);
    await expectProblem(await api('GET', '/auth/profile', { token: other.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('POST', '/auth/login', { body: { email: user.email, password: user.password } }), 401, 'UNAUTHENTICATED');
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: 'a brand new passphrase' } })).status).toBe(200);
  });

  it('needs the current password and a policy-compliant new one', async () => {
    const user = await createUser();
    const wrong = await api('PUT', '/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
    });
    expect((await expectProblem(wrong, 400, 'VALIDATION_FAILED')).errors?.[0]?.path).toBe('currentPassword');
    const weak = await api('PUT', '/auth/change-password', { token: user.accessToken, body: { currentPassword: user.password, newPassword: 'password1' } });
    expect((await expectProblem(weak, 400, 'VALIDATION_FAILED')).errors?.[0]?.path).toBe('newPassword');
    const same = await api('PUT', '/auth/change-password', { token: user.accessToken, body: { currentPassword: user.password, newPassword: user.email } });
    expect((await expectProblem(same, 400, 'VALIDATION_FAILED')).errors?.[0]?.path).toBe('newPassword');
  });
});

describe('password reset', () => {
  it('always answers 202, and queues a reset only for a real account', async () => {
    const ghost = await api('POST', '/auth/forgot-password', { body: { email: uniqueEmail('ghost') } });
    expect(ghost.status).toBe(202);
    const user = await createUser();
    const real = await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    expect(real.status).toBe(202);
    expect(await real.json()).toEqual(await ghost.json());
    expect(await emailedToken('auth.password_reset_requested', user.id)).toBeTruthy();
  });

  it('sets the password with the single-use token and signs out every session', async () => {
    const user = await createUser();
    await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    const token = await emailedToken('auth.password_reset_requested', user.id);
    const res = await api('POST', '/auth/reset-password', { body: { token, newPassword: 'reset to something new' } });
    expect(res.status).toBe(204);
    await expectProblem(await api('GET', '/auth/profile', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401, 'UNAUTHENTICATED');
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: 'reset to something new' } })).status).toBe(200);
    const reuse = await api('POST', '/auth/reset-password', { body: { token, newPassword: 'yet another passphrase' } });
    expect((await expectProblem(reuse, 400, 'VALIDATION_FAILED')).errors?.[0]?.path).toBe('token');
  });

  it('refuses an expired token', async () => {
    const user = await createUser();
    await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    const token = await emailedToken('auth.password_reset_requested', user.id);
    await withDb((db) => db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oneTimeTokens.userId, user.id)));
    await expectProblem(await api('POST', '/auth/reset-password', { body: { token, newPassword: 'reset to something new' } }), 400, 'VALIDATION_FAILED');
    expect((await api('GET', '/auth/profile', { token: user.accessToken })).status).toBe(200);
  });
});

describe('email verification', () => {
  it('verifies with the emailed token once', async () => {
    const user = await createUser();
    const token = await emailedToken('auth.verify_email', user.id);
    expect((await api('POST', '/auth/verify-email', { body: { token } })).status).toBe(204);
    expect(await (await api('GET', '/auth/profile', { token: user.accessToken })).json()).toMatchObject({ emailVerified: true });
    await expectProblem(await api('POST', '/auth/verify-email', { body: { token } }), 400, 'VALIDATION_FAILED');
  });

  it('resends a new token for an unverified account, 202 for anyone', async () => {
    const user = await createUser();
    const first = await emailedToken('auth.verify_email', user.id);
    expect((await api('POST', '/auth/resend-verification', { body: { email: user.email } })).status).toBe(202);
    const second = await emailedToken('auth.verify_email', user.id, { besides: first });
    expect(second).not.toBe(first);
    expect((await api('POST', '/auth/verify-email', { body: { token: second } })).status).toBe(204);
    expect((await api('POST', '/auth/resend-verification', { body: { email: uniqueEmail('nobody') } })).status).toBe(202);
  });
});

securityMatrix({ method: 'GET', path: '/auth/profile' });
securityMatrix({ method: 'PUT', path: '/auth/profile', body: { name: 'Eve' } });
securityMatrix({ method: 'PUT', path: '/auth/change-password', body: { currentPassword: 'x', newPassword: 'a brand new passphrase' } });
securityMatrix({ method: 'POST', path: '/auth/logout' });
