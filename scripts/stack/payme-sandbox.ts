/**
 * Local Payme: a checkout site where a person pays an order by hand, and a
 * Payme Business that then drives our Merchant API endpoint exactly as the real
 * one does (scripts/stack/payme-sandbox-client.ts holds the calling side).
 * Dev/test tooling only: never import it from Worker code.
 *
 *   GET  /<base64(m=…;ac.order_id=…;a=…;c=…)>   the checkout page (the URL format of
 *        https://developer.help.paycom.uz/initsializatsiya-platezhey/otpravka-cheka-po-metodu-get/)
 *   POST /<base64>/pay      CheckPerformTransaction → CreateTransaction → PerformTransaction
 *   POST /<base64>/cancel   the buyer gives up: CancelTransaction (reason 3) if a transaction was created
 *   POST /transactions/<id>/refund   what the cabinet's refund does: CancelTransaction, reason 5
 *   GET  /transactions      the sandbox's transactions, as JSON
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acrossNetwork } from './network-http';
import { PaymeClient, paymeTransactionId, type RpcReply } from './payme-sandbox-client';

export interface PaymeSandboxOptions {
  host?: string;
  port?: number;
  /** Our endpoint (POST /api/v1/payments/payme); settable later with setEndpoint. */
  endpoint?: string;
  merchantId?: string;
  key?: string;
  log?: (line: string) => void;
}

export interface PaymeSandbox {
  url: string;
  /** What PAYME_CHECKOUT_BASE should be. */
  checkoutBase: string;
  merchantId: string;
  key: string;
  setEndpoint(url: string): void;
  /** The calling side, pointed at the endpoint. */
  client(): PaymeClient;
  /** Transactions this sandbox created, newest last. */
  transactions(): SandboxTransaction[];
  close(): Promise<void>;
}

export interface SandboxTransaction {
  id: string;
  orderId: string;
  amount: number;
  replies: Array<{ method: string; reply: RpcReply }>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function decodeParams(encoded: string): Record<string, string> | undefined {
  try {
    const text = Buffer.from(encoded, 'base64').toString('utf8');
    const out: Record<string, string> = {};
    for (const part of text.split(';')) {
      const at = part.indexOf('=');
      if (at > 0) out[part.slice(0, at)] = part.slice(at + 1);
    }
    return out.m && out.a ? out : undefined;
  } catch {
    return undefined;
  }
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
      '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}' +
      'button{font-size:1.1rem;padding:.6rem 1.4rem;margin-right:.6rem}.err{color:#b00020}pre{background:#f4f4f4;padding:.6rem;overflow:auto}</style>' +
      `</head><body><p><strong>Payme sandbox</strong> (local stand-in, no real money)</p><h1>${escape(title)}</h1>${body}</body></html>`,
  );
}

const sum = (tiyin: number) => `${(tiyin / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} UZS`;

function describeReply(method: string, reply: RpcReply): string {
  const outcome = reply.error ? `<span class="err">error ${reply.error.code}</span>` : 'ok';
  return `<li>${escape(method)}: ${outcome}</li>`;
}

export async function startPaymeSandbox(options: PaymeSandboxOptions = {}): Promise<PaymeSandbox> {
  const host = options.host ?? '127.0.0.1';
  const merchantId = options.merchantId ?? randomBytes(12).toString('hex');
  const key = options.key ?? `sandbox-${randomBytes(16).toString('hex')}`;
  let endpoint = options.endpoint ?? '';
  const log = options.log ?? (() => {});
  const made: SandboxTransaction[] = [];
  /** The checkout link's open transaction (a buyer who reloads the page continues it). */
  const openFor = new Map<string, SandboxTransaction>();

  const client = () => new PaymeClient({ endpoint, key });

  async function pay(encoded: string, params: Record<string, string>, res: ServerResponse): Promise<void> {
    const field = Object.keys(params).find((k) => k.startsWith('ac.'));
    const orderId = field ? (params[field] ?? '') : '';
    const amount = Number(params.a);
    const c = new PaymeClient({ endpoint, key, accountField: field?.slice(3) ?? 'order_id' });
    const tx: SandboxTransaction = openFor.get(encoded) ?? { id: paymeTransactionId(), orderId, amount, replies: [] };
    const steps: Array<[string, () => Promise<RpcReply>]> = [
      ['CheckPerformTransaction', () => c.checkPerform(orderId, amount)],
      ['CreateTransaction', () => c.create(orderId, amount, tx.id)],
      ['PerformTransaction', () => c.perform(tx.id)],
    ];
    if (!made.includes(tx)) made.push(tx);
    let failed: RpcReply | undefined;
    for (const [method, run] of steps) {
      // A transaction already created is not checked again: Payme goes on with it.
      if (method === 'CheckPerformTransaction' && openFor.has(encoded)) continue;
      const reply = await run();
      tx.replies.push({ method, reply });
      log(`payme sandbox: ${method} ${orderId} → ${reply.error ? `error ${reply.error.code}` : 'ok'}`);
      if (method === 'CreateTransaction' && !reply.error) openFor.set(encoded, tx);
      if (reply.error) {
        failed = reply;
        break;
      }
    }
    if (!failed) openFor.delete(encoded);
    const back = params.c ? `<p><a href="${escape(decodeURIComponent(params.c))}">Back to the shop</a></p>` : '';
    const list = `<ul>${tx.replies.map((r) => describeReply(r.method, r.reply)).join('')}</ul>`;
    if (failed) {
      const message = typeof failed.error?.message === 'string' ? failed.error.message : failed.error?.message.en;
      page(res, 200, 'Payment refused', `<p class="err">${escape(message ?? 'refused')}</p>${list}${back}`);
    } else {
      page(res, 200, 'Paid', `<p>${escape(sum(amount))} paid for order ${escape(orderId)}. Payme transaction <code>${tx.id}</code>.</p>${list}${back}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/transactions') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(made));
      return;
    }
    const refund = /^\/transactions\/([0-9a-f]{24})\/refund$/.exec(path);
    if (req.method === 'POST' && refund?.[1]) {
      const reply = await client().refund(refund[1]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
      return;
    }
    // Standard base64 may contain '/', so the action is whatever `/pay` or `/cancel` ends the path.
    const match = /^\/([A-Za-z0-9+/=_-]+?)(\/pay|\/cancel)?$/.exec(path);
    const encoded = match?.[1] ?? '';
    const params = decodeParams(encoded);
    if (!params) return page(res, 404, 'Unknown checkout link', '<p>This is not a Payme checkout link.</p>');
    if (params.m !== merchantId) return page(res, 404, 'Unknown merchant', `<p>No web cashbox ${escape(params.m ?? '')} here.</p>`);
    if (!endpoint) return page(res, 503, 'Not connected', '<p>The sandbox does not know the merchant endpoint yet.</p>');
    const action = match?.[2];
    if (req.method === 'POST' && action === '/pay') return pay(encoded, params, res);
    if (req.method === 'POST' && action === '/cancel') {
      const open = openFor.get(encoded);
      if (open) {
        open.replies.push({ method: 'CancelTransaction', reply: await client().cancel(open.id, 3) });
        openFor.delete(encoded);
      }
      const back = params.c ? `<p><a href="${escape(decodeURIComponent(params.c))}">Back to the shop</a></p>` : '';
      return page(res, 200, 'Payment cancelled', `<p>Nothing was charged.</p>${back}`);
    }
    if (req.method !== 'GET' || action) return page(res, 405, 'Method not allowed', '');
    const field = Object.keys(params).find((k) => k.startsWith('ac.')) ?? 'ac.order_id';
    page(
      res,
      200,
      `Pay ${sum(Number(params.a))}`,
      `<p>Order <code>${escape(params[field] ?? '')}</code> (${escape(field.slice(3))}), merchant <code>${escape(params.m ?? '')}</code>.</p>` +
        `<p>Test card 8600 0691 9540 6311, 03/99, code 666666 — any card works here.</p>` +
        `<form method="post" action="/${encoded}/pay" style="display:inline"><button>Pay</button></form>` +
        `<form method="post" action="/${encoded}/cancel" style="display:inline"><button>Cancel</button></form>`,
    );
  }

  // A request to Payme's host crosses the network (GET /transactions is the tests' own view). The Worker
  // itself calls no Payme API today: Payme calls its merchant endpoint, so a request counts no 'payme' call.
  const server: Server = createServer(
    acrossNetwork(
      'payme',
      (req, res) => {
        handle(req, res).catch((err: unknown) => {
          log(`payme sandbox: ${String(err)}`);
          if (!res.headersSent) page(res, 502, 'The merchant did not answer', `<pre>${escape(String(err))}</pre>`);
        });
      },
      (req) => req.url !== '/transactions',
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    checkoutBase: url,
    merchantId,
    key,
    setEndpoint: (next) => {
      endpoint = next;
    },
    client,
    transactions: () => [...made],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
