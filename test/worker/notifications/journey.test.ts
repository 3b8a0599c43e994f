import { describe, expect, it } from 'vitest';
import { call } from '../../support/app';
import { api, uniqueEmail } from '../../support/users';

/** Polls the dev outbox (the run's env has no email provider) until `to` has `count` emails. */
async function outboxFor(to: string, count: number, timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(`/api/v1/dev/outbox?to=${encodeURIComponent(to)}`, { env: { DEV_ROUTES: 'true' } });
    const page = await res.json<{ data: Array<{ subject: string; text: string }> }>();
    if (page.data.length >= count || Date.now() > deadline) return page.data;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('end to end through the real queue', () => {
  it('registering sends a welcome and a verification email whose link verifies the account', async () => {
    const email = uniqueEmail('journey');
    const res = await api('POST', '/auth/register', { body: { email, password: `pw-${crypto.randomUUID()}`, name: 'Journey' } });
    expect(res.status).toBe(201);
    const { accessToken } = await res.json<{ accessToken: string }>();

    const emails = await outboxFor(email, 2);
    // No language stored at registration: the deployment's default (uz).
    expect(emails.map((e) => e.subject).sort()).toEqual(['Elektron pochtangizni tasdiqlang', 'UltraMarketga xush kelibsiz']);
    const verify = emails.find((e) => e.subject === 'Elektron pochtangizni tasdiqlang');
    const token = /verify-email\?token=([^\s]+)/.exec(verify?.text ?? '')?.[1];
    expect(token).toBeDefined();
    const verified = await api('POST', '/auth/verify-email', { body: { token: decodeURIComponent(token ?? '') } });
    expect(verified.status).toBe(204);

    const inbox = await (await api('GET', '/notifications', { token: accessToken })).json<{ data: Array<{ type: string }> }>();
    expect(inbox.data.map((n) => n.type).sort()).toEqual(['auth.verify_email', 'user.registered']);
  });
});
