import { beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken, type Role } from '../../shared/auth/tokens';
import { testEnv } from './app';
import { api, createUser, type TestUser } from './users';

export interface ProtectedRoute {
  method: string;
  path: string;
  body?: unknown;
  /** Roles allowed; every other role must get 403. Omit when any signed-in user may call it. */
  roles?: Role[];
}

function base64Url(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

async function expectUnauthenticated(res: Response): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(401);
  expect(JSON.parse(text).code).toBe('UNAUTHENTICATED');
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
}

/**
 * The security suite every authenticated route runs: each way a credential can
 * be missing, forged, stale or revoked answers 401, and a role that is not
 * allowed answers 403.
 */
export function securityMatrix(route: ProtectedRoute): void {
  describe(`security: ${route.method} ${route.path}`, () => {
    const call = (token?: string, raw?: string) =>
      api(route.method, route.path, {
        body: route.body,
        headers: raw !== undefined ? { authorization: raw } : token ? { authorization: `Bearer ${token}` } : {},
      });
    let admin: TestUser;
    let victim: TestUser;

    beforeAll(async () => {
      admin = await createUser('admin');
      victim = await createUser('customer', 'victim');
    });

    it('401 without a token', async () => expectUnauthenticated(await call()));
    it('401 with a malformed header or token', async () => {
      await expectUnauthenticated(await call(undefined, 'Basic dXNlcjpwYXNz'));
      await expectUnauthenticated(await call('not-a-jwt'));
      await expectUnauthenticated(await call('a.b.c'));
    });
    it('401 with alg: none', async () => {
      const { claims } = await signAccessToken(testEnv.JWT_SECRET ?? '', { userId: victim.id, role: 'admin', sessionId: victim.id });
      await expectUnauthenticated(await call(`${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url(claims)}.`));
    });
    it('401 with a signature made with another key', async () => {
      const { token } = await signAccessToken('another-secret-another-secret-0000', { userId: victim.id, role: 'admin', sessionId: victim.id });
      await expectUnauthenticated(await call(token));
    });
    it('401 with an expired token', async () => {
      const past = Math.floor(Date.now() / 1000) - 3_600;
      const { token } = await signAccessToken(testEnv.JWT_SECRET ?? '', { userId: victim.id, role: 'admin', sessionId: victim.id }, past);
      await expectUnauthenticated(await call(token));
    });
    it('401 after logout', async () => {
      const user = await createUser('customer', 'leaver');
      expect((await api('POST', '/auth/logout', { token: user.accessToken })).status).toBe(204);
      await expectUnauthenticated(await call(user.accessToken));
    });
    it('401 for a disabled user', async () => {
      const user = await createUser(route.roles?.[0] ?? 'customer', 'disabled');
      const res = await api('PATCH', `/users/${user.id}`, { token: admin.accessToken, body: { disabled: true } });
      expect(res.status).toBe(200);
      await expectUnauthenticated(await call(user.accessToken));
    });
    it('401 for a deleted user', async () => {
      const user = await createUser(route.roles?.[0] ?? 'customer', 'deleted');
      expect((await api('DELETE', `/users/${user.id}`, { token: admin.accessToken })).status).toBe(204);
      await expectUnauthenticated(await call(user.accessToken));
    });
    if (route.roles) {
      const denied = (['customer', 'seller', 'admin'] as const).filter((r) => !route.roles?.includes(r));
      it.each(denied)('403 for a %s', async (role) => {
        const user = await createUser(role);
        const res = await call(user.accessToken);
        expect(res.status).toBe(403);
        expect((await res.json<{ code: string }>()).code).toBe('FORBIDDEN');
      });
    }
  });
}
