import { SELF } from 'cloudflare:test';
import { desc, eq } from 'drizzle-orm';
import { hashToken } from '../../shared/auth/tokens';
import { clientNetwork } from '../../shared/client-network';
import { devSms } from '../../shared/db/schema';
import { loadConfig } from '../../shared/env';
import { createRedis, redisKey } from '../../shared/redis';
import type { Bindings } from '../../shared/env';
import { call, testEnv } from './app';
import { API, withDb } from './users';

const stand = testEnv as Bindings & { ESKIZ_STANDIN_URL: string; ESKIZ_STANDIN_EMAIL: string; ESKIZ_STANDIN_PASSWORD: string };
/** The Eskiz stand-in the test stack runs (scripts/stack/eskiz-standin.ts): its outbox is the shopper's phone. */
export const ESKIZ_URL = stand.ESKIZ_STANDIN_URL;
/** Bindings that send SMS through the Eskiz client to the stand-in (the run's own env uses the local dev_sms outbox). */
export const eskizEnv: Record<string, string> = {
  ESKIZ_BASE_URL: `${ESKIZ_URL}/api`,
  ESKIZ_EMAIL: stand.ESKIZ_STANDIN_EMAIL,
  ESKIZ_PASSWORD: stand.ESKIZ_STANDIN_PASSWORD,
};

/** A fresh Uzbek mobile number (Beeline's 90 prefix) per call. */
export function uniquePhone(): string {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return `+99890${String(n % 10_000_000).padStart(7, '0')}`;
}

/** A fresh IPv4 client on its own /24, so tests never share a network's code budget. */
export function uniqueIp(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
  return `10.${a}.${b}.${1 + (a % 200)}`;
}

export interface PhoneCall {
  ip?: string;
  token?: string;
  env?: Record<string, string>;
  /** Through the deployed Worker (SELF), whose SMS go to the local dev_sms outbox, instead of an app sending through Eskiz. */
  self?: boolean;
}

/**
 * A JSON POST from a client address, through the real app with its SMS going
 * through the Eskiz client to the stand-in (`call` waits for the work after
 * the response).
 */
export function post(path: string, body: unknown, options: PhoneCall = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cf-connecting-ip': options.ip ?? uniqueIp() };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const request = new Request(`${API}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return options.self ? SELF.fetch(request) : call(request, { env: { ...eskizEnv, ...options.env } });
}

const codeIn = (text: string | undefined, phone: string): string => {
  const code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
  if (!code) throw new Error(`no code SMS to ${phone}`);
  return code;
};

/** Every SMS the Eskiz stand-in accepted for a number, newest first. */
export async function smsTo(phone: string): Promise<Array<{ message: string }>> {
  const res = await fetch(`${ESKIZ_URL}/outbox?phone=${encodeURIComponent(phone)}`);
  return (await res.json<{ data: Array<{ message: string }> }>()).data;
}

/** The code in the latest SMS Eskiz (the stand-in) took for a number. */
export async function lastCodeSentTo(phone: string): Promise<string> {
  return codeIn((await smsTo(phone))[0]?.message, phone);
}

/** How many SMS the stand-in took for a number. */
export async function smsCountTo(phone: string): Promise<number> {
  return (await smsTo(phone)).length;
}

/** The code in the latest SMS the local dev_sms outbox holds (requests through SELF, without Eskiz). */
export async function lastOutboxCodeTo(phone: string): Promise<string> {
  const [sms] = await withDb((db) =>
    db.select({ text: devSms.text }).from(devSms).where(eq(devSms.toPhone, phone)).orderBy(desc(devSms.createdAt), desc(devSms.id)).limit(1),
  );
  return codeIn(sms?.text, phone);
}

/** Makes the stand-in drop the next SMS to a number: accepted, never delivered (a lost SMS), or refused with `status`. */
export async function failNextSms(phone: string, rule: { report?: 'none'; status?: number }): Promise<void> {
  const res = await fetch(`${ESKIZ_URL}/control/failures`, { method: 'POST', body: JSON.stringify({ phone: phone.replace(/^\+/, ''), count: 1, ...rule }) });
  if (!res.ok) throw new Error(`stand-in failure rule: ${res.status}`);
}

/** Ends the resend cooldown of a number for one client network, as if its minute had passed. */
export async function endCooldown(phone: string, ip: string): Promise<void> {
  const config = loadConfig(testEnv);
  await createRedis(config).del(redisKey(config, 'phone-code', 'cooldown', 'net', clientNetwork(ip, 24), await hashToken(phone)));
}

export interface SignedInByPhone {
  user: { id: string; email: string | null };
  accessToken: string;
  refreshToken: string;
  deviceToken: string;
  newAccount: boolean;
}

/** Asks for a code and signs in with it from one client. */
export async function signInByPhone(phone: string, options: PhoneCall & { deviceToken?: string } = {}): Promise<SignedInByPhone> {
  const ip = options.ip ?? uniqueIp();
  const start = await post('/auth/phone/start', { phone, ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}) }, { ...options, ip });
  if (start.status !== 202) throw new Error(`phone start: ${start.status} ${await start.text()}`);
  const { challengeId } = await start.json<{ challengeId: string }>();
  const res = await post('/auth/phone/verify', { challengeId, code: await lastCodeSentTo(phone) }, { ...options, ip });
  if (res.status !== 200) throw new Error(`phone verify: ${res.status} ${await res.text()}`);
  return res.json();
}
