import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { api, createUser, login, uniqueEmail, withDb, type TestUser } from '../../support/users';
import { type AdminUserBody, claimsOf } from './helpers';

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});

const patch = (id: string, body: unknown, token = admin.accessToken) => api('PATCH', `/users/${id}`, { token, body });
const refresh = (refreshToken: string) => api('POST', '/auth/refresh', { body: { refreshToken } });
const roleInDb = async (id: string) => (await withDb((db) => db.select().from(users).where(eq(users.id, id))))[0]?.role;

describe('PATCH /users/:id (admin)', () => {
  it('changes the role at once: the user\'s tokens stop working and the next sign-in carries the new role', async () => {
    const user = await createUser('customer', 'promote');
    const other = await login(user.email, user.password);
    const res = await patch(user.id, { role: 'seller' });
    expect(res.status).toBe(200);
    const body = await res.json<AdminUserBody>();
    expect(body).toMatchObject({ id: user.id, role: 'seller', disabled: false });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
    expect(JSON.stringify(body)).not.toMatch(/password/i);
    expect(await roleInDb(user.id)).toBe('seller');

    // Every session ends: no token issued with the old role works any more.
    const live = await withDb((db) => db.select().from(sessions).where(eq(sessions.userId, user.id)));
    expect(live.every((s) => s.revokedAt !== null && s.revokedReason === 'role changed')).toBe(true);
    await expectProblem(await api('GET', '/users/me/addresses', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('GET', '/auth/profile', { token: other.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');

    // Signing in again works at once, with the new role.
    const fresh = await login(user.email, user.password);
    expect(claimsOf(fresh.accessToken)).toMatchObject({ sub: user.id, role: 'seller' });
    expect((await api('GET', '/users/me/addresses', { token: fresh.accessToken })).status).toBe(200);
  });

  it('a demoted admin loses every admin right at once and cannot promote itself back', async () => {
    const demoted = await createUser('admin', 'demoted-admin');
    expect((await api('GET', '/users', { token: demoted.accessToken })).status).toBe(200);
    expect((await patch(demoted.id, { role: 'customer' })).status).toBe(200);
    await expectProblem(await api('GET', '/users', { token: demoted.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await patch(demoted.id, { role: 'admin' }, demoted.accessToken), 401, 'UNAUTHENTICATED');
    const again = await login(demoted.email, demoted.password);
    await expectProblem(await patch(demoted.id, { role: 'admin' }, again.accessToken), 403, 'FORBIDDEN');
    expect(await roleInDb(demoted.id)).toBe('customer');
  });

  it('a role patch that changes nothing keeps the sessions', async () => {
    const user = await createUser('seller', 'same-role');
    expect((await patch(user.id, { role: 'seller' })).status).toBe(200);
    expect((await api('GET', '/auth/profile', { token: user.accessToken })).status).toBe(200);
  });

  it('disabling kills access and refresh tokens and login; re-enabling allows a new login', async () => {
    const user = await createUser('customer', 'disable');
    // A second session, left untouched while the user is disabled.
    const other = await login(user.email, user.password);
    const disabled = await patch(user.id, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await disabled.json<AdminUserBody>()).disabled).toBe(true);
    const live = await withDb((db) => db.select().from(sessions).where(eq(sessions.userId, user.id)));
    expect(live).toHaveLength(2);
    expect(live.every((s) => s.revokedAt !== null)).toBe(true);

    await expectProblem(await api('GET', '/auth/profile', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('GET', '/users/me/addresses', { token: other.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');
    await expectProblem(
      await api('POST', '/auth/login', { body: { email: user.email, password: user.password } }),
      401,
      'UNAUTHENTICATED',
    );
    // The admin still sees the user, flagged.
    const seen = await api('GET', `/users/${user.id}`, { token: admin.accessToken });
    expect((await seen.json<AdminUserBody>()).disabled).toBe(true);

    const enabled = await patch(user.id, { disabled: false });
    expect(enabled.status).toBe(200);
    expect((await enabled.json<AdminUserBody>()).disabled).toBe(false);
    const fresh = await login(user.email, user.password);
    expect((await api('GET', '/auth/profile', { token: fresh.accessToken })).status).toBe(200);
    expect((await api('GET', '/users/me/addresses', { token: fresh.accessToken })).status).toBe(200);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
    // Re-enabling does not bring the old sessions back.
    await expectProblem(await api('GET', '/auth/profile', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('GET', '/auth/profile', { token: other.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await refresh(other.refreshToken), 401, 'UNAUTHENTICATED');
  });

  it('refuses an admin changing its own role (403) or disabling itself (409), and changes nothing', async () => {
    await expectProblem(await patch(admin.id, { disabled: true }), 409, 'CONFLICT');
    await expectProblem(await patch(admin.id, { role: 'customer' }), 403, 'FORBIDDEN');
    await expectProblem(await patch(admin.id, { role: 'seller' }), 403, 'FORBIDDEN');
    await expectProblem(await patch(admin.id, { role: 'seller', disabled: false }), 403, 'FORBIDDEN');
    await expectProblem(await patch(admin.id, { role: 'admin', disabled: true }), 409, 'CONFLICT');
    expect(await roleInDb(admin.id)).toBe('admin');
    expect((await api('GET', '/users', { token: admin.accessToken })).status).toBe(200);
    // Harmless changes to itself are allowed, and keep its session.
    expect((await patch(admin.id, { disabled: false })).status).toBe(200);
    expect((await patch(admin.id, { role: 'admin' })).status).toBe(200);
    expect((await api('GET', '/users', { token: admin.accessToken })).status).toBe(200);
  });

  it('may demote another admin', async () => {
    const other = await createUser('admin', 'other-admin');
    const res = await patch(other.id, { role: 'customer' });
    expect(res.status).toBe(200);
    expect(await roleInDb(other.id)).toBe('customer');
  });

  it.each([
    [{ email: 'x@example.test' }, 'email'],
    [{ role: 'seller', passwordHash: '!' }, 'passwordHash'],
    [{}, '(root)'],
    [{ role: 'superuser' }, 'role'],
    [{ disabled: 'yes' }, 'disabled'],
  ])('rejects the body %j with 400', async (body, field) => {
    const user = await createUser('customer', 'badpatch');
    const problem = await expectProblem(await patch(user.id, body), 400, 'VALIDATION_FAILED');
    const named = problem.errors?.some((e) => e.path === field || e.message.includes(`"${field}"`));
    expect(named, JSON.stringify(problem.errors)).toBe(true);
    expect(await roleInDb(user.id)).toBe('customer');
  });

  it('answers 404 for an unknown user and 400 for a non-uuid id', async () => {
    await expectProblem(await patch(crypto.randomUUID(), { disabled: true }), 404, 'NOT_FOUND');
    await expectProblem(await patch('123', { disabled: true }), 400, 'VALIDATION_FAILED');
  });
});

describe('a customer cannot make itself admin', () => {
  it('not through PATCH /users/:id, PUT /auth/profile or POST /auth/register', async () => {
    const user = await createUser('customer', 'climber');
    await expectProblem(await patch(user.id, { role: 'admin' }, user.accessToken), 403, 'FORBIDDEN');
    await expectProblem(await patch(user.id, { disabled: false }, user.accessToken), 403, 'FORBIDDEN');
    await expectProblem(
      await api('PUT', '/auth/profile', { token: user.accessToken, body: { role: 'admin' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectProblem(
      await api('PUT', '/auth/profile', { token: user.accessToken, body: { name: 'Boss', role: 'admin' } }),
      400,
      'VALIDATION_FAILED',
    );
    const email = uniqueEmail('climber-reg');
    await expectProblem(
      await api('POST', '/auth/register', { body: { email, password: 'a long enough password', name: 'Boss', role: 'admin' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await withDb((db) => db.select().from(users).where(eq(users.email, email)))).toHaveLength(0);

    expect(await roleInDb(user.id)).toBe('customer');
    const profile = await api('GET', '/auth/profile', { token: user.accessToken });
    expect((await profile.json<{ role: string; name: string }>()).role).toBe('customer');
    const refreshed = await (await refresh(user.refreshToken)).json<{ accessToken: string }>();
    expect(claimsOf(refreshed.accessToken).role).toBe('customer');
    await expectProblem(await api('GET', '/users', { token: refreshed.accessToken }), 403, 'FORBIDDEN');
  });

  it('nor can a seller', async () => {
    const seller = await createUser('seller', 'climber-seller');
    await expectProblem(await patch(seller.id, { role: 'admin' }, seller.accessToken), 403, 'FORBIDDEN');
    expect(await roleInDb(seller.id)).toBe('seller');
  });
});
