import { describe, expect, it } from 'vitest';
import { call, DEAD_PORT, expectProblem } from '../../support/app';
import { API, createUser } from '../../support/users';

interface LoginBody {
  user: { id: string };
  accessToken: string;
  deviceToken?: string;
}

/**
 * A login from `ip`, through the real app with `env` on top of the test
 * bindings; `call` waits for the work done after the response (the refund of a
 * successful attempt), so the next attempt sees it.
 */
function loginFrom(ip: string, body: Record<string, unknown>, env: Record<string, string> = {}): Promise<Response> {
  return call(
    new Request(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
      body: JSON.stringify(body),
    }),
    { env },
  );
}

const wrong = (i: number) => `wrong-${i}-password`;

async function failTimes(n: number, ip: string | ((i: number) => string), body: Record<string, unknown>, env: Record<string, string> = {}) {
  for (let i = 0; i < n; i++) {
    const from = typeof ip === 'string' ? ip : ip(i);
    await expectProblem(await loginFrom(from, { ...body, password: wrong(i) }, env), 401, 'UNAUTHENTICATED');
  }
}

async function deviceTokenOf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const body = await res.json<LoginBody>();
  expect(body.deviceToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  return body.deviceToken ?? '';
}

describe('login failure budgets', () => {
  it('takes the budget before the password check: 40 concurrent guesses evaluate at most LOGIN_MAX_FAILURES', async () => {
    const user = await createUser();
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? user.password : wrong(i)));
    const statuses = (
      await Promise.all(guesses.map((password) => loginFrom('198.51.100.20', { email: user.email, password })))
    ).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 401 || s === 429)).toBe(true);
    // Evaluated = answered 401 or 200; the rest were refused before any password work.
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
  });

  it('a burst of wrong guesses spends the budget, and the right password after it is refused', async () => {
    const user = await createUser();
    const statuses = (
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => loginFrom('198.51.100.21', { email: user.email, password: wrong(i) })),
      )
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    const locked = await loginFrom('198.51.100.21', { email: user.email, password: user.password });
    await expectProblem(locked, 429, 'RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("an attacker's failures from one network do not lock the owner out on another", async () => {
    const user = await createUser();
    // Five addresses of one /24: one network, one budget.
    await failTimes(5, (i) => `198.51.100.${30 + i}`, { email: user.email });
    await expectProblem(await loginFrom('198.51.100.99', { email: user.email, password: user.password }), 429, 'RATE_LIMITED');
    expect((await loginFrom('203.0.113.9', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('counts IPv6 clients per /64 for the per-network budget', async () => {
    const user = await createUser();
    await failTimes(5, (i) => `2001:db8:a:b::${i + 1}`, { email: user.email });
    await expectProblem(
      await loginFrom('2001:DB8:A:B:ffff:ffff:ffff:ffff', { email: user.email, password: user.password }),
      429,
      'RATE_LIMITED',
    );
    expect((await loginFrom('2001:db8:a:c::1', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('the per-account ceiling stops a distributed attack, but not a device that signed in before', async () => {
    const env = { LOGIN_ACCOUNT_MAX_FAILURES: '6' };
    const user = await createUser();
    const deviceToken = await deviceTokenOf(await loginFrom('203.0.113.50', { email: user.email, password: user.password }, env));

    // Two failures from each of three networks: under each network's budget, at the account's ceiling.
    await failTimes(6, (i) => `192.0.${10 + Math.floor(i / 2)}.1`, { email: user.email }, env);
    await expectProblem(await loginFrom('192.0.99.1', { email: user.email, password: user.password }, env), 429, 'RATE_LIMITED');
    await expectProblem(await loginFrom('203.0.113.50', { email: user.email, password: user.password }, env), 429, 'RATE_LIMITED');

    // The owner's device keeps its own budget, from any network, even the attacker's.
    const next = await deviceTokenOf(await loginFrom('203.0.113.50', { email: user.email, password: user.password, deviceToken }, env));
    expect(next).not.toBe(deviceToken);
    expect((await loginFrom('192.0.10.1', { email: user.email, password: user.password, deviceToken: next }, env)).status).toBe(200);
  });

  it("still limits the owner's own repeated failures, with or without a device token", async () => {
    const user = await createUser();
    const deviceToken = await deviceTokenOf(await loginFrom('203.0.113.60', { email: user.email, password: user.password }));
    await failTimes(5, '203.0.113.60', { email: user.email, deviceToken });
    await expectProblem(
      await loginFrom('203.0.113.60', { email: user.email, password: user.password, deviceToken }),
      429,
      'RATE_LIMITED',
    );
    // The device's failures were its own: the network's budget is untouched.
    expect((await loginFrom('203.0.113.60', { email: user.email, password: user.password })).status).toBe(200);

    await failTimes(5, '203.0.113.61', { email: user.email });
    await expectProblem(await loginFrom('203.0.113.61', { email: user.email, password: user.password }), 429, 'RATE_LIMITED');
  });

  it("ignores a device token that is another account's, or tampered with", async () => {
    const env = { LOGIN_DEVICE_MAX_FAILURES: '50' };
    const attacker = await createUser();
    const victim = await createUser();
    const attackersToken = await deviceTokenOf(await loginFrom('198.51.100.70', { email: attacker.email, password: attacker.password }, env));
    const [payload = '', signature = ''] = attackersToken.split('.');
    const forged = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;

    await failTimes(3, '198.51.100.70', { email: victim.email, deviceToken: attackersToken }, env);
    await failTimes(2, '198.51.100.70', { email: victim.email, deviceToken: forged }, env);
    // Counted under the network's budget (5), not under a device budget of 50.
    await expectProblem(
      await loginFrom('198.51.100.70', { email: victim.email, password: wrong(9), deviceToken: attackersToken }, env),
      429,
      'RATE_LIMITED',
    );
  });

  it('a successful login gives back the attempt it took', async () => {
    const user = await createUser();
    await failTimes(4, '203.0.113.70', { email: user.email });
    expect((await loginFrom('203.0.113.70', { email: user.email, password: user.password })).status).toBe(200);
    // Had the success counted, this would be the sixth attempt.
    await expectProblem(await loginFrom('203.0.113.70', { email: user.email, password: wrong(5) }), 401, 'UNAUTHENTICATED');
    await expectProblem(await loginFrom('203.0.113.70', { email: user.email, password: user.password }), 429, 'RATE_LIMITED');
  });

  it('refuses an oversized device token with 400, and ignores a garbled one', async () => {
    const user = await createUser();
    const res = await loginFrom('203.0.113.80', { email: user.email, password: user.password, deviceToken: 'x'.repeat(513) });
    await expectProblem(res, 400, 'VALIDATION_FAILED');
    for (const deviceToken of ['', 'a.b', 'a.b.c', '.', '!!.??', 'e30.e30', `${'A'.repeat(5)}.${'B'.repeat(43)}`]) {
      expect((await loginFrom('203.0.113.80', { email: user.email, password: user.password, deviceToken })).status).toBe(200);
    }
  });

  it('fails open when Redis is down: the password still decides', async () => {
    const user = await createUser();
    const env = { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${DEAD_PORT}` };
    await expectProblem(await loginFrom('203.0.113.90', { email: user.email, password: wrong(0) }, env), 401, 'UNAUTHENTICATED');
    expect((await loginFrom('203.0.113.90', { email: user.email, password: user.password }, env)).status).toBe(200);
  });
});
