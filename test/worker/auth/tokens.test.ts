import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions, users } from '../../../shared/db/schema';
import { call, DEAD_PORT, expectProblem } from '../../support/app';
import { api, createUser, login, withDb } from '../../support/users';

const refresh = (refreshToken: string) => api('POST', '/auth/refresh', { body: { refreshToken } });
const claimsOf = (jwt: string) => JSON.parse(atob(jwt.split('.')[1]?.replaceAll('-', '+').replaceAll('_', '/') ?? '')) as Record<string, unknown>;

describe('POST /auth/refresh', () => {
  it('rotates: new tokens work, the presented one stops working', async () => {
    const user = await createUser();
    const res = await refresh(user.refreshToken);
    expect(res.status).toBe(200);
    const next = await res.json<{ accessToken: string; refreshToken: string }>();
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect(claimsOf(next.accessToken)).toMatchObject({ sub: user.id, role: 'customer', iss: 'ultramarket', aud: 'ultramarket-api' });
    expect((await api('GET', '/auth/profile', { token: next.accessToken })).status).toBe(200);
    expect((await refresh(next.refreshToken)).status).toBe(200);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const user = await createUser();
    const first = await (await refresh(user.refreshToken)).json<{ accessToken: string; refreshToken: string }>();
    // The old token again: a thief or a replay. The family dies, including the newest tokens.
    await expectProblem(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');
    await expectProblem(await refresh(first.refreshToken), 401, 'UNAUTHENTICATED');
    await expectProblem(await api('GET', '/auth/profile', { token: first.accessToken }), 401, 'UNAUTHENTICATED');
    // Other sessions of the same user are untouched.
    const other = await login(user.email, user.password);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('reads the role from the database at refresh', async () => {
    const user = await createUser();
    await withDb((db) => db.update(users).set({ role: 'seller' }).where(eq(users.id, user.id)));
    expect(claimsOf(user.accessToken).role).toBe('customer');
    const next = await (await refresh(user.refreshToken)).json<{ accessToken: string; user: { role: string } }>();
    expect(next.user.role).toBe('seller');
    expect(claimsOf(next.accessToken).role).toBe('seller');
  });

  it('refuses unknown tokens and expired sessions', async () => {
    await expectProblem(await refresh('definitely-not-a-token'), 401, 'UNAUTHENTICATED');
    const user = await createUser();
    await withDb((db) => db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id)));
    await expectProblem(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');
  });
});

describe('POST /auth/logout', () => {
  it('ends the session: the access and refresh tokens stop working', async () => {
    const user = await createUser();
    const other = await login(user.email, user.password);
    expect((await api('POST', '/auth/logout', { token: user.accessToken })).status).toBe(204);
    await expectProblem(await api('GET', '/auth/profile', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');
    // Only this session.
    expect((await api('GET', '/auth/profile', { token: other.accessToken })).status).toBe(200);
  });
});

describe('revocation without Redis', () => {
  it('falls back to the database: live tokens work, revoked sessions do not', async () => {
    const user = await createUser();
    const env = { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` };
    const profile = (token: string) =>
      call(new Request('http://api.test/api/v1/auth/profile', { headers: { authorization: `Bearer ${token}` } }), { env });
    expect((await profile(user.accessToken)).status).toBe(200);
    await withDb((db) => db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.userId, user.id)));
    await expectProblem(await profile(user.accessToken), 401, 'UNAUTHENTICATED');
  });
});
