/**
 * Local stand-in for a Resend-style transactional email API, for tests and
 * development: the Worker's HTTP email provider talks to it exactly as it
 * would to the real service. Dev/test tooling only: never import it from
 * Worker code.
 *
 *   POST /emails          {from, to: string | string[], subject, text?, html?} with `Authorization: Bearer <apiKey>`
 *                         → 200 {id}. 401 without the key, 422 for a missing field (Resend's error shape:
 *                         {statusCode, name, message}). `Idempotency-Key`: the same key and body answer the
 *                         first id again (nothing stored twice); the same key with another body is a 409.
 *   GET  /emails?to=      {object: 'list', data: [...]} what was accepted, oldest first (Bearer auth too)
 *   GET  /emails/:id      one accepted email
 *   POST /control/failures {to?, count?, status?}  fail the next `count` sends (all of them without a count)
 *                         with `status` (default 503), only those to `to` when given; rules apply in order
 *   DELETE /control/failures?to=                   forget the rules for `to` (every rule without it)
 *   GET  /control/requests?to=                     {count}: POST /emails calls received (failed ones included)
 *
 * State lives in memory and is lost on close.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { acrossNetwork } from './network-http';

export interface StandinEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string | null;
  createdAt: string;
}

export interface FailureRule {
  /** Only sends to this address (case-insensitive); all sends when absent. */
  to?: string;
  /** How many sends to fail; forever when absent. */
  count?: number;
  /** Status to answer. Default 503. */
  status?: number;
}

export interface EmailStandin {
  url: string;
  apiKey: string;
  emails(to?: string): StandinEmail[];
  fail(rule: FailureRule): void;
  clearFailures(): void;
  close(): Promise<void>;
}

export interface EmailStandinOptions {
  host?: string;
  port?: number;
  /** The key requests must present. Default 're_test_standin'. */
  apiKey?: string;
  log?: (line: string) => void;
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startEmailStandin(options: EmailStandinOptions = {}): Promise<EmailStandin> {
  const apiKey = options.apiKey ?? 're_test_standin';
  const log = options.log ?? (() => {});
  const accepted: StandinEmail[] = [];
  const byKey = new Map<string, { body: string; id: string }>();
  const rules: Array<Required<Pick<FailureRule, 'status'>> & FailureRule> = [];
  const requests: string[][] = [];

  const recipientsOf = (to: unknown): string[] | undefined => {
    const list = typeof to === 'string' ? [to] : Array.isArray(to) ? to : undefined;
    return list?.every((x) => typeof x === 'string' && x.includes('@')) && list.length ? list.map((x) => x.toLowerCase()) : undefined;
  };
  const emailsTo = (to?: string | null) => accepted.filter((e) => !to || e.to.includes(to.toLowerCase()));

  /** The first rule that matches these recipients, used up by one. */
  function failureFor(to: string[]): number | undefined {
    const index = rules.findIndex((r) => !r.to || to.includes(r.to.toLowerCase()));
    const rule = rules[index];
    if (!rule) return undefined;
    if (rule.count !== undefined && --rule.count <= 0) rules.splice(index, 1);
    return rule.status;
  }

  function sendEmail(req: IncomingMessage, raw: string): [number, unknown] {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return [400, { statusCode: 400, name: 'invalid_json', message: 'The body is not valid JSON.' }];
    }
    const to = recipientsOf(body.to);
    requests.push(to ?? []);
    const missing = ['from', 'subject'].filter((f) => typeof body[f] !== 'string' || !body[f]);
    if (!to) missing.push('to');
    if (typeof body.text !== 'string' && typeof body.html !== 'string') missing.push('text or html');
    if (missing.length) return [422, { statusCode: 422, name: 'validation_error', message: `Missing or invalid: ${missing.join(', ')}.` }];
    const status = failureFor(to ?? []);
    if (status) {
      log(`email stand-in: failing a send to ${to?.join(', ')} with ${status}`);
      return [status, { statusCode: status, name: 'application_error', message: 'The stand-in was told to fail this send.' }];
    }
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const previous = key ? byKey.get(key) : undefined;
    if (previous) {
      if (previous.body !== raw) {
        return [409, { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different payload.' }];
      }
      return [200, { id: previous.id }];
    }
    const email: StandinEmail = {
      id: randomUUID(),
      from: String(body.from),
      to: to ?? [],
      subject: String(body.subject),
      text: typeof body.text === 'string' ? body.text : '',
      html: typeof body.html === 'string' ? body.html : '',
      idempotencyKey: key,
      createdAt: new Date().toISOString(),
    };
    accepted.push(email);
    if (key) byKey.set(key, { body: raw, id: email.id });
    return [200, { id: email.id }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const raw = await text(req);
    const json = (status: number, value: unknown) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (url.pathname.startsWith('/control/')) {
      if (req.method === 'POST' && url.pathname === '/control/failures') {
        const rule = (raw ? JSON.parse(raw) : {}) as FailureRule;
        rules.push({ ...rule, status: rule.status ?? 503 });
        return json(200, { rules: rules.length });
      }
      if (req.method === 'DELETE' && url.pathname === '/control/failures') {
        const to = url.searchParams.get('to')?.toLowerCase();
        for (let i = rules.length - 1; i >= 0; i--) if (!to || rules[i]?.to?.toLowerCase() === to) rules.splice(i, 1);
        return json(200, { rules: rules.length });
      }
      if (req.method === 'GET' && url.pathname === '/control/requests') {
        const to = url.searchParams.get('to')?.toLowerCase();
        return json(200, { count: requests.filter((r) => !to || r.includes(to)).length });
      }
      return json(404, { statusCode: 404, name: 'not_found', message: 'No such control.' });
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), apiKey)) {
      return json(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing or invalid API key.' });
    }
    if (req.method === 'POST' && url.pathname === '/emails') return json(...sendEmail(req, raw));
    if (req.method === 'GET' && url.pathname === '/emails') return json(200, { object: 'list', data: emailsTo(url.searchParams.get('to')) });
    const one = /^\/emails\/([^/]+)$/.exec(url.pathname);
    const found = one && req.method === 'GET' ? accepted.find((e) => e.id === one[1]) : undefined;
    if (found) return json(200, found);
    return json(404, { statusCode: 404, name: 'not_found', message: 'Not found.' });
  }

  // The provider's API crosses the network; the /control/ routes are the tests' own.
  const server: Server = createServer(
    acrossNetwork(
      'email',
      (req, res) => {
        handle(req, res).catch((err: unknown) => {
          log(`email stand-in: ${String(err)}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: 500, name: 'internal_server_error', message: 'Stand-in error.' }));
        });
      },
      (req) => !(req.url ?? '').startsWith('/control/'),
    ),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    apiKey,
    emails: (to) => emailsTo(to),
    fail: (rule) => void rules.push({ ...rule, status: rule.status ?? 503 }),
    clearFailures: () => void (rules.length = 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npx tsx scripts/stack/email-standin.ts [port]`: run it on its own, to try the HTTP provider by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const standin = await startEmailStandin({ port: Number(process.argv[2] ?? 8025), log: console.log });
  console.log(`email stand-in on ${standin.url}: EMAIL_PROVIDER_URL=${standin.url}/emails EMAIL_PROVIDER_KEY=${standin.apiKey}`);
}
