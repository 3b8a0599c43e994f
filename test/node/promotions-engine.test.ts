import { describe, expect, it } from 'vitest';
import { evaluatePromotions } from '../../workers/promotions/public';
import { codeOf, input, line, promotion, SELLER_A, SELLER_B } from '../support/promotions';

const percent = (p: number, maxDiscount: number | null = null) => ({ kind: 'percentage' as const, percent: p, maxDiscount });

describe('promotion kinds', () => {
  it('takes a percentage off, allocated by line amount, rounded half-up once', () => {
    const a = line({ unitPrice: 333, quantity: 1 });
    const b = line({ unitPrice: 667, quantity: 2 });
    const result = evaluatePromotions(input({ lines: [a, b], promotions: [promotion(percent(15))] }));
    // 15% of 1667 = 250.05 → 250, shared 333:1334 by largest remainder.
    expect(result.linesDiscount).toBe(250);
    expect(result.lines.map((l) => l.discount)).toEqual([50, 200]);
    expect(result.applied[0]?.lines).toEqual([
      { lineId: a.lineId, amount: 50 },
      { lineId: b.lineId, amount: 200 },
    ]);
  });

  it('caps a percentage at maxDiscount', () => {
    const result = evaluatePromotions(input({ lines: [line({ unitPrice: 10_000 })], promotions: [promotion(percent(50, 1_000))] }));
    expect(result.discountTotal).toBe(1_000);
  });

  it('takes a fixed amount off, never more than the lines', () => {
    const small = line({ unitPrice: 300 });
    const result = evaluatePromotions(input({ lines: [small], promotions: [promotion({ kind: 'fixed_amount', amount: 5_000 }, { currency: 'UZS' })] }));
    expect(result.lines[0]).toMatchObject({ subtotal: 300, discount: 300, total: 0 });
  });

  it('picks the highest tier reached', () => {
    const tiers = [
      { minSubtotal: 500_000_00, amount: 50_000_00 },
      { minSubtotal: 1_000_000_00, amount: 120_000_00 },
    ];
    const rule = promotion({ kind: 'tiered', tiers }, { currency: 'UZS' });
    const at = (price: number) => evaluatePromotions(input({ lines: [line({ unitPrice: price })], promotions: [rule] })).discountTotal;
    expect(at(499_999_00)).toBe(0);
    expect(at(500_000_00)).toBe(50_000_00);
    expect(at(2_000_000_00)).toBe(120_000_00);
  });

  it('buy 2 get 1: the cheapest units are free, once per 3 units', () => {
    const cheap = line({ unitPrice: 100, quantity: 2 });
    const dear = line({ unitPrice: 900, quantity: 5 });
    const rule = promotion({ kind: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, rewardProductIds: [], rewardPercent: 100 });
    const result = evaluatePromotions(input({ lines: [cheap, dear], promotions: [rule] }));
    // 7 units → 2 rewards: both cheap units.
    expect(result.lines.map((l) => l.discount)).toEqual([200, 0]);
  });

  it('buy X get Y of another product, at a share off, at most maxApplications times', () => {
    const shoes = line({ unitPrice: 500_00, quantity: 4 });
    const socks = line({ unitPrice: 30_00, quantity: 5 });
    const rule = promotion({ kind: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, rewardProductIds: [socks.productId], rewardPercent: 50, maxApplications: 3 });
    const result = evaluatePromotions(input({ lines: [shoes, socks], promotions: [rule] }));
    expect(result.lines.map((l) => l.discount)).toEqual([0, 45_00]);
    const noSocks = evaluatePromotions(input({ lines: [shoes], promotions: [rule], enteredCodes: [] }));
    expect(noSocks.discountTotal).toBe(0);
  });

  it('free shipping discounts the shipping of the groups it reaches', () => {
    const a = line({ sellerId: SELLER_A });
    const b = line({ sellerId: SELLER_B });
    const rule = promotion({ kind: 'free_shipping' }, { sellerId: SELLER_B });
    const result = evaluatePromotions(
      input({
        lines: [a, b],
        shipping: [
          { sellerId: SELLER_A, amount: 20_000_00 },
          { sellerId: SELLER_B, amount: 15_000_00 },
        ],
        promotions: [rule],
      }),
    );
    expect(result.shipping).toEqual([
      { sellerId: SELLER_A, amount: 20_000_00, discount: 0 },
      { sellerId: SELLER_B, amount: 15_000_00, discount: 15_000_00 },
    ]);
    expect(result.applied[0]).toMatchObject({ funding: 'seller', sellerId: SELLER_B, linesAmount: 0, shippingAmount: 15_000_00 });
    expect(result.linesDiscount).toBe(0);
  });
});

describe('targeting', () => {
  it('reaches products, categories with descendants, sellers; a seller promotion only its own lines', () => {
    const phone = line({ categoryIds: ['cat-phones', 'cat-electronics'], sellerId: SELLER_A });
    const shirt = line({ categoryIds: ['cat-clothes'], sellerId: SELLER_B });
    const byCategory = promotion(percent(10), { targets: { productIds: [], categoryIds: ['cat-electronics'], sellerIds: [], customerIds: [] } });
    const bySeller = promotion(percent(10), { sellerId: SELLER_B });
    const result = evaluatePromotions(input({ lines: [phone, shirt], promotions: [byCategory, bySeller] }));
    expect(result.applied.find((a) => a.promotionId === byCategory.id)?.lines.map((l) => l.lineId)).toEqual([phone.lineId]);
    expect(result.applied.find((a) => a.promotionId === bySeller.id)?.lines.map((l) => l.lineId)).toEqual([shirt.lineId]);
  });

  it('ignores lines in another currency and promotions in another currency', () => {
    const usd = line({ currency: 'USD' });
    const uzs = line();
    const result = evaluatePromotions(input({ lines: [usd, uzs], promotions: [promotion({ kind: 'fixed_amount', amount: 100 }, { currency: 'USD' })] }));
    expect(result.lines.map((l) => l.lineId)).toEqual([uzs.lineId]);
    expect(result.discountTotal).toBe(0);
  });
});

describe('codes and reasons', () => {
  const cart = [line({ unitPrice: 200_000_00 })];
  const reasonOf = (rule: ReturnType<typeof promotion>, extra: Parameters<typeof input>[0] = {}) => {
    const code = codeOf(rule, 'SAVE10');
    return evaluatePromotions(input({ lines: cart, promotions: [rule], codes: [code], enteredCodes: [' save10 '], ...extra })).rejectedCodes[0]?.reason ?? null;
  };
  const coded = (overrides: Parameters<typeof promotion>[1] = {}) => promotion(percent(10), { activation: 'code', ...overrides });

  it('gives a stable reason for each way a code fails', () => {
    expect(reasonOf(coded())).toBeNull();
    expect(reasonOf(coded({ startsAt: new Date('2026-12-05T00:00:00Z') }))).toBe('not_started');
    expect(reasonOf(coded({ endsAt: new Date('2026-12-04T12:00:00Z') }))).toBe('expired');
    expect(reasonOf(coded({ status: 'paused' }))).toBe('inactive');
    expect(reasonOf(coded({ status: 'archived' }))).toBe('unknown_code');
    expect(reasonOf(coded({ minSubtotal: 500_000_00 }))).toBe('minimum_not_met');
    expect(reasonOf(coded({ minQuantity: 2 }))).toBe('minimum_not_met');
    expect(reasonOf(coded({ firstOrderOnly: true }))).toBe('not_eligible');
    expect(reasonOf(coded({ firstOrderOnly: true }), { customer: null })).toBe('sign_in_required');
    expect(reasonOf(coded({ targets: { productIds: [], categoryIds: [], sellerIds: [], customerIds: ['someone-else'] } }))).toBe('not_eligible');
    const limited = coded({ usageLimit: 10, perCustomerLimit: 1 });
    expect(reasonOf(limited, { usage: { promotions: { [limited.id]: { total: 10 } } } })).toBe('limit_reached');
    expect(reasonOf(limited, { usage: { promotions: { [limited.id]: { total: 3, byCustomer: 1 } } } })).toBe('limit_reached');
    expect(reasonOf(limited, { usage: { promotions: { [limited.id]: { total: 9, byCustomer: 0 } } } })).toBeNull();
    expect(evaluatePromotions(input({ lines: cart, enteredCodes: ['NOPE'] })).rejectedCodes).toEqual([{ code: 'NOPE', reason: 'unknown_code', promotionId: null }]);
  });

  it('honours a per-code usage limit', () => {
    const rule = coded();
    const code = codeOf(rule, 'ONCE', 1);
    const result = evaluatePromotions(input({ lines: cart, promotions: [rule], codes: [code], enteredCodes: ['once'], usage: { codes: { ONCE: 1 } } }));
    expect(result.rejectedCodes).toEqual([{ code: 'ONCE', reason: 'limit_reached', promotionId: rule.id }]);
  });

  it('applies one code; a second is not_combinable', () => {
    const first = coded();
    const second = coded();
    const result = evaluatePromotions(
      input({ lines: cart, promotions: [first, second], codes: [codeOf(first, 'FIRST'), codeOf(second, 'SECOND')], enteredCodes: ['first', 'second'] }),
    );
    expect(result.applied.map((a) => a.code)).toEqual(['FIRST']);
    expect(result.rejectedCodes).toEqual([{ code: 'SECOND', reason: 'not_combinable', promotionId: second.id }]);
  });
});

describe('stacking', () => {
  const cart = [line({ unitPrice: 100_000 })];

  it('stacks the code with the automatic promotions in the documented order', () => {
    const fixed = promotion({ kind: 'fixed_amount', amount: 10_000 }, { activation: 'code' });
    const pct = promotion(percent(10));
    const result = evaluatePromotions(input({ lines: cart, promotions: [fixed, pct], codes: [codeOf(fixed, 'TENK')], enteredCodes: ['TENK'] }));
    // percentage first (10 000 off 100 000), then the fixed 10 000 off what is left.
    expect(result.applied.map((a) => [a.kind, a.amount])).toEqual([
      ['percentage', 10_000],
      ['fixed_amount', 10_000],
    ]);
    expect(result.discountTotal).toBe(20_000);
  });

  it('an exclusive code applies alone', () => {
    const code = promotion(percent(5), { activation: 'code', exclusive: true });
    const auto = promotion(percent(10));
    const result = evaluatePromotions(input({ lines: cart, promotions: [code, auto], codes: [codeOf(code, 'ALONE')], enteredCodes: ['ALONE'] }));
    expect(result.applied.map((a) => a.promotionId)).toEqual([code.id]);
  });

  it('an exclusive automatic promotion wins only when it takes more off; the code is then not_combinable', () => {
    const code = promotion(percent(10), { activation: 'code' });
    const big = promotion(percent(30), { exclusive: true });
    const result = evaluatePromotions(input({ lines: cart, promotions: [code, big], codes: [codeOf(code, 'TEN')], enteredCodes: ['TEN'] }));
    expect(result.applied.map((a) => a.promotionId)).toEqual([big.id]);
    expect(result.rejectedCodes).toEqual([{ code: 'TEN', reason: 'not_combinable', promotionId: code.id }]);
    const small = promotion(percent(5), { exclusive: true });
    const other = evaluatePromotions(input({ lines: cart, promotions: [code, small], codes: [codeOf(code, 'TEN')], enteredCodes: ['TEN'] }));
    expect(other.applied.map((a) => a.promotionId)).toEqual([code.id]);
  });

  it('higher priority applies earlier within a stage', () => {
    const low = promotion({ kind: 'fixed_amount', amount: 60_000 }, { priority: 0 });
    const high = promotion({ kind: 'fixed_amount', amount: 70_000 }, { priority: 5 });
    const result = evaluatePromotions(input({ lines: cart, promotions: [low, high] }));
    expect(result.applied.map((a) => [a.promotionId, a.amount])).toEqual([
      [high.id, 70_000],
      [low.id, 30_000],
    ]);
  });
});
