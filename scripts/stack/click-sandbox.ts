/**
 * Local Click stand-in: plays Click's part of the SHOP-API so a payment can be
 * made by hand (or by a test) against the local API. Dev/test tooling only:
 * never import it from Worker code.
 *
 * What it does, to Click's documents:
 * - GET /services/pay?service_id&merchant_id&amount&transaction_param&return_url[&card_type]
 *   (https://docs.click.uz/click-button): a payment page with "Pay" and "Payment fails" buttons.
 * - Drives our endpoints the way Click does (https://docs.click.uz/en/click-api-request/):
 *   Prepare (action=0), then Complete (action=1) with error=0 when the card is charged, or a negative
 *   error (-5017, the code Click's Postman suite uses) when charging failed, each form-encoded and signed
 *   with md5 over the documented fields. A call whose answer is lost (no answer, not JSON, HTTP error) is
 *   sent again with the same fields, as Click retries; `loseAnswer` makes the stand-in drop the first
 *   answer on purpose.
 * - The merchant API (https://docs.click.uz/en/merchant-api-request/):
 *   DELETE /v2/merchant/payment/reversal/:service_id/:payment_id and
 *   GET /v2/merchant/payment/status/:service_id/:payment_id, authenticated by the
 *   `Auth: merchant_user_id:sha1(timestamp + secret_key):timestamp` header. A missing or wrong
 *   header is HTTP 401 (https://docs.click.uz/merchant-api/errors); business errors are HTTP 200 with
 *   a non-zero `error_code` and an `error_note`.
 *
 * - For tests that play Click's SHOP-API part themselves (a test Worker cannot be called back):
 *   POST /sandbox/payments with form fields payment_id (the click_paydoc_id they sent), merchant_trans_id
 *   and amount records a payment as charged, so the merchant API knows it.
 *
 * State lives in memory. Click's own error codes for the merchant API are not
 * all documented: the negative codes this stand-in uses for "payment not found"
 * and "reversal refused" are its own.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acrossNetwork } from './network-http';

export interface ClickSandboxOptions {
  host?: string;
  port?: number;
  serviceId?: string;
  merchantId?: string;
  merchantUserId?: string;
  secretKey?: string;
  /** Our Prepare and Complete URLs (what a merchant registers in Click's cabinet); settable later. */
  prepareUrl?: string;
  completeUrl?: string;
  /** Attempts per call whose answer is lost, before Click gives up. Default 3. */
  attempts?: number;
  log?: (line: string) => void;
}

/** One call the sandbox made to our endpoints and what came back. */
export interface ClickExchange {
  stage: 'prepare' | 'complete';
  attempt: number;
  form: Record<string, string>;
  status: number | null;
  answer: Record<string, unknown> | null;
}

export interface ClickPaymentRun {
  clickTransId: string;
  clickPaydocId: string;
  /** Complete's answer when it came (error 0: paid; -9: cancelled), else Prepare's. */
  result: Record<string, unknown> | null;
  paid: boolean;
  exchanges: ClickExchange[];
}

export interface PayInput {
  orderId: string;
  /** Sum as Click writes it (e.g. "15000.00"). */
  amount: string;
  /** 'pay': the card is charged; 'fail': charging fails and Click sends Complete with error -5017. */
  outcome?: 'pay' | 'fail';
  /** Drop our first answer to this stage, as if the network lost it (Click then repeats the call). */
  loseAnswer?: 'prepare' | 'complete';
}

export interface ClickSandbox {
  url: string;
  serviceId: string;
  merchantId: string;
  merchantUserId: string;
  secretKey: string;
  checkoutBase: string;
  apiBase: string;
  setMerchantUrls(urls: { prepareUrl: string; completeUrl: string }): void;
  /** Runs Prepare → Complete for an order as Click would after the buyer pressed Pay. */
  pay(input: PayInput): Promise<ClickPaymentRun>;
  /** Payments Click has charged (payment_id = click_paydoc_id), with their reversal state. */
  payments(): Array<{ paymentId: string; orderId: string; amount: string; reversed: boolean }>;
  /** The next reversals are refused (as UZCARD may refuse them) with error_code -1. */
  refuseReversals(refuse: boolean): void;
  /** Fiscal receipt data accepted per payment (payment_id = click_paydoc_id), as sent to ofd_data/submit_items. */
  fiscalReceipts(): Array<{ paymentId: string; body: FiscalSubmission }>;
  close(): Promise<void>;
}

/** The body of POST /v2/merchant/payment/ofd_data/submit_items (https://docs.click.uz/en/fiscalization/). */
export interface FiscalSubmission {
  service_id: number;
  payment_id: number;
  items: Array<Record<string, unknown>>;
  received_ecash: number;
  received_cash: number;
  received_card: number;
}

/**
 * What Click's fiscalization refuses, checked as its document lists the fields: required ones
 * present and well-formed (Name ≤ 63, SPIC 17 digits, PackageCode ≤ 20, integer tiyin amounts,
 * CommissionInfo with a TIN or PINFL), and the items adding up to what was received.
 */
function fiscalProblems(body: FiscalSubmission, chargedTiyin: number): string[] {
  const problems: string[] = [];
  const uint = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(body.items) || !body.items.length) return ['items must list at least one item'];
  body.items.forEach((item, i) => {
    if (typeof item.Name !== 'string' || !item.Name || item.Name.length > 63) problems.push(`items[${i}].Name`);
    if (typeof item.SPIC !== 'string' || !/^\d{17}$/.test(item.SPIC)) problems.push(`items[${i}].SPIC`);
    if (typeof item.PackageCode !== 'string' || !item.PackageCode || item.PackageCode.length > 20) problems.push(`items[${i}].PackageCode`);
    for (const field of ['Price', 'Amount', 'VAT', 'VATPercent']) if (!uint(item[field])) problems.push(`items[${i}].${field}`);
    const info = item.CommissionInfo as { TIN?: unknown; PINFL?: unknown } | undefined;
    if (!info || !((typeof info.TIN === 'string' && /^\d{9}$/.test(info.TIN)) || (typeof info.PINFL === 'string' && /^\d{14}$/.test(info.PINFL)))) {
      problems.push(`items[${i}].CommissionInfo`);
    }
  });
  const items = body.items.reduce((sum, i) => sum + Number(i.Price) - Number(i.Discount ?? 0), 0);
  const received = Number(body.received_card) + Number(body.received_cash) + Number(body.received_ecash);
  if (items !== received || received !== chargedTiyin) problems.push(`items (${items}) and received (${received}) must equal the payment (${chargedTiyin})`);
  return problems;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** "YYYY-MM-DD HH:mm:ss", the sign_time format of click-api-request. */
function signTime(date = new Date()): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startClickSandbox(options: ClickSandboxOptions = {}): Promise<ClickSandbox> {
  const host = options.host ?? '127.0.0.1';
  const serviceId = options.serviceId ?? '77001';
  const merchantId = options.merchantId ?? '46001';
  const merchantUserId = options.merchantUserId ?? '12001';
  const secretKey = options.secretKey ?? 'click-sandbox-secret-key';
  const attempts = options.attempts ?? 3;
  const log = options.log ?? (() => {});
  let prepareUrl = options.prepareUrl;
  let completeUrl = options.completeUrl;
  let refuse = false;
  let nextId = randomInt(1_000_000, 9_000_000);
  const charged = new Map<string, { paymentId: string; orderId: string; amount: string; reversed: boolean }>();
  const fiscal = new Map<string, FiscalSubmission>();

  async function post(url: string, form: Record<string, string>): Promise<{ status: number | null; answer: Record<string, unknown> | null }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      try {
        const answer = JSON.parse(text) as unknown;
        return { status: res.status, answer: answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : null };
      } catch {
        return { status: res.status, answer: null };
      }
    } catch {
      return { status: null, answer: null };
    }
  }

  /** Sends one stage, repeating it with the same fields while the answer is lost. */
  async function call(stage: 'prepare' | 'complete', form: Record<string, string>, lose: boolean, exchanges: ClickExchange[]) {
    const url = stage === 'prepare' ? prepareUrl : completeUrl;
    if (!url) throw new Error('click-sandbox: no merchant URLs (setMerchantUrls)');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { status, answer } = await post(url, form);
      const dropped = lose && attempt === 1;
      exchanges.push({ stage, attempt, form, status, answer: dropped ? null : answer });
      if (!dropped && status === 200 && answer && typeof answer.error === 'number') return answer;
    }
    return null;
  }

  async function pay(input: PayInput): Promise<ClickPaymentRun> {
    const clickTransId = String(nextId++);
    const clickPaydocId = String(nextId++);
    const exchanges: ClickExchange[] = [];
    const base = { click_trans_id: clickTransId, service_id: serviceId, click_paydoc_id: clickPaydocId, merchant_trans_id: input.orderId, amount: input.amount };
    const prepareTime = signTime();
    const prepareForm = {
      ...base,
      action: '0',
      error: '0',
      error_note: 'Success',
      sign_time: prepareTime,
      sign_string: md5(clickTransId + serviceId + secretKey + input.orderId + input.amount + '0' + prepareTime),
    };
    const prepared = await call('prepare', prepareForm, input.loseAnswer === 'prepare', exchanges);
    if (!prepared || prepared.error !== 0) return { clickTransId, clickPaydocId, result: prepared, paid: false, exchanges };
    const prepareId = String(prepared.merchant_prepare_id ?? '');
    const failed = input.outcome === 'fail';
    const completeTime = signTime();
    const completeForm = {
      ...base,
      merchant_prepare_id: prepareId,
      action: '1',
      error: failed ? '-5017' : '0',
      error_note: failed ? 'Insufficient funds' : 'Success',
      sign_time: completeTime,
      sign_string: md5(clickTransId + serviceId + secretKey + input.orderId + prepareId + input.amount + '1' + completeTime),
    };
    const completed = await call('complete', completeForm, input.loseAnswer === 'complete', exchanges);
    // -4 on a repeat means the first Complete went through (Click's docs: the payment was confirmed before).
    const paid = !failed && (completed?.error === 0 || completed?.error === -4);
    if (paid) charged.set(clickPaydocId, { paymentId: clickPaydocId, orderId: input.orderId, amount: input.amount, reversed: false });
    return { clickTransId, clickPaydocId, result: completed, paid, exchanges };
  }

  function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
    res.writeHead(status, { 'content-type': type });
    res.end(type === 'application/json' ? JSON.stringify(body) : String(body));
  }

  /** The merchant API's Auth header check: merchant user, digest over a 10-digit timestamp. */
  function authorised(req: IncomingMessage): boolean {
    const header = req.headers.auth;
    if (typeof header !== 'string') return false;
    const [user, digest, timestamp, ...rest] = header.split(':');
    if (rest.length || user !== merchantUserId || !digest || !timestamp || !/^\d{10}$/.test(timestamp)) return false;
    const expected = Buffer.from(sha1(timestamp + secretKey));
    const given = Buffer.from(digest.toLowerCase());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function page(title: string, body: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}
.pay{background:#1c8ed7;color:#fff;border:1px solid #037bc8;border-radius:4px}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  }

  async function checkoutPage(req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
    const get = (name: string) => query.get(name) ?? '';
    const problems: string[] = [];
    if (get('service_id') !== serviceId) problems.push(`service_id must be ${serviceId}`);
    if (get('merchant_id') !== merchantId) problems.push(`merchant_id must be ${merchantId}`);
    // The payment button takes the amount as N.NN (https://docs.click.uz/click-button).
    if (!/^\d+\.\d{2}$/.test(get('amount'))) problems.push('amount must be written N.NN');
    if (!get('transaction_param')) problems.push('transaction_param (the order) is required');
    if (problems.length) return send(res, 400, page('Click sandbox: bad payment link', `<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`), 'text/html; charset=utf-8');
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const outcome = form.get('outcome') === 'fail' ? 'fail' : 'pay';
      const run = await pay({ orderId: get('transaction_param'), amount: get('amount'), outcome });
      const note = run.result ? `error ${String(run.result.error)}: ${String(run.result.error_note ?? '')}` : 'no answer from the merchant';
      const returnUrl = get('return_url');
      const back = returnUrl ? `<p><a href="${escapeHtml(returnUrl)}">Back to the shop</a></p>` : '';
      return send(
        res,
        200,
        page(run.paid ? 'Paid' : 'Not paid', `<p>Click payment ${escapeHtml(run.clickPaydocId)} for order ${escapeHtml(get('transaction_param'))}: ${escapeHtml(note)}.</p>${back}`),
        'text/html; charset=utf-8',
      );
    }
    const action = `/services/pay?${query.toString()}`;
    return send(
      res,
      200,
      page(
        'Click sandbox',
        `<p>Order <code>${escapeHtml(get('transaction_param'))}</code>: <strong>${escapeHtml(get('amount'))} so'm</strong> to service ${escapeHtml(serviceId)}.</p>
<form method="post" action="${escapeHtml(action)}"><button class="pay" name="outcome" value="pay">Pay</button><button name="outcome" value="fail">Payment fails</button></form>
<p><small>Nothing is charged: this page drives the shop's Prepare and Complete endpoints as Click would.</small></p>`,
      ),
      'text/html; charset=utf-8',
    );
  }

  /** A payment charged by someone playing Click's SHOP-API part (a test), so reversal and status know it. */
  async function recordCharged(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    const paymentId = form.get('payment_id') ?? '';
    const orderId = form.get('merchant_trans_id') ?? '';
    const amount = form.get('amount') ?? '';
    if (!/^\d+$/.test(paymentId) || !orderId || !amount) return send(res, 400, { error_code: -400, error_note: 'payment_id, merchant_trans_id and amount are required' });
    if (!charged.has(paymentId)) charged.set(paymentId, { paymentId, orderId, amount, reversed: false });
    return send(res, 200, { error_code: 0, error_note: 'Success', payment_id: Number(paymentId) });
  }

  async function submitFiscal(req: IncomingMessage, res: ServerResponse) {
    if (!authorised(req)) return send(res, 401, { error_code: -401, error_note: 'Not Authorized' });
    let body: FiscalSubmission;
    try {
      body = JSON.parse(await readBody(req)) as FiscalSubmission;
    } catch {
      return send(res, 400, { error_code: -8, error_note: 'Error in request' });
    }
    const payment = charged.get(String(body.payment_id));
    if (String(body.service_id) !== serviceId || !payment) return send(res, 200, { error_code: -16, error_note: 'Payment not found' });
    const [whole = '0', fraction = ''] = payment.amount.split('.');
    const problems = fiscalProblems(body, Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2)));
    if (problems.length) return send(res, 200, { error_code: -8, error_note: `Error in request: ${problems.join('; ')}` });
    fiscal.set(String(body.payment_id), body);
    log(`click-sandbox: fiscal data of payment ${body.payment_id} accepted (${body.items.length} items)`);
    return send(res, 200, { error_code: 0, error_note: 'Success' });
  }

  async function merchantApi(req: IncomingMessage, res: ServerResponse, path: string) {
    if (path === '/v2/merchant/payment/ofd_data/submit_items' && req.method === 'POST') return submitFiscal(req, res);
    const fiscalOf = /^\/sandbox\/fiscal\/(\d+)$/.exec(path);
    if (fiscalOf && req.method === 'GET') return send(res, 200, fiscal.get(fiscalOf[1]!) ?? null);
    const match = /^\/v2\/merchant\/payment\/(reversal|status)\/(\d+)\/(\d+)$/.exec(path);
    if (!match) return send(res, 404, { error_code: -404, error_note: 'Not Found' });
    const [, op, service, paymentId] = match;
    if ((op === 'reversal' && req.method !== 'DELETE') || (op === 'status' && req.method !== 'GET')) return send(res, 403, { error_code: -403, error_note: 'Forbidden' });
    if (!authorised(req)) return send(res, 401, { error_code: -401, error_note: 'Not Authorized' });
    const payment = charged.get(paymentId!);
    if (service !== serviceId || !payment) return send(res, 200, { error_code: -16, error_note: 'Payment not found', payment_id: Number(paymentId) });
    if (op === 'status') return send(res, 200, { error_code: 0, error_note: 'Success', payment_id: Number(paymentId), payment_status: payment.reversed ? -2 : 2 });
    if (payment.reversed) return send(res, 200, { error_code: -18, error_note: 'Payment already cancelled', payment_id: Number(paymentId) });
    if (refuse) return send(res, 200, { error_code: -1, error_note: 'Reversal refused by the card processing', payment_id: Number(paymentId) });
    payment.reversed = true;
    log(`click-sandbox: payment ${paymentId} reversed`);
    return send(res, 200, { error_code: 0, error_note: 'Success', payment_id: Number(paymentId) });
  }

  const listener: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const work =
      path === '/services/pay'
        ? checkoutPage(req, res, url.searchParams)
        : path === '/sandbox/payments' && req.method === 'POST'
          ? recordCharged(req, res)
          : merchantApi(req, res, path);
    work.catch((error: unknown) => {
      log(`click-sandbox: internal error: ${String(error)}`);
      if (!res.headersSent) send(res, 500, { error_code: -500, error_note: 'Internal Server Error' });
    });
  };
  // The merchant API (/v2/merchant/…) is what the Worker calls across the network; the payment page and
  // the /sandbox/ routes are a person's and the tests'.
  const server: Server = createServer(acrossNetwork('click', listener, (req) => (req.url ?? '').startsWith('/v2/')));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    serviceId,
    merchantId,
    merchantUserId,
    secretKey,
    checkoutBase: `${url}/services/pay`,
    apiBase: `${url}/v2/merchant`,
    setMerchantUrls(urls) {
      prepareUrl = urls.prepareUrl;
      completeUrl = urls.completeUrl;
    },
    pay,
    payments: () => [...charged.values()].map((p) => ({ ...p })),
    refuseReversals(value) {
      refuse = value;
    },
    fiscalReceipts: () => [...fiscal.entries()].map(([paymentId, body]) => ({ paymentId, body })),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
