import { describe, expect, it } from 'vitest';
import { percentOf, vatContained } from '../../../shared/money';
import { taxOrder } from '../../../workers/orders/vat';
import { refundFor } from '../../../workers/returns/amount';

/** docs/vat-and-receipts.md: VAT = round_half_up(amount × rate / (100% + rate)), per line, in tiyin. */
describe('vatContained: the VAT a tax-inclusive amount holds', () => {
  it.each([
    [0, 0],
    [1, 0], // 0.107…
    [11, 1], // 1.178…
    [14, 2], // exactly 1.5: half goes up
    [28, 3],
    [42, 5], // exactly 4.5: half goes up
    [500, 54], // 53.571…
    [33_333, 3_571],
    [99_999, 10_714], // 10 714.18…
    [1_120_000, 120_000], // exact: 1 000 000 + 12%
    [1_500_000, 160_714],
    [Number.MAX_SAFE_INTEGER, 965_057_063_007_963],
  ])('%i tiyin at 12%% contains %i', (amount, vat) => {
    expect(vatContained(amount, 1200)).toBe(vat);
  });

  it('at 0% (a turnover-tax seller) nothing', () => {
    expect(vatContained(1_120_000, 0)).toBe(0);
  });

  it('other rates: 15% of 115 is 15, 20% of 1 200 is 200', () => {
    expect(vatContained(115, 1500)).toBe(15);
    expect(vatContained(1_200, 2000)).toBe(200);
  });

  it('refuses amounts that are not whole non-negative minor units', () => {
    expect(() => vatContained(1.5, 1200)).toThrow(RangeError);
    expect(() => vatContained(-1, 1200)).toThrow(RangeError);
    expect(() => vatContained(100, 12.5)).toThrow(RangeError);
  });
});

const ON = { TAX_RATE_BPS: 1200, PRICES_INCLUDE_TAX: true };
const OFF = { TAX_RATE_BPS: 1200, PRICES_INCLUDE_TAX: false };
const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';

describe('taxOrder with prices including tax', () => {
  it('extracts per line, then sums: two lines of 14 hold 2 + 2, not the 3 that 28 would', () => {
    const taxed = taxOrder(
      [
        { sellerId: A, lineTotal: 14, vatPayer: true },
        { sellerId: A, lineTotal: 14, vatPayer: true },
      ],
      [],
      ON,
    );
    expect(taxed.lines).toEqual([
      { vatBps: 1200, vat: 2 },
      { vatBps: 1200, vat: 2 },
    ]);
    expect(taxed).toMatchObject({ subtotal: 28, shipping: 0, tax: 4, total: 28 });
  });

  it('an odd quantity is one line: 3 × 33 333 holds 10 714 (per unit it would be 3 × 3 571 = 10 713)', () => {
    const taxed = taxOrder([{ sellerId: A, lineTotal: 3 * 33_333, vatPayer: true }], [], ON);
    expect(taxed.lines[0]?.vat).toBe(10_714);
  });

  it('a non-VAT seller’s lines are 0%; each seller’s shipping carries VAT at the standard rate; seller tax = its own lines and shipping', () => {
    const taxed = taxOrder(
      [
        { sellerId: A, lineTotal: 299_997, vatPayer: true },
        { sellerId: B, lineTotal: 1_120_000, vatPayer: false },
        { sellerId: A, lineTotal: 11, vatPayer: true },
      ],
      [
        { sellerId: A, amount: 500 },
        { sellerId: B, amount: 500 },
      ],
      ON,
    );
    expect(taxed.lines).toEqual([
      { vatBps: 1200, vat: 32_143 },
      { vatBps: 0, vat: 0 },
      { vatBps: 1200, vat: 1 },
    ]);
    expect(taxed.sellers.get(A)).toEqual({ subtotal: 300_008, shipping: 500, tax: 32_143 + 1 + 54, shippingVat: 54, total: 300_508 });
    expect(taxed.sellers.get(B)).toEqual({ subtotal: 1_120_000, shipping: 500, tax: 54, shippingVat: 54, total: 1_120_500 });
    expect(taxed).toMatchObject({ subtotal: 1_420_008, shipping: 1_000, tax: 32_252, total: 1_421_008 });
  });
});

describe('taxOrder with prices excluding tax (unchanged)', () => {
  it('adds the rate of the subtotal on top, shared over sellers and lines so every level adds up', () => {
    const lines = [
      { sellerId: A, lineTotal: 299_997, vatPayer: true },
      { sellerId: B, lineTotal: 1_120_000, vatPayer: false },
      { sellerId: A, lineTotal: 11, vatPayer: true },
    ];
    const taxed = taxOrder(lines, [{ sellerId: A, amount: 500 }], OFF);
    const tax = percentOf({ amount: 1_420_008, currency: 'USD' }, 1200).amount;
    expect(tax).toBe(170_401);
    expect(taxed).toMatchObject({ subtotal: 1_420_008, shipping: 500, tax, total: 1_420_008 + tax + 500 });
    const a = taxed.sellers.get(A);
    const b = taxed.sellers.get(B);
    expect((a?.tax ?? 0) + (b?.tax ?? 0)).toBe(tax);
    expect(a?.shippingVat).toBe(0);
    // Every line at the standard rate (nobody is exempt when tax is added on top); a seller's lines add up to its tax.
    expect(taxed.lines.every((l) => l.vatBps === 1200)).toBe(true);
    expect((taxed.lines[0]?.vat ?? 0) + (taxed.lines[2]?.vat ?? 0)).toBe(a?.tax);
    expect(taxed.lines[1]?.vat).toBe(b?.tax);
  });
});

describe('a return where prices include VAT', () => {
  it('refunds the goods’ part (VAT inside it) and the shipping, never the VAT a second time', () => {
    const lines = [
      { id: 'a', quantity: 3, lineTotal: 299_997 },
      { id: 'b', quantity: 1, lineTotal: 11 },
    ];
    const so = { tax: 32_155, shipping: 106, total: 300_114, refundedAmount: 0 };
    const all = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    expect(refundFor({ ...so, pricesIncludeTax: true }, lines, new Map(), all)).toMatchObject({ goods: 300_008, shipping: 106, amount: 300_114 });
    expect(refundFor({ ...so, pricesIncludeTax: true }, lines, new Map(), new Map([['a', 1]]))).toMatchObject({ goods: 99_999, amount: 99_999 });
    // Tax on top (the default): the same figures would add the tax (capped at what the seller order holds).
    expect(refundFor(so, lines, new Map(), new Map([['a', 1]])).amount).toBeGreaterThan(99_999);
  });
});
