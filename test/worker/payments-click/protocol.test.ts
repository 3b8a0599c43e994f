import { describe, expect, it } from 'vitest';
import {
  CLICK_ERRORS,
  clickAnswer,
  clickCheckoutUrl,
  merchantAuthHeader,
  readClickRequest,
  signSource,
  sumToTiyin,
  tiyinToSum,
  verifyClickSign,
  type ClickRequest,
} from '../../../workers/payments/click/protocol';

// Digests computed independently with Node's crypto (md5 / sha1) over the documented concatenations.
const PREPARE: ClickRequest = {
  click_trans_id: '12345',
  service_id: '77',
  click_paydoc_id: '9001',
  merchant_trans_id: '0193-order',
  amount: '15000.00',
  action: '0',
  error: '0',
  error_note: 'Success',
  sign_time: '2026-12-03 10:00:00',
  sign_string: 'c1773da3388429b64b97ddbe3727a7b6',
};
const COMPLETE: ClickRequest = { ...PREPARE, merchant_prepare_id: '42', action: '1', sign_string: '079b8d906e89b9123132ed6dfd37b5f6' };

describe('Click sign_string', () => {
  it('is md5(click_trans_id + service_id + SECRET_KEY + merchant_trans_id + amount + action + sign_time) on Prepare', async () => {
    expect(signSource(PREPARE, 'secret-key')).toBe('1234577secret-key0193-order15000.0002026-12-03 10:00:00');
    expect(await verifyClickSign(PREPARE, 'secret-key')).toBe(true);
  });

  it('adds merchant_prepare_id before the amount on Complete', async () => {
    expect(signSource(COMPLETE, 'secret-key')).toBe('1234577secret-key0193-order4215000.0012026-12-03 10:00:00');
    expect(await verifyClickSign(COMPLETE, 'secret-key')).toBe(true);
  });

  it.each([
    ['another secret', { ...PREPARE }, 'other-key'],
    ['a changed amount', { ...PREPARE, amount: '15000' }, 'secret-key'],
    ['a changed order', { ...PREPARE, merchant_trans_id: '0193-other' }, 'secret-key'],
    ['a truncated digest', { ...PREPARE, sign_string: PREPARE.sign_string.slice(0, 31) }, 'secret-key'],
    ['an empty digest', { ...PREPARE, sign_string: '' }, 'secret-key'],
    ['the Prepare digest on Complete', { ...COMPLETE, sign_string: PREPARE.sign_string }, 'secret-key'],
  ])('fails with %s', async (_label, request, secret) => {
    expect(await verifyClickSign(request, secret)).toBe(false);
  });

  it('accepts the digest in upper-case hex', async () => {
    expect(await verifyClickSign({ ...PREPARE, sign_string: PREPARE.sign_string.toUpperCase() }, 'secret-key')).toBe(true);
  });
});

describe('Click amounts (sum with decimals) to tiyin', () => {
  it.each([
    ['0.01', 1],
    ['0.5', 50],
    ['1', 100],
    ['1.1', 110],
    ['1.10', 110],
    ['15000', 1_500_000],
    ['15000.0', 1_500_000],
    ['15000.00', 1_500_000],
    ['123456789.99', 12_345_678_999],
    ['0', 0],
  ])('%s sum is %i tiyin', (sum, tiyin) => {
    expect(sumToTiyin(sum)).toBe(tiyin);
  });

  it.each(['1.101', '1e3', '1E3', '-1', '+1', ' 1', '1 ', '1,00', '01', '0x10', '.5', '5.', '', 'NaN', 'Infinity', '1.1.1', '１', '99999999999999999999'])(
    '%j is refused',
    (sum) => {
      expect(sumToTiyin(sum)).toBeUndefined();
    },
  );

  it.each([
    [1, '0.01'],
    [110, '1.10'],
    [1_500_000, '15000.00'],
    [12_345_678_999, '123456789.99'],
  ])('%i tiyin is written %s and reads back the same', (tiyin, sum) => {
    expect(tiyinToSum(tiyin)).toBe(sum);
    expect(sumToTiyin(sum)).toBe(tiyin);
  });
});

describe('reading a posted Click form', () => {
  const form = { ...PREPARE } as Record<string, unknown>;

  it('takes the documented fields (ids stay decimal strings)', () => {
    expect(readClickRequest(form, 'prepare')).toEqual(PREPARE);
    expect(readClickRequest({ ...COMPLETE }, 'complete')).toEqual(COMPLETE);
  });

  it.each(['click_trans_id', 'service_id', 'click_paydoc_id', 'merchant_trans_id', 'amount', 'action', 'error', 'sign_time', 'sign_string'])(
    'refuses a form without %s',
    (field) => {
      const { [field]: _gone, ...rest } = form;
      expect(readClickRequest(rest, 'prepare')).toBeUndefined();
    },
  );

  it('refuses a Complete without merchant_prepare_id, and ids that are not digits', () => {
    expect(readClickRequest(form, 'complete')).toBeUndefined();
    expect(readClickRequest({ ...form, click_trans_id: '12a' }, 'prepare')).toBeUndefined();
    expect(readClickRequest({ ...form, error: 'x' }, 'prepare')).toBeUndefined();
    expect(readClickRequest({ ...form, amount: ['1', '2'] }, 'prepare')).toBeUndefined();
  });

  it('keeps an id too large for a double as the digits Click sent', () => {
    const answer = clickAnswer('success', { click_trans_id: '9223372036854775807', merchant_trans_id: 'o' }, { merchant_prepare_id: 1 });
    expect(answer).toEqual({ click_trans_id: '9223372036854775807', merchant_trans_id: 'o', merchant_prepare_id: 1, error: 0, error_note: 'Success' });
  });
});

describe('the error table', () => {
  it('lists every documented supplier code once, with its note', () => {
    const codes = Object.values(CLICK_ERRORS).map((e) => e.error);
    expect(codes).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect(CLICK_ERRORS.signCheckFailed.note).toBe('SIGN CHECK FAILED!');
    expect(CLICK_ERRORS.transactionCancelled.note).toBe('Transaction cancelled');
  });
});

describe('the buyer checkout URL', () => {
  it('carries service id, merchant id, amount N.NN, the order as transaction_param and the return URL', () => {
    const url = new URL(
      clickCheckoutUrl({
        base: 'https://my.click.uz/services/pay',
        serviceId: '77',
        merchantId: '46',
        amountTiyin: 1_500_050,
        transactionParam: '0193-order',
        returnUrl: 'https://shop.example/orders/0193-order?paid=1',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://my.click.uz/services/pay');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      service_id: '77',
      merchant_id: '46',
      amount: '15000.50',
      transaction_param: '0193-order',
      return_url: 'https://shop.example/orders/0193-order?paid=1',
    });
  });
});

describe('the merchant API Auth header', () => {
  it('is merchant_user_id:sha1(timestamp + secret_key):timestamp with a 10-digit UNIX timestamp', async () => {
    expect(await merchantAuthHeader('123', 'secret-key', 1_519_051_543_999)).toBe('123:1cca16b36a2329bd187cc451f548fa8fac8dad17:1519051543');
  });
});
