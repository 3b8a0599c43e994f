import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addresses, sessions, users } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { api, createUser, withDb, type TestUser } from '../../support/users';
import { addAddress } from '../../support/addresses';

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});

const remove = (id: string, token = admin.accessToken) => api('DELETE', `/users/${id}`, { token });

describe('DELETE /users/:id (admin)', () => {
  it('anonymises the user, removes its addresses and ends its sessions', async () => {
    const user = await createUser('customer', 'doomed');
    await withDb((db) => db.update(users).set({ phone: '+998901234567', locale: 'uz' }).where(eq(users.id, user.id)));
    await addAddress(user.accessToken);
    await addAddress(user.accessToken, { isDefault: true });
    const bystander = await createUser('customer', 'bystander');
    const kept = await addAddress(bystander.accessToken);

    const res = await remove(user.id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');

    const [row] = await withDb((db) => db.select().from(users).where(eq(users.id, user.id)));
    expect(row).toBeDefined();
    expect(row?.email).toMatch(/^deleted-.+@deleted\.invalid$/);
    expect(row?.email).not.toContain(user.email.split('@')[0]);
    expect(row?.name).toBe('Deleted user');
    expect(row?.phone).toBeNull();
    expect(row?.locale).toBeNull();
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(row?.disabled).toBe(true);
    expect(row?.passwordHash).not.toMatch(/^pbkdf2/);
    expect(await withDb((db) => db.select().from(addresses).where(eq(addresses.userId, user.id)))).toHaveLength(0);
    const live = await withDb((db) => db.select().from(sessions).where(eq(sessions.userId, user.id)));
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((s) => s.revokedAt !== null)).toBe(true);

    // Only that user's addresses went.
    expect((await api('GET', `/users/me/addresses/${kept.id}`, { token: bystander.accessToken })).status).toBe(200);

    await expectProblem(await api('GET', `/users/${user.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', '/auth/profile', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    await expectProblem(
      await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } }),
      401,
      'UNAUTHENTICATED',
    );
    await expectProblem(
      await api('POST', '/auth/login', { body: { email: user.email, password: user.password } }),
      401,
      'UNAUTHENTICATED',
    );
    // No longer listed, under the old email or the anonymised one.
    const listed = await api('GET', `/users?email=${encodeURIComponent(user.email)}`, { token: admin.accessToken });
    expect((await listed.json<{ data: unknown[] }>()).data).toEqual([]);
    const byId = await api('GET', `/users?email=${encodeURIComponent(`deleted-${user.id}`)}`, { token: admin.accessToken });
    expect((await byId.json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it('answers 404 when deleting again, and cannot patch a deleted user', async () => {
    const user = await createUser('seller', 'twice');
    expect((await remove(user.id)).status).toBe(204);
    await expectProblem(await remove(user.id), 404, 'NOT_FOUND');
    await expectProblem(
      await api('PATCH', `/users/${user.id}`, { token: admin.accessToken, body: { disabled: false } }),
      404,
      'NOT_FOUND',
    );
    const [row] = await withDb((db) => db.select().from(users).where(eq(users.id, user.id)));
    expect(row?.disabled).toBe(true);
  });

  it('answers 404 for an unknown user and 400 for a non-uuid id', async () => {
    await expectProblem(await remove(crypto.randomUUID()), 404, 'NOT_FOUND');
    await expectProblem(await remove('me'), 400, 'VALIDATION_FAILED');
  });

  it('answers 409 when an admin deletes itself, and changes nothing', async () => {
    await expectProblem(await remove(admin.id), 409, 'CONFLICT');
    const [row] = await withDb((db) => db.select().from(users).where(eq(users.id, admin.id)));
    expect(row?.deletedAt).toBeNull();
    expect(row?.email).toBe(admin.email);
    expect((await api('GET', `/users/${admin.id}`, { token: admin.accessToken })).status).toBe(200);
  });

  it('a customer cannot delete anyone, itself included', async () => {
    const user = await createUser('customer', 'vandal');
    const victim = await createUser('customer', 'victim');
    await expectProblem(await remove(victim.id, user.accessToken), 403, 'FORBIDDEN');
    await expectProblem(await remove(user.id, user.accessToken), 403, 'FORBIDDEN');
    const rows = await withDb((db) => db.select().from(users).where(eq(users.id, victim.id)));
    expect(rows[0]?.deletedAt).toBeNull();
  });
});
