import { SELF } from 'cloudflare:test';
import { lastOutboxCodeTo, uniqueIp, uniquePhone } from '../../support/phone';
import { uniqueEmail } from '../../support/users';
import { type AccessTable, open, signedIn } from '../types';

const ORIGIN = 'http://api.test/api/v1';
const NO_CHALLENGE = '01930000-0000-7000-8000-0000000000c1';

/** Each case from its own network, so the matrix never meets the per-network code limit. */
const fromOwnNetwork = () => ({ 'cf-connecting-ip': uniqueIp() });

/** A live code for a fresh number: asked for anonymously (sign-in) or by `token`'s account (adding a phone). */
async function freshCode(path: string, token?: string): Promise<{ challengeId: string; code: string }> {
  const phone = uniquePhone();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...fromOwnNetwork() };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await SELF.fetch(`${ORIGIN}${path}`, { method: 'POST', headers, body: JSON.stringify({ phone }) });
  if (res.status !== 202) throw new Error(`code for ${path}: ${res.status} ${await res.text()}`);
  const { challengeId } = await res.json<{ challengeId: string }>();
  return { challengeId, code: await lastOutboxCodeTo(phone) };
}

/** Phone sign-in (/auth/phone) and a signed-in user's phone and credentials (/users/me/phone, /users/me/email). */
export const phoneAuth: AccessTable = {
  // Public: they read no Authorization header.
  'POST /api/v1/auth/phone/start': {
    request: () => ({ body: { phone: uniquePhone() }, headers: fromOwnNetwork() }),
    expect: open(202),
  },
  'POST /api/v1/auth/phone/verify': {
    request: async () => ({ body: await freshCode('/auth/phone/start'), headers: fromOwnNetwork() }),
    expect: open(200),
  },
  'POST /api/v1/users/me/phone': {
    request: () => ({ body: { phone: uniquePhone() }, headers: fromOwnNetwork() }),
    expect: signedIn(202),
  },
  'POST /api/v1/users/me/phone/verify': {
    // A code asked for by the acting account; a denied caller presents one that does not exist.
    request: async ({ user, denied }) => ({
      body: denied || !user ? { challengeId: NO_CHALLENGE, code: '000000' } : await freshCode('/users/me/phone', user.accessToken),
    }),
    expect: signedIn(200),
    acting: 'throwaway',
  },
  'POST /api/v1/users/me/email': {
    request: () => ({ body: { email: uniqueEmail('authz-add-email'), password: `pw-${crypto.randomUUID()}` } }),
    expect: signedIn(409),
    note: 'Every fixture account already has an email and password; a phone-only account gets 200 (test/worker/auth/phone-account.test.ts).',
  },
};
