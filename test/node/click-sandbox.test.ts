import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickSandbox, type ClickSandbox } from '../../scripts/stack/click-sandbox';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * A merchant that checks the sandbox's signatures the documented way and keeps
 * its own transactions: enough to see what the sandbox sends.
 */
function fakeMerchant(secret: string) {
  const seen: Array<Record<string, string>> = [];
  const state = new Map<string, 'prepared' | 'paid' | 'cancelled'>();
  let dropNext = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const f = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
      seen.push(f);
      const complete = req.url === '/complete';
      const expected = md5(
        f.click_trans_id! + f.service_id! + secret + f.merchant_trans_id! + (complete ? f.merchant_prepare_id! : '') + f.amount! + f.action! + f.sign_time!,
      );
      let answer: Record<string, unknown>;
      if (expected !== f.sign_string) answer = { error: -1, error_note: 'SIGN CHECK FAILED!' };
      else if (!complete) {
        state.set(f.click_trans_id!, 'prepared');
        answer = { click_trans_id: Number(f.click_trans_id), merchant_trans_id: f.merchant_trans_id, merchant_prepare_id: 7, error: 0, error_note: 'Success' };
      } else if (Number(f.error) < 0) {
        state.set(f.click_trans_id!, 'cancelled');
        answer = { error: -9, error_note: 'Transaction cancelled' };
      } else if (state.get(f.click_trans_id!) === 'paid') answer = { error: -4, error_note: 'Already paid' };
      else {
        state.set(f.click_trans_id!, 'paid');
        answer = { click_trans_id: Number(f.click_trans_id), merchant_trans_id: f.merchant_trans_id, merchant_confirm_id: 7, error: 0, error_note: 'Success' };
      }
      if (dropNext > 0) {
        dropNext--;
        res.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  return {
    seen,
    state,
    dropAnswers(n: number) {
      dropNext = n;
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Click sandbox', () => {
  let sandbox: ClickSandbox;
  const merchant = fakeMerchant('node-test-secret');

  beforeAll(async () => {
    const base = await merchant.listen();
    sandbox = await startClickSandbox({ secretKey: 'node-test-secret', prepareUrl: `${base}/prepare`, completeUrl: `${base}/complete` });
  });
  afterAll(async () => {
    await sandbox.close();
    await merchant.close();
  });

  const auth = (user: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) => `${user}:${sha1(`${timestamp}${secret}`)}:${timestamp}`;
  const reverse = (paymentId: string, header?: string) =>
    fetch(`${sandbox.apiBase}/payment/reversal/${sandbox.serviceId}/${paymentId}`, {
      method: 'DELETE',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...(header === undefined ? {} : { auth: header }) },
    });

  it('pays through Prepare then Complete, both signed as documented', async () => {
    const run = await sandbox.pay({ orderId: 'order-1', amount: '15000.00' });
    expect(run.paid).toBe(true);
    expect(run.exchanges.map((e) => [e.stage, e.form.action, e.form.error])).toEqual([
      ['prepare', '0', '0'],
      ['complete', '1', '0'],
    ]);
    expect(run.exchanges[1]!.form.merchant_prepare_id).toBe('7');
    expect(run.exchanges[0]!.form.sign_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('repeats a call whose answer was lost, with the same fields', async () => {
    merchant.dropAnswers(1);
    const run = await sandbox.pay({ orderId: 'order-2', amount: '1.10' });
    expect(run.paid).toBe(true);
    const prepares = run.exchanges.filter((e) => e.stage === 'prepare');
    expect(prepares).toHaveLength(2);
    expect(prepares[0]!.answer).toBeNull();
    expect(prepares[1]!.form).toEqual(prepares[0]!.form);
  });

  it('sends Complete with a negative error when charging fails', async () => {
    const run = await sandbox.pay({ orderId: 'order-3', amount: '100', outcome: 'fail' });
    expect(run.paid).toBe(false);
    expect(run.exchanges.at(-1)!.form.error).toBe('-5017');
    expect(run.result?.error).toBe(-9);
    expect(merchant.state.get(run.clickTransId)).toBe('cancelled');
  });

  describe('merchant API fiscalization (ofd_data/submit_items)', () => {
    const submit = (body: unknown, header?: string) =>
      fetch(`${sandbox.apiBase}/payment/ofd_data/submit_items`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', ...(header === undefined ? {} : { auth: header }) },
        body: JSON.stringify(body),
      });
    const item = (over: Record<string, unknown> = {}) => ({
      Name: 'Choy 100 g',
      SPIC: '06401001001000000',
      PackageCode: '1501002',
      Price: 250_000,
      Amount: 2,
      VAT: 26_786,
      VATPercent: 12,
      CommissionInfo: { TIN: '300000001' },
      ...over,
    });
    const bodyFor = (paymentId: string, items: unknown[], received = 250_000) => ({
      service_id: Number(sandbox.serviceId),
      payment_id: Number(paymentId),
      items,
      received_ecash: 0,
      received_cash: 0,
      received_card: received,
    });

    it('accepts well-formed items that add up to the payment, with the right Auth header', async () => {
      const run = await sandbox.pay({ orderId: 'order-fiscal', amount: '2500.00' });
      const header = auth(sandbox.merchantUserId, 'node-test-secret');
      expect((await submit(bodyFor(run.clickPaydocId, [item()]))).status).toBe(401);
      const res = await submit(bodyFor(run.clickPaydocId, [item()]), header);
      expect(await res.json()).toEqual({ error_code: 0, error_note: 'Success' });
      expect(sandbox.fiscalReceipts().find((r) => r.paymentId === run.clickPaydocId)?.body.items).toHaveLength(1);
    });

    it.each([
      ['a 16-digit SPIC', [item({ SPIC: '0640100100100000' })], 250_000],
      ['no CommissionInfo TIN or PINFL', [item({ CommissionInfo: {} })], 250_000],
      ['a Name over 63 characters', [item({ Name: 'x'.repeat(64) })], 250_000],
      ['a fractional VAT', [item({ VAT: 26_785.7 })], 250_000],
      ['items that do not add up to the payment', [item({ Price: 240_000 })], 240_000],
      ['no items', [], 250_000],
    ])('refuses %s with error -8 and records nothing', async (_label, items, received) => {
      const run = await sandbox.pay({ orderId: `order-fiscal-${Math.random()}`, amount: '2500.00' });
      const res = await submit(bodyFor(run.clickPaydocId, items, received), auth(sandbox.merchantUserId, 'node-test-secret'));
      expect(((await res.json()) as { error_code: number }).error_code).toBe(-8);
      expect(sandbox.fiscalReceipts().find((r) => r.paymentId === run.clickPaydocId)).toBeUndefined();
    });
  });

  describe('merchant API reversal', () => {
    it.each([
      ['no Auth header', undefined],
      ['a digest made with another secret', () => auth('12001', 'wrong-secret')],
      ['another merchant user', () => auth('99999', 'node-test-secret')],
      ['a timestamp that is not 10 digits', () => `12001:${sha1('123node-test-secret')}:123`],
      ['a header with extra parts', () => `${auth('12001', 'node-test-secret')}:x`],
    ])('refuses %s with HTTP 401 and reverses nothing', async (_label, header) => {
      const run = await sandbox.pay({ orderId: `order-auth-${Math.random()}`, amount: '500.00' });
      const res = await reverse(run.clickPaydocId, typeof header === 'function' ? header() : header);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error_code: number }).error_code).toBeLessThan(0);
      expect(sandbox.payments().find((p) => p.paymentId === run.clickPaydocId)?.reversed).toBe(false);
    });

    it('reverses a charged payment once with the right header', async () => {
      const run = await sandbox.pay({ orderId: 'order-rev', amount: '2500.00' });
      const header = auth(sandbox.merchantUserId, 'node-test-secret');
      const first = await reverse(run.clickPaydocId, header);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ error_code: 0, error_note: 'Success', payment_id: Number(run.clickPaydocId) });
      const again = (await (await reverse(run.clickPaydocId, header)).json()) as { error_code: number };
      expect(again.error_code).toBeLessThan(0);
      const unknown = (await (await reverse('1', header)).json()) as { error_code: number };
      expect(unknown.error_code).toBeLessThan(0);
    });

    it('can refuse a reversal as the card processing may', async () => {
      const run = await sandbox.pay({ orderId: 'order-refused', amount: '10.00' });
      sandbox.refuseReversals(true);
      try {
        const res = await reverse(run.clickPaydocId, auth(sandbox.merchantUserId, 'node-test-secret'));
        expect(res.status).toBe(200);
        expect(((await res.json()) as { error_code: number }).error_code).toBe(-1);
      } finally {
        sandbox.refuseReversals(false);
      }
      expect(sandbox.payments().find((p) => p.paymentId === run.clickPaydocId)?.reversed).toBe(false);
    });
  });

  it('serves a payment page for a well-formed link and refuses a bad one', async () => {
    const good = new URL(sandbox.checkoutBase);
    for (const [k, v] of Object.entries({ service_id: sandbox.serviceId, merchant_id: sandbox.merchantId, amount: '15000.00', transaction_param: 'order-9' })) good.searchParams.set(k, v);
    const page = await fetch(good);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="pay"');
    good.searchParams.set('amount', '15000');
    expect((await fetch(good)).status).toBe(400);
  });
});
