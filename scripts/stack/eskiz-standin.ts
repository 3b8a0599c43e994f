/**
 * Local stand-in for Eskiz's SMS API (notify.eskiz.uz/api), for tests and
 * development: the Worker's Eskiz client (shared/sms/eskiz.ts) talks to it as
 * it would to Eskiz, and its outbox is where a developer reads the codes.
 * Dev/test tooling only: never import it from Worker code.
 *
 * Eskiz's wire protocol, as its Postman collection documents it (bodies are form
 * data; JSON and urlencoded are taken too):
 *   POST  /api/auth/login        {email, password} → 200 {message: 'token_generated', data: {token}, token_type: 'bearer'};
 *                                wrong ones → 401 {message: 'Invalid credentials', status: 'error'}
 *   PATCH /api/auth/refresh      Bearer <token> → 200 the same shape with a new token (the old one stops working)
 *   GET   /api/auth/user         Bearer → 200 {status: 'success', data: {id, email, name, role, status, balance}}
 *   POST  /api/message/sms/send  Bearer; {mobile_phone (digits), message, from, callback_url?}
 *                                → 200 {id, message: 'Waiting for SMS provider', status: 'waiting'};
 *                                then POSTs {request_id, message_id, user_sms_id, country, phone_number, sms_count,
 *                                status: 'DELIVRD', status_date} (JSON) to callback_url.
 *   A token past its lifetime → 401 {message: 'Expired', status: 'token_expired'}; an unknown one
 *   → 401 {message: 'Token is invalid', status: 'token_invalid'}; a bad number → 400 {message, status: 'error'}.
 *
 * The local outbox (no auth: it is the developer's phone):
 *   GET  /outbox?phone=          {data: [...]} every accepted SMS, newest first (phone as +998… or digits)
 *   GET  /outbox/latest?phone=   the newest SMS to that phone (404 without one): where the codes are read
 * Tests' controls:
 *   POST /control/failures {phone?, count?, status?, report?}  the next `count` sends (all without) to `phone` (any
 *        without) answer HTTP `status` (default 500), or are accepted but reported `report` (UNDELIV, EXPIRED, REJECTD)
 *        or never reported ('none': a lost SMS)
 *   DELETE /control/failures     forget every rule
 *   POST /control/expire-tokens  every token issued so far is past its lifetime
 *   GET  /control/requests       {login, refresh, send}: calls received
 *   GET  /control/reports?request_id=  {data: [...]} the delivery reports made (posted or not), for forwarding
 *
 * State lives in memory and is lost on close.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { digits, type EskizFailureRule, type EskizReport, formOf, partsOf, sameSecret, statusDate, type StandinSms } from './eskiz-standin/wire';

export type { EskizFailureRule, EskizReport, StandinSms } from './eskiz-standin/wire';

export interface EskizStandin {
  url: string;
  /** The API base the Worker's ESKIZ_BASE_URL takes. */
  apiBase: string;
  email: string;
  password: string;
  outbox(phone?: string): StandinSms[];
  reports(requestId?: string): EskizReport[];
  fail(rule: EskizFailureRule): void;
  expireTokens(): void;
  close(): Promise<void>;
}

export interface EskizStandinOptions {
  host?: string;
  port?: number;
  email?: string;
  password?: string;
  /** Token lifetime; Eskiz's is 30 days. */
  tokenTtlMs?: number;
  log?: (line: string) => void;
}

export async function startEskizStandin(options: EskizStandinOptions = {}): Promise<EskizStandin> {
  const email = options.email ?? 'test@eskiz.uz';
  const password = options.password ?? 'eskiz-standin-password';
  const ttl = options.tokenTtlMs ?? 30 * 24 * 3600_000;
  const log = options.log ?? (() => {});
  const tokens = new Map<string, { expiresAt: number }>();
  const accepted: StandinSms[] = [];
  const made: EskizReport[] = [];
  const rules: EskizFailureRule[] = [];
  const calls = { login: 0, refresh: 0, send: 0 };
  let messageSeq = 4385062;

  const issue = () => {
    const token = `eyJ${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { expiresAt: Date.now() + ttl });
    return { message: 'token_generated', data: { token }, token_type: 'bearer' };
  };
  const outboxOf = (phone?: string | null) => accepted.filter((s) => !phone || s.phone === digits(phone)).reverse();

  function ruleFor(phone: string): EskizFailureRule | undefined {
    const index = rules.findIndex((r) => !r.phone || digits(r.phone) === phone);
    const rule = rules[index];
    if (!rule) return undefined;
    if (rule.count !== undefined && --rule.count <= 0) rules.splice(index, 1);
    return rule;
  }

  /** The bearer token's problem, as Eskiz answers it, or undefined when it is good. */
  function tokenProblem(req: IncomingMessage): [number, unknown] | undefined {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const known = tokens.get(token);
    if (!known) return [401, { message: 'Token is invalid', status: 'token_invalid' }];
    if (known.expiresAt <= Date.now()) return [401, { message: 'Expired', status: 'token_expired' }];
    return undefined;
  }

  async function report(sms: StandinSms, status: string): Promise<void> {
    const body: EskizReport = {
      request_id: sms.id,
      message_id: sms.messageId,
      user_sms_id: '',
      country: sms.phone.startsWith('998') ? 'UZ' : 'XX',
      phone_number: sms.phone,
      sms_count: String(partsOf(sms.message)),
      status,
      status_date: statusDate(new Date()),
    };
    made.push(body);
    if (!sms.callbackUrl) return;
    try {
      const res = await fetch(sms.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      log(`eskiz stand-in: report ${status} for ${sms.id} → ${res.status}`);
    } catch (err) {
      log(`eskiz stand-in: report for ${sms.id} not delivered: ${String(err)}`);
    }
  }

  async function send(req: IncomingMessage, raw: string): Promise<[number, unknown]> {
    calls.send++;
    const problem = tokenProblem(req);
    if (problem) return problem;
    const form = await formOf(req, raw);
    const phone = form.mobile_phone ?? '';
    if (!/^\d{9,15}$/.test(phone)) return [400, { message: 'Invalid mobile_phone: digits only, with the country code (998901234567)', status: 'error' }];
    if (phone.startsWith('998') && phone.length !== 12) return [400, { message: 'Invalid mobile_phone for Uzbekistan', status: 'error' }];
    if (!form.message) return [400, { message: 'The message field is required.', status: 'error' }];
    if (!form.from) return [400, { message: 'The from field is required.', status: 'error' }];
    const callback = form.callback_url || null;
    if (callback && !/^https?:\/\//.test(callback)) return [400, { message: 'The callback url format is invalid.', status: 'error' }];
    const rule = ruleFor(phone);
    if (rule?.status) return [rule.status, { message: 'The stand-in was told to fail this send.', status: 'error' }];
    const sms: StandinSms = {
      id: randomUUID(),
      messageId: String(messageSeq++),
      phone,
      message: form.message,
      from: form.from,
      callbackUrl: callback,
      createdAt: new Date().toISOString(),
    };
    accepted.push(sms);
    log(`eskiz stand-in: SMS to +${phone}: ${sms.message}`);
    // The report follows the answer, as Eskiz's does.
    const outcome = rule?.report ?? 'DELIVRD';
    if (outcome !== 'none') setImmediate(() => void report(sms, outcome));
    return [200, { id: sms.id, message: 'Waiting for SMS provider', status: 'waiting' }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const raw = await text(req);
    const json = (status: number, value: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'POST /api/auth/login': {
        calls.login++;
        const form = await formOf(req, raw);
        if (!form.email || !form.password) return json(400, { message: 'The email and password fields are required.', status: 'error' });
        if (!sameSecret(form.email, email) || !sameSecret(form.password, password)) return json(401, { message: 'Invalid credentials', status: 'error' });
        return json(200, issue());
      }
      case 'PATCH /api/auth/refresh': {
        calls.refresh++;
        const auth = req.headers.authorization ?? '';
        const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
        // A refresh takes an expired token too (that is what it is for), never an unknown one.
        if (!tokens.has(token)) return json(401, { message: 'Token is invalid', status: 'token_invalid' });
        tokens.delete(token);
        return json(200, issue());
      }
      case 'GET /api/auth/user': {
        const problem = tokenProblem(req);
        if (problem) return json(...problem);
        return json(200, { status: 'success', data: { id: 1, email, name: 'Stand-in', role: 'user', status: 'active', balance: 100000 } });
      }
      case 'POST /api/message/sms/send':
        return json(...(await send(req, raw)));
      case 'GET /outbox':
        return json(200, { data: outboxOf(url.searchParams.get('phone')) });
      case 'GET /outbox/latest': {
        const latest = outboxOf(url.searchParams.get('phone'))[0];
        return latest ? json(200, latest) : json(404, { message: 'No SMS to that phone yet.' });
      }
      case 'POST /control/failures':
        rules.push((raw ? JSON.parse(raw) : {}) as EskizFailureRule);
        return json(200, { rules: rules.length });
      case 'DELETE /control/failures':
        rules.length = 0;
        return json(200, { rules: 0 });
      case 'POST /control/expire-tokens':
        for (const t of tokens.values()) t.expiresAt = 0;
        return json(200, { expired: tokens.size });
      case 'GET /control/requests':
        return json(200, calls);
      case 'GET /control/reports': {
        const id = url.searchParams.get('request_id');
        return json(200, { data: made.filter((r) => !id || r.request_id === id) });
      }
      default:
        return json(404, { message: 'Not found', status: 'error' });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`eskiz stand-in: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Stand-in error.', status: 'error' }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    apiBase: `${url}/api`,
    email,
    password,
    outbox: (phone) => outboxOf(phone),
    reports: (requestId) => made.filter((r) => !requestId || r.request_id === requestId),
    fail: (rule) => void rules.push(rule),
    expireTokens: () => {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npx tsx scripts/stack/eskiz-standin.ts [port]`: run it on its own, to try the Eskiz client by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const standin = await startEskizStandin({ port: Number(process.argv[2] ?? 8026), log: console.log });
  console.log(`eskiz stand-in on ${standin.url}: ESKIZ_BASE_URL=${standin.apiBase} ESKIZ_EMAIL=${standin.email} ESKIZ_PASSWORD=${standin.password}`);
  console.log(`SMS outbox: ${standin.url}/outbox`);
}
