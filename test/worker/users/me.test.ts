import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { api, createUser } from '../../support/users';

interface ProfileBody {
  id: string;
  email: string;
  name: string;
  role: string;
  phone: string | null;
  locale: string | null;
}

describe('/users/me', () => {
  it('GET answers the caller’s profile, the same as /auth/profile', async () => {
    const user = await createUser();
    const res = await api('GET', '/users/me', { token: user.accessToken });
    expect(res.status).toBe(200);
    const me = await res.json<ProfileBody>();
    expect(me).toMatchObject({ id: user.id, email: user.email, role: 'customer' });
    expect(me).not.toHaveProperty('passwordHash');
    const profile = await (await api('GET', '/auth/profile', { token: user.accessToken })).json();
    expect(me).toEqual(profile);
  });

  it('PATCH changes name, phone and locale, and nothing else', async () => {
    const user = await createUser();
    const res = await api('PATCH', '/users/me', { token: user.accessToken, body: { name: 'Dilnoza K', phone: '+998901112233', locale: 'ru' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: user.id, name: 'Dilnoza K', phone: '+998901112233', locale: 'ru' });
    expect(await (await api('GET', '/users/me', { token: user.accessToken })).json()).toMatchObject({ name: 'Dilnoza K', locale: 'ru' });

    await expectProblem(await api('PATCH', '/users/me', { token: user.accessToken, body: { role: 'admin' } }), 400, 'VALIDATION_FAILED');
    expect(await (await api('GET', '/users/me', { token: user.accessToken })).json()).toMatchObject({ role: 'customer' });
  });

  it('needs a signed-in caller; "me" is never taken for a user id', async () => {
    await expectProblem(await api('GET', '/users/me'), 401, 'UNAUTHENTICATED');
    const admin = await createUser('admin');
    const res = await api('GET', '/users/me', { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: admin.id, role: 'admin' });
  });
});
