import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EskizReport, type EskizStandin, startEskizStandin } from '../../scripts/stack/eskiz-standin';
import { type CachedToken, eskizSmsProvider, type EskizTokenStore, REFRESH_AFTER_MS } from '../../shared/sms/eskiz';
import { SmsSendFailed } from '../../shared/sms/provider';
import { smsProviderContract } from '../worker/notifications/sms-contract';

let standin: EskizStandin;
let seq = 0;
const phone = () => `+99890${String(10_000_000 + ++seq).slice(1)}`;

class MemoryTokens implements EskizTokenStore {
  value: CachedToken | undefined;
  get = async () => this.value;
  set = async (t: CachedToken) => void (this.value = t);
  clear = async () => void (this.value = undefined);
}

const client = (tokens: EskizTokenStore = new MemoryTokens(), extra: Partial<Parameters<typeof eskizSmsProvider>[0]> = {}) =>
  eskizSmsProvider({ baseUrl: standin.apiBase, email: standin.email, password: standin.password, from: '4546', tokens, ...extra });

const requests = async () => (await (await fetch(`${standin.url}/control/requests`)).json()) as { login: number; refresh: number; send: number };

beforeAll(async () => {
  standin = await startEskizStandin();
});
afterAll(() => standin.close());
beforeEach(() => fetch(`${standin.url}/control/failures`, { method: 'DELETE' }));

smsProviderContract({
  name: 'Eskiz client against the Eskiz stand-in',
  provider: () => client(),
  sent: async (to) => standin.outbox(to).map((s) => ({ text: s.message })),
  phone,
});

describe('Eskiz stand-in: the wire protocol', () => {
  it('logs in with form data, refuses wrong credentials and missing fields as Eskiz does', async () => {
    const form = new FormData();
    form.append('email', standin.email);
    form.append('password', standin.password);
    const ok = await fetch(`${standin.apiBase}/auth/login`, { method: 'POST', body: form });
    const body = (await ok.json()) as { message: string; data: { token: string }; token_type: string };
    expect([ok.status, body.message, body.token_type]).toEqual([200, 'token_generated', 'bearer']);
    expect(body.data.token).toMatch(/^eyJ/);

    const wrong = new FormData();
    wrong.append('email', standin.email);
    wrong.append('password', 'nope');
    const refused = await fetch(`${standin.apiBase}/auth/login`, { method: 'POST', body: wrong });
    expect([refused.status, await refused.json()]).toEqual([401, { message: 'Invalid credentials', status: 'error' }]);
    const empty = await fetch(`${standin.apiBase}/auth/login`, { method: 'POST' });
    expect(empty.status).toBe(400);
  });

  it('refreshes a token (PATCH), retiring the old one; refuses an unknown token with token_invalid', async () => {
    const login = await fetch(`${standin.apiBase}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: standin.email, password: standin.password }),
    });
    const old = ((await login.json()) as { data: { token: string } }).data.token;
    const refreshed = await fetch(`${standin.apiBase}/auth/refresh`, { method: 'PATCH', headers: { authorization: `Bearer ${old}` } });
    const fresh = ((await refreshed.json()) as { data: { token: string } }).data.token;
    expect(fresh).not.toBe(old);
    const reused = await fetch(`${standin.apiBase}/auth/user`, { headers: { authorization: `Bearer ${old}` } });
    expect([reused.status, await reused.json()]).toEqual([401, { message: 'Token is invalid', status: 'token_invalid' }]);
    const user = await fetch(`${standin.apiBase}/auth/user`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(user.status).toBe(200);
  });

  it('answers the send with Eskiz’s shape and posts the delivery report to callback_url', async () => {
    const received: EskizReport[] = [];
    const receiver: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(raw) as EskizReport);
        res.end('ok');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/reports?key=k`;
    const to = phone();
    const sent = await client(new MemoryTokens(), { callbackUrl }).send({ to, text: 'UltraMarket: kirish kodi 111111.', idempotencyKey: 'x' });
    while (received.length === 0) await new Promise((r) => setImmediate(r));
    receiver.close();
    expect(received[0]).toMatchObject({ request_id: sent.id, phone_number: to.slice(1), status: 'DELIVRD', sms_count: '1', country: 'UZ' });
    expect(received[0]?.status_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});

describe('Eskiz client: token handling and errors', () => {
  it('logs in once and reuses the cached token', async () => {
    const tokens = new MemoryTokens();
    const before = await requests();
    await client(tokens).send({ to: phone(), text: 'a', idempotencyKey: '1' });
    await client(tokens).send({ to: phone(), text: 'b', idempotencyKey: '2' });
    const after = await requests();
    expect([after.login - before.login, after.send - before.send]).toEqual([1, 2]);
  });

  it('on a 401 (token expired) logs in again once and sends', async () => {
    const tokens = new MemoryTokens();
    await client(tokens).send({ to: phone(), text: 'a', idempotencyKey: '1' });
    standin.expireTokens();
    const before = await requests();
    const to = phone();
    await client(tokens).send({ to, text: 'after expiry', idempotencyKey: '2' });
    const after = await requests();
    expect([after.login - before.login, after.send - before.send]).toEqual([1, 2]);
    expect(standin.outbox(to).map((s) => s.message)).toEqual(['after expiry']);
  });

  it('renews a token older than the refresh age with PATCH /auth/refresh instead of logging in', async () => {
    const tokens = new MemoryTokens();
    let now = Date.now();
    await client(tokens, { now: () => now }).send({ to: phone(), text: 'a', idempotencyKey: '1' });
    const first = tokens.value?.token;
    now += REFRESH_AFTER_MS;
    const before = await requests();
    await client(tokens, { now: () => now }).send({ to: phone(), text: 'b', idempotencyKey: '2' });
    const after = await requests();
    expect([after.refresh - before.refresh, after.login - before.login]).toEqual([1, 0]);
    expect(tokens.value?.token).not.toBe(first);
  });

  it('wrong credentials are not retryable; a 5xx is', async () => {
    const refused = await eskizSmsProvider({ baseUrl: standin.apiBase, email: standin.email, password: 'wrong', from: '4546', tokens: new MemoryTokens() })
      .send({ to: phone(), text: 'a', idempotencyKey: '1' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SmsSendFailed);
    expect((refused as SmsSendFailed).retryable).toBe(false);
    expect((refused as SmsSendFailed).message).not.toContain('wrong');

    const to = phone();
    standin.fail({ phone: to, count: 1, status: 503 });
    const failed = await client().send({ to, text: 'a', idempotencyKey: '1' }).catch((e: unknown) => e);
    expect([(failed as SmsSendFailed).retryable, (failed as SmsSendFailed).status]).toEqual([true, 503]);
    expect(standin.outbox(to)).toEqual([]);
  });

  it('an unreachable Eskiz is retryable', async () => {
    const error = await eskizSmsProvider({ baseUrl: 'http://127.0.0.1:9/api', email: 'e', password: 'p', from: '4546', tokens: new MemoryTokens(), timeoutMs: 2_000 })
      .send({ to: phone(), text: 'a', idempotencyKey: '1' })
      .catch((e: unknown) => e);
    expect((error as SmsSendFailed).retryable).toBe(true);
  });

  it('a lost SMS is accepted and never reported; the outbox serves the latest code per phone', async () => {
    const to = phone();
    standin.fail({ phone: to, count: 1, report: 'none' });
    const lost = await client().send({ to, text: 'UltraMarket: kirish kodi 222222.', idempotencyKey: '1' });
    await client().send({ to, text: 'UltraMarket: kirish kodi 333333.', idempotencyKey: '2' });
    await new Promise((r) => setImmediate(r));
    expect(standin.reports(lost.id)).toEqual([]);
    const latest = await fetch(`${standin.url}/outbox/latest?phone=${encodeURIComponent(to)}`);
    expect(((await latest.json()) as { message: string }).message).toBe('UltraMarket: kirish kodi 333333.');
  });
});
