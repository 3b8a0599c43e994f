import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxEvents, users } from '../../../shared/db/schema';
import { call, expectProblem, isolatedPrefix } from '../../support/app';
import { api, createUser, uniqueEmail, withDb } from '../../support/users';

interface AuthBody {
  user: { id: string; email: string; name: string; role: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const register = (body: Record<string, unknown>) => api('POST', '/auth/register', { body });

describe('POST /auth/register', () => {
  it('creates a customer, signs it in and queues the verification email', async () => {
    const email = uniqueEmail('reg');
    const res = await register({ email: `  ${email.toUpperCase()} `, password: 'a long enough password', name: 'Ada' });
    expect(res.status).toBe(201);
    const body = await res.json<AuthBody>();
    expect(body.user).toEqual({ id: expect.any(String), email, name: 'Ada', role: 'customer' });
    expect(body.expiresIn).toBe(900);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const profile = await api('GET', '/auth/profile', { token: body.accessToken });
    // No language given: none stored, so messages use the deployment's default.
    expect(await profile.json()).toMatchObject({ id: body.user.id, email, emailVerified: false, locale: null });

    const stored = await withDb((db) => db.select().from(users).where(eq(users.id, body.user.id)));
    expect(stored[0]?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(stored[0]?.passwordHash).not.toContain('a long enough password');

    // Events are recorded in the same transaction and published after the response.
    await expect
      .poll(
        () =>
          withDb((db) =>
            db
              .select({ type: outboxEvents.type, publishedAt: outboxEvents.publishedAt })
              .from(outboxEvents)
              .where(and(inArray(outboxEvents.type, ['user.registered', 'auth.verify_email']))),
          ).then((rows) => rows.filter((r) => r.publishedAt !== null).length),
        { timeout: 5_000 },
      )
      .toBeGreaterThanOrEqual(2);
  });

  it('keeps the language given at registration for the messages that follow; refuses one it has no texts in', async () => {
    const email = uniqueEmail('reg-ru');
    const res = await register({ email, password: 'a long enough password', name: 'Ada', locale: 'ru' });
    expect(res.status).toBe(201);
    const body = await res.json<AuthBody>();
    const profile = await api('GET', '/auth/profile', { token: body.accessToken });
    expect(await profile.json()).toMatchObject({ id: body.user.id, locale: 'ru' });
    const bad = await register({ email: uniqueEmail('reg-fr'), password: 'a long enough password', name: 'Ada', locale: 'fr' });
    expect(bad.status).toBe(400);
  });

  it('answers 409 for an email already taken, whatever its case', async () => {
    const email = uniqueEmail('dup');
    expect((await register({ email, password: 'a long enough password', name: 'One' })).status).toBe(201);
    const again = await register({ email: email.toUpperCase(), password: 'another long password', name: 'Two' });
    await expectProblem(again, 409, 'CONFLICT');
  });

  it.each([
    [{ email: 'not-an-email', password: 'a long enough password', name: 'X' }, 'email'],
    [{ email: 'e@example.test', password: 'short', name: 'X' }, 'password'],
    [{ email: 'e@example.test', password: 'x'.repeat(129), name: 'X' }, 'password'],
    [{ email: 'e@example.test', password: 'Password123', name: 'X' }, 'password'],
    [{ email: 'e@example.test', password: 'a long enough password' }, 'name'],
    [{ email: 'e@example.test', password: 'a long enough password', name: 'X', role: 'admin' }, 'role'],
  ])('rejects invalid input %# and creates nothing', async (body, path) => {
    const res = await register(body);
    const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain(path);
  });

  it('refuses a password equal to the email', async () => {
    const email = uniqueEmail('same');
    const problem = await expectProblem(await register({ email, password: email, name: 'X' }), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ path: 'password', message: 'must not be the same as the email' }]);
    expect(await withDb((db) => db.select().from(users).where(eq(users.email, email)))).toHaveLength(0);
  });
});

describe('POST /auth/login', () => {
  it('signs in with the right password, case-insensitively on the email', async () => {
    const user = await createUser();
    const res = await api('POST', '/auth/login', { body: { email: user.email.toUpperCase(), password: user.password } });
    expect(res.status).toBe(200);
    const body = await res.json<AuthBody>();
    expect(body.user.id).toBe(user.id);
    expect((await api('GET', '/auth/profile', { token: body.accessToken })).status).toBe(200);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const user = await createUser();
    const wrong = await expectProblem(await api('POST', '/auth/login', { body: { email: user.email, password: 'wrong password!' } }), 401, 'UNAUTHENTICATED');
    const unknown = await expectProblem(
      await api('POST', '/auth/login', { body: { email: uniqueEmail('ghost'), password: 'wrong password!' } }),
      401,
      'UNAUTHENTICATED',
    );
    expect(unknown.detail).toBe(wrong.detail);
    expect(unknown.title).toBe(wrong.title);
  });

  it('locks an account on a network for the window after LOGIN_MAX_FAILURES failures there, even for the right password', async () => {
    const user = await createUser();
    const bystander = await createUser();
    for (let i = 0; i < 5; i++) {
      await expectProblem(await api('POST', '/auth/login', { body: { email: user.email, password: `wrong-${i}-password` } }), 401, 'UNAUTHENTICATED');
    }
    const locked = await api('POST', '/auth/login', { body: { email: user.email, password: user.password } });
    await expectProblem(locked, 429, 'RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Only that account.
    expect((await api('POST', '/auth/login', { body: { email: bystander.email, password: bystander.password } })).status).toBe(200);
  });

  it('limits every /auth route per IP (AUTH_RATE_LIMIT_REQUESTS)', async () => {
    const env = { AUTH_RATE_LIMIT_REQUESTS: '2', REDIS_KEY_PREFIX: isolatedPrefix('auth-ip') };
    const attempt = () =>
      call(
        new Request('http://api.test/api/v1/auth/forgot-password', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.44' },
          body: JSON.stringify({ email: 'nobody@example.test' }),
        }),
        { env },
      );
    expect((await attempt()).status).toBe(202);
    expect((await attempt()).status).toBe(202);
    const limited = await attempt();
    await expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('ratelimit-limit')).toBe('2');
  });

  it('validates the body', async () => {
    await expectProblem(await api('POST', '/auth/login', { body: { email: 'x@example.test' } }), 400, 'VALIDATION_FAILED');
  });
});
