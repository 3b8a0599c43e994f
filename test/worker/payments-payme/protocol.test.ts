import { beforeEach, describe, expect, it } from 'vitest';
import { PAYME_ERRORS } from '../../../workers/payments/payme/errors';
import { type MerchantOptions, runCall } from '../../../workers/payments/payme/merchant';
import { paymeDetail } from '../../../workers/payments/payme/detail';
import { PAYME_TIMEOUT_MS, authorised, checkoutUrl, parseCheckoutPath } from '../../../workers/payments/payme/protocol';
import { answerPayme, type RpcAnswer } from '../../../workers/payments/payme/rpc';
import { MemoryStore } from './memory-store';

/**
 * The Merchant API's protocol and state machine against an in-memory store:
 * every method, every documented error code, repeats, the 12-hour timeout.
 * (The same flows against PostgreSQL, with the order following, are in flow.test.ts.)
 */

const KEY = 'test-payme-key-&?@%';
const AUTH = `Basic ${btoa(`Paycom:${KEY}`)}`;
const ORDER = '0b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f';
const OTHER_ORDER = '1b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f';
const T0 = 1_764_000_000_000;

let store: MemoryStore;
let clock: number;
let moved: string[];
let options: MerchantOptions;

beforeEach(() => {
  store = new MemoryStore();
  store.orders.set(ORDER, { id: ORDER, paymentId: 'payme_a', amount: 500_000, payable: true, delivered: false });
  store.orders.set(OTHER_ORDER, { id: OTHER_ORDER, paymentId: null, amount: 100, payable: false, delivered: false });
  clock = T0;
  moved = [];
  options = { accountField: 'order_id', now: () => clock, moved: async (paymentId, actor) => void moved.push(`${paymentId} ${actor}`) };
});

let rpcId = 0;
async function call(method: string, params: unknown, auth: string | null = AUTH): Promise<RpcAnswer> {
  const raw = JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params });
  return answerPayme(raw, auth ?? undefined, KEY, (c) => runCall(store, options, c), (err) => {
    throw err;
  });
}
const codeOf = (a: RpcAnswer) => ('error' in a ? a.error.code : 0);
const resultOf = (a: RpcAnswer) => {
  if ('error' in a) throw new Error(`expected a result, got ${JSON.stringify(a.error)}`);
  return a.result as Record<string, unknown>;
};

const account = { order_id: ORDER };
const create = (id: string, extra: Record<string, unknown> = {}) => call('CreateTransaction', { id, time: clock, amount: 500_000, account, ...extra });

describe('credentials and malformed calls', () => {
  it.each([
    ['no header', null],
    ['wrong key', `Basic ${btoa('Paycom:wrong')}`],
    ['wrong login', `Basic ${btoa(`Other:${KEY}`)}`],
    ['not base64', 'Basic %%%'],
    ['bearer', `Bearer ${KEY}`],
  ])('%s is -32504 and changes nothing', async (_, header) => {
    const answer = await call('CreateTransaction', { id: 'tx-auth', time: clock, amount: 500_000, account }, header);
    expect(codeOf(answer)).toBe(-32504);
    expect(store.transactions.size).toBe(0);
  });

  it('no configured key authorises nobody', () => {
    expect(authorised(AUTH, undefined)).toBe(false);
    expect(authorised(AUTH, KEY)).toBe(true);
  });

  it.each([
    ['not JSON', '{', -32700],
    ['no method', JSON.stringify({ id: 1, params: {} }), -32600],
    ['unknown method', JSON.stringify({ id: 1, method: 'ChargeEverything', params: {} }), -32601],
    ['amount a string', JSON.stringify({ id: 1, method: 'CheckPerformTransaction', params: { amount: '500000', account } }), -32600],
    ['amount fractional', JSON.stringify({ id: 1, method: 'CheckPerformTransaction', params: { amount: 1.5, account } }), -32600],
    ['no params', JSON.stringify({ id: 1, method: 'PerformTransaction' }), -32600],
    ['reason missing', JSON.stringify({ id: 1, method: 'CancelTransaction', params: { id: 'x' } }), -32600],
  ])('%s is %i', async (_, raw, code) => {
    const answer = await answerPayme(raw, AUTH, KEY, (c) => runCall(store, options, c), () => {});
    expect(codeOf(answer)).toBe(code);
  });

  it('an unknown method names itself in data, and the answer echoes the request id', async () => {
    const answer = await answerPayme(JSON.stringify({ id: 77, method: 'Nope', params: {} }), AUTH, KEY, (c) => runCall(store, options, c), () => {});
    expect(answer).toMatchObject({ id: 77, error: { code: -32601, data: 'Nope' } });
  });

  it('an unexpected failure is -32400 (system error)', async () => {
    const raw = JSON.stringify({ id: 1, method: 'CheckTransaction', params: { id: 'x' } });
    const seen: unknown[] = [];
    const answer = await answerPayme(raw, AUTH, KEY, async () => Promise.reject(new Error('db down')), (e) => seen.push(e));
    expect(codeOf(answer)).toBe(-32400);
    expect(seen).toHaveLength(1);
  });
});

describe('every documented error code has its three messages', () => {
  it.each(Object.entries(PAYME_ERRORS))('%s', (_, e) => {
    expect(e.message.uz.length).toBeGreaterThan(3);
    expect(e.message.ru.length).toBeGreaterThan(3);
    expect(e.message.en.length).toBeGreaterThan(3);
  });
});

describe('methods', () => {
  it('CheckPerformTransaction allows a payable order for its amount, with the fiscal detail', async () => {
    expect(resultOf(await call('CheckPerformTransaction', { amount: 500_000, account }))).toEqual({ allow: true, detail: { receipt_type: 0, items: [] } });
  });

  it.each([
    ['wrong amount', { amount: 499_999, account }, -31001],
    ['unknown order', { amount: 500_000, account: { order_id: '9b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f' } }, -31050],
    ['not a uuid', { amount: 500_000, account: { order_id: 'AC-532' } }, -31050],
    ['account field missing', { amount: 500_000, account: { phone: '903595731' } }, -31050],
    ['order not payable with Payme', { amount: 100, account: { order_id: OTHER_ORDER } }, -31051],
  ])('CheckPerformTransaction: %s is %i, data naming the account field for order errors', async (_, params, code) => {
    const answer = await call('CheckPerformTransaction', params);
    expect(codeOf(answer)).toBe(code);
    if (code <= -31050) expect(answer).toMatchObject({ error: { data: 'order_id', message: { uz: expect.any(String), ru: expect.any(String), en: expect.any(String) } } });
  });

  it('the documented sequence: create, perform, check; repeats answer the same', async () => {
    const created = resultOf(await create('tx-1'));
    expect(created).toEqual({ create_time: T0, transaction: '1', state: 1 });
    expect(resultOf(await create('tx-1'))).toEqual(created);
    clock += 1000;
    const performed = resultOf(await call('PerformTransaction', { id: 'tx-1' }));
    expect(performed).toEqual({ transaction: '1', perform_time: T0 + 1000, state: 2 });
    clock += 1000;
    expect(resultOf(await call('PerformTransaction', { id: 'tx-1' }))).toEqual(performed);
    // The repeat reports again, so an order that did not follow the first answer follows now.
    expect(moved).toEqual(['payme_a payme:PerformTransaction', 'payme_a payme:PerformTransaction']);
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toEqual({
      create_time: T0,
      perform_time: T0 + 1000,
      cancel_time: 0,
      transaction: '1',
      state: 2,
      reason: null,
    });
    // A performed transaction cannot be created again.
    expect(codeOf(await create('tx-1'))).toBe(-31008);
  });

  it('a second transaction for the order is refused while the first is pending, allowed once it is cancelled', async () => {
    resultOf(await create('tx-1'));
    expect(codeOf(await create('tx-2'))).toBe(-31052);
    expect(codeOf(await call('CheckPerformTransaction', { amount: 500_000, account }))).toBe(-31052);
    resultOf(await call('CancelTransaction', { id: 'tx-1', reason: 3 }));
    expect(resultOf(await create('tx-2'))).toMatchObject({ state: 1 });
  });

  it('CreateTransaction checks the account and amount like CheckPerformTransaction', async () => {
    expect(codeOf(await create('tx-1', { amount: 1 }))).toBe(-31001);
    expect(codeOf(await create('tx-1', { account: { order_id: OTHER_ORDER }, amount: 100 }))).toBe(-31051);
    expect(store.transactions.size).toBe(0);
  });

  it('cancel before perform is -1; cancel after perform is -2 (a refund); repeats answer the same', async () => {
    resultOf(await create('tx-1'));
    clock += 5;
    const cancelled = resultOf(await call('CancelTransaction', { id: 'tx-1', reason: 3 }));
    expect(cancelled).toEqual({ transaction: '1', cancel_time: T0 + 5, state: -1 });
    clock += 5;
    expect(resultOf(await call('CancelTransaction', { id: 'tx-1', reason: 3 }))).toEqual(cancelled);
    expect(codeOf(await call('PerformTransaction', { id: 'tx-1' }))).toBe(-31008);

    resultOf(await create('tx-2'));
    resultOf(await call('PerformTransaction', { id: 'tx-2' }));
    const refunded = resultOf(await call('CancelTransaction', { id: 'tx-2', reason: 5 }));
    expect(refunded).toMatchObject({ state: -2, cancel_time: clock });
    expect(resultOf(await call('CheckTransaction', { id: 'tx-2' }))).toMatchObject({ state: -2, reason: 5 });
    expect(moved).toEqual([
      'payme_a payme:CancelTransaction',
      'payme_a payme:PerformTransaction',
      'payme_a payme:CancelTransaction',
    ]);
  });

  it('a performed transaction of a delivered order cannot be cancelled (-31007)', async () => {
    resultOf(await create('tx-1'));
    resultOf(await call('PerformTransaction', { id: 'tx-1' }));
    store.orders.get(ORDER)!.delivered = true;
    expect(codeOf(await call('CancelTransaction', { id: 'tx-1', reason: 5 }))).toBe(-31007);
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toMatchObject({ state: 2 });
  });

  it('perform on a payment we closed is -31008 and leaves the transaction unperformed', async () => {
    resultOf(await create('tx-1'));
    store.orders.get(ORDER)!.payable = false;
    expect(codeOf(await call('PerformTransaction', { id: 'tx-1' }))).toBe(-31008);
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toMatchObject({ state: 1, perform_time: 0 });
    expect(moved).toEqual([]);
  });

  it.each(['PerformTransaction', 'CheckTransaction'])('%s of an unknown transaction is -31003', async (method) => {
    expect(codeOf(await call(method, { id: 'nope' }))).toBe(-31003);
  });

  it('CancelTransaction of an unknown transaction is -31003', async () => {
    expect(codeOf(await call('CancelTransaction', { id: 'nope', reason: 1 }))).toBe(-31003);
  });
});

describe('the 12-hour timeout (injected clock)', () => {
  it('perform after 43 200 000 ms cancels with reason 4 and answers -31008', async () => {
    resultOf(await create('tx-1'));
    clock = T0 + PAYME_TIMEOUT_MS;
    // Exactly 12 hours is still in time for CheckTransaction, and the transaction is untouched.
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toMatchObject({ state: 1 });
    clock = T0 + PAYME_TIMEOUT_MS + 1;
    expect(codeOf(await call('PerformTransaction', { id: 'tx-1' }))).toBe(-31008);
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toMatchObject({ state: -1, reason: 4, cancel_time: clock });
    expect(moved).toEqual(['payme_a payme:PerformTransaction']);
  });

  it('a repeated CreateTransaction after the timeout cancels it (reason 4) and answers -31008', async () => {
    resultOf(await create('tx-1'));
    clock = T0 + PAYME_TIMEOUT_MS + 1;
    expect(codeOf(await call('CreateTransaction', { id: 'tx-1', time: T0, amount: 500_000, account }))).toBe(-31008);
    expect(resultOf(await call('CheckTransaction', { id: 'tx-1' }))).toMatchObject({ state: -1, reason: 4 });
  });

  it('a CreateTransaction whose Payme time is already past the timeout creates nothing', async () => {
    clock = T0 + PAYME_TIMEOUT_MS + 1;
    expect(codeOf(await call('CreateTransaction', { id: 'tx-1', time: T0, amount: 500_000, account }))).toBe(-31008);
    expect(store.transactions.size).toBe(0);
  });

  it('Payme cancelling on timeout (reason 4) after the fact answers the cancelled state', async () => {
    resultOf(await create('tx-1'));
    clock = T0 + PAYME_TIMEOUT_MS + 10;
    expect(resultOf(await call('CancelTransaction', { id: 'tx-1', reason: 4 }))).toMatchObject({ state: -1 });
  });
});

describe('GetStatement', () => {
  it('lists transactions Payme created in [from, to], oldest first, in the documented shape', async () => {
    resultOf(await create('tx-1'));
    resultOf(await call('CancelTransaction', { id: 'tx-1', reason: 3 }));
    clock += 10;
    resultOf(await create('tx-2'));
    clock += 10;
    const all = resultOf(await call('GetStatement', { from: T0, to: T0 + 10 })).transactions as Record<string, unknown>[];
    expect(all.map((t) => t.id)).toEqual(['tx-1', 'tx-2']);
    expect(all[1]).toEqual({
      id: 'tx-2',
      time: T0 + 10,
      amount: 500_000,
      account: { order_id: ORDER },
      create_time: T0 + 10,
      perform_time: 0,
      cancel_time: 0,
      transaction: '2',
      state: 1,
      reason: null,
      receivers: null,
    });
    expect(resultOf(await call('GetStatement', { from: T0 + 1, to: T0 + 9 }))).toEqual({ transactions: [] });
    expect(resultOf(await call('GetStatement', { from: T0 + 10, to: T0 }))).toEqual({ transactions: [] });
  });
});

describe('checkout URL and fiscal detail', () => {
  it("builds Payme's documented example", () => {
    // https://developer.help.paycom.uz/initsializatsiya-platezhey/otpravka-cheka-po-metodu-get/
    const url = checkoutUrl({ base: 'https://checkout.paycom.uz', merchantId: '587f72c72cac0d162c722ae2', accountField: 'order_id', orderId: '197', amount: 500 });
    expect(url).toBe('https://checkout.paycom.uz/bT01ODdmNzJjNzJjYWMwZDE2MmM3MjJhZTI7YWMub3JkZXJfaWQ9MTk3O2E9NTAw');
  });

  it('adds the return URL (its ";" escaped) and reads back', () => {
    const url = checkoutUrl({ base: 'http://127.0.0.1:9/', merchantId: 'm1', accountField: 'order_id', orderId: ORDER, amount: 123, returnUrl: 'https://shop.example/paid?a=1;b=2' });
    expect(url.startsWith('http://127.0.0.1:9/')).toBe(true);
    expect(parseCheckoutPath(url.slice('http://127.0.0.1:9/'.length))).toEqual({ m: 'm1', 'ac.order_id': ORDER, a: '123', c: 'https://shop.example/paid?a=1%3Bb=2' });
  });

  it('detail: items with MXIK, package code and VAT; shipping as its own entry; discounts', () => {
    const detail = paymeDetail([
      { title: 'Tea', quantity: 2, unitPrice: 505_000, total: 1_000_000, mxik: '00702001001000001', packageCode: '123456', vatPercent: 12 },
      { title: 'Cup', quantity: 1, unitPrice: 30_000, total: 30_000, mxik: '00702001001000002', packageCode: '654321', vatPercent: 0 },
      { kind: 'shipping', title: 'Delivery', quantity: 1, unitPrice: 500_000, total: 500_000, vatPercent: 12 },
    ]);
    expect(detail).toEqual({
      receipt_type: 0,
      shipping: { title: 'Delivery', price: 500_000 },
      items: [
        { title: 'Tea', price: 505_000, count: 2, code: '00702001001000001', package_code: '123456', vat_percent: 12, discount: 10_000 },
        { title: 'Cup', price: 30_000, count: 1, code: '00702001001000002', package_code: '654321', vat_percent: 0 },
      ],
    });
  });

  it("detail: two sellers' deliveries are one shipping entry of their sum", () => {
    const detail = paymeDetail([
      { title: 'Tea', quantity: 1, unitPrice: 505_000, total: 505_000, mxik: '00702001001000001', packageCode: '123456', vatPercent: 12 },
      { kind: 'shipping', title: 'Delivery', quantity: 1, unitPrice: 500_000, total: 500_000, vatPercent: 12 },
      { kind: 'shipping', title: 'Delivery', quantity: 1, unitPrice: 1_200_000, total: 1_200_000, vatPercent: 12 },
    ]);
    expect(detail.shipping).toEqual({ title: 'Delivery', price: 1_700_000 });
  });
});
