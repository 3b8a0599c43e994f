import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymeSandbox, startPaymeSandbox } from '../../scripts/stack/payme-sandbox';
import { runCall } from '../../workers/payments/payme/merchant';
import { checkoutUrl } from '../../workers/payments/payme/protocol';
import { answerPayme } from '../../workers/payments/payme/rpc';
import { MemoryStore } from '../worker/payments-payme/memory-store';

/**
 * The local Payme's checkout pages against a merchant built from our own
 * protocol code over an in-memory store: what a person does by hand in
 * `npm run dev` (the Worker-backed flows are in test/worker/payments-payme).
 */

const ORDER = '0b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f';
const store = new MemoryStore();
let merchant: Server;
let sandbox: PaymeSandbox;
let linkPath: string;

beforeAll(async () => {
  store.orders.set(ORDER, { id: ORDER, paymentId: 'payme_x', amount: 750_000, payable: true, delivered: false });
  sandbox = await startPaymeSandbox();
  merchant = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const options = { accountField: 'order_id', now: Date.now, moved: async () => {} };
      void answerPayme(raw, req.headers.authorization, sandbox.key, (call) => runCall(store, options, call), () => {}).then((answer) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  sandbox.setEndpoint(`http://127.0.0.1:${(merchant.address() as AddressInfo).port}/`);
  const url = checkoutUrl({ base: sandbox.checkoutBase, merchantId: sandbox.merchantId, accountField: 'order_id', orderId: ORDER, amount: 750_000, returnUrl: 'http://shop.test/paid' });
  linkPath = url.slice(sandbox.checkoutBase.length);
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => merchant.close(() => resolve()));
});

describe('the Payme sandbox', () => {
  it('shows the checkout page of a link our API built', async () => {
    const res = await fetch(`${sandbox.url}${linkPath}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(ORDER);
    expect(html).toContain('7,500.00 UZS');
    expect(html).toContain('<button>Pay</button>');
  });

  it('refuses links of another merchant', async () => {
    const other = checkoutUrl({ base: sandbox.url, merchantId: 'someone-else', accountField: 'order_id', orderId: ORDER, amount: 1 });
    expect((await fetch(other)).status).toBe(404);
  });

  it('Pay runs Check → Create → Perform against the merchant; the cabinet refund cancels with reason 5', async () => {
    const res = await fetch(`${sandbox.url}${linkPath}/pay`, { method: 'POST' });
    const html = await res.text();
    expect(html).toContain('<h1>Paid</h1>');
    expect(html).toContain('http://shop.test/paid');
    const [made] = sandbox.transactions();
    expect(made?.replies.map((r) => r.method)).toEqual(['CheckPerformTransaction', 'CreateTransaction', 'PerformTransaction']);
    expect(store.transactions.get(made?.id ?? '')).toMatchObject({ state: 2 });

    const refund = await (await fetch(`${sandbox.url}/transactions/${made?.id}/refund`, { method: 'POST' })).json();
    expect(refund).toMatchObject({ result: { state: -2 } });
    expect(store.transactions.get(made?.id ?? '')).toMatchObject({ state: -2, reason: 5 });
  });

  it("the client's negative checks all get the documented codes", async () => {
    store.orders.set('1b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f', { id: '1b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f', paymentId: 'payme_y', amount: 100, payable: true, delivered: false });
    const checks = await sandbox.client().negativeChecks('1b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f', 100);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.length).toBeGreaterThan(8);
  });
});
