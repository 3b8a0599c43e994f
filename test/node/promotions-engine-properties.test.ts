import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PromotionParams } from '../../shared/db/schema';
import { discountFunding, evaluatePromotions, type EvaluationInput, type PromotionRule } from '../../workers/promotions/public';
import { input, NOW, SELLER_A, SELLER_B } from '../support/promotions';

/** Random carts under random stacks of promotions: the money invariants hold for every one. */

const sellers = [SELLER_A, SELLER_B];
const products = ['p1', 'p2', 'p3', 'p4'];
const id = (n: number) => `01930000-0000-7000-8000-${String(n).padStart(12, '0')}`;

const paramsArb: fc.Arbitrary<PromotionParams> = fc.oneof(
  fc.record({ kind: fc.constant('percentage' as const), percent: fc.integer({ min: 1, max: 100 }), maxDiscount: fc.option(fc.integer({ min: 1, max: 10_000_000 })) }),
  fc.record({ kind: fc.constant('fixed_amount' as const), amount: fc.integer({ min: 1, max: 50_000_000 }) }),
  fc.constant({ kind: 'free_shipping' as const }),
  fc.record({
    kind: fc.constant('buy_x_get_y' as const),
    buyQuantity: fc.integer({ min: 1, max: 3 }),
    getQuantity: fc.integer({ min: 1, max: 2 }),
    rewardProductIds: fc.subarray(products, { maxLength: 2 }),
    rewardPercent: fc.integer({ min: 1, max: 100 }),
    maxApplications: fc.option(fc.integer({ min: 1, max: 5 })),
  }),
  fc.record({
    kind: fc.constant('tiered' as const),
    tiers: fc.array(fc.record({ minSubtotal: fc.integer({ min: 0, max: 20_000_000 }), amount: fc.integer({ min: 1, max: 5_000_000 }) }), { minLength: 1, maxLength: 3 }),
  }),
);

const ruleArb = (n: number): fc.Arbitrary<PromotionRule> =>
  fc
    .record({
      params: paramsArb,
      code: fc.boolean(),
      exclusive: fc.boolean(),
      priority: fc.integer({ min: 0, max: 3 }),
      seller: fc.option(fc.constantFrom(...sellers)),
      productIds: fc.subarray(products, { maxLength: 2 }),
      minSubtotal: fc.option(fc.integer({ min: 0, max: 5_000_000 })),
    })
    .map((r) => ({
      id: id(1000 + n),
      name: `rule ${n}`,
      kind: r.params.kind,
      activation: r.code ? 'code' : 'automatic',
      status: 'active',
      sellerId: r.seller,
      currency: null,
      params: r.params,
      targets: { productIds: r.productIds, categoryIds: [], sellerIds: [], customerIds: [] },
      minSubtotal: r.minSubtotal,
      minQuantity: null,
      firstOrderOnly: false,
      startsAt: new Date(NOW.getTime() - 1000),
      endsAt: null,
      exclusive: r.exclusive,
      priority: r.priority,
      usageLimit: null,
      perCustomerLimit: null,
    }));

const caseArb: fc.Arbitrary<EvaluationInput> = fc
  .record({
    lines: fc.array(
      fc.record({ product: fc.constantFrom(...products), seller: fc.constantFrom(...sellers), unitPrice: fc.integer({ min: 0, max: 5_000_000 }), quantity: fc.integer({ min: 1, max: 6 }) }),
      { minLength: 1, maxLength: 6 },
    ),
    rules: fc.array(fc.nat(), { maxLength: 5 }).chain((slots) => fc.tuple(...slots.map((_, i) => ruleArb(i)))),
    shippingA: fc.integer({ min: 0, max: 3_000_000 }),
    shippingB: fc.integer({ min: 0, max: 3_000_000 }),
    enter: fc.array(fc.nat({ max: 5 }), { maxLength: 3 }),
  })
  .map(({ lines, rules, shippingA, shippingB, enter }) =>
    input({
      lines: lines.map((l, i) => ({ lineId: id(i + 1), sku: `SKU-${i}`, productId: l.product, categoryIds: [], sellerId: l.seller, unitPrice: l.unitPrice, quantity: l.quantity, currency: 'UZS' })),
      shipping: [
        { sellerId: SELLER_A, amount: shippingA },
        { sellerId: SELLER_B, amount: shippingB },
      ],
      promotions: rules,
      codes: rules.filter((r) => r.activation === 'code').map((r, i) => ({ id: id(2000 + i), code: `CODE${i}`, promotionId: r.id, usageLimit: null })),
      enteredCodes: enter.map((n) => `code${n}`),
    }),
  );

describe('promotion engine invariants', () => {
  it('allocations add up exactly, never exceed a line or a shipping amount, and repeat exactly', () => {
    fc.assert(
      fc.property(caseArb, (cart) => {
        const result = evaluatePromotions(cart);
        for (const applied of result.applied) {
          expect(applied.lines.reduce((s, l) => s + l.amount, 0)).toBe(applied.linesAmount);
          expect(applied.shipping.reduce((s, l) => s + l.amount, 0)).toBe(applied.shippingAmount);
          expect(applied.amount).toBe(applied.linesAmount + applied.shippingAmount);
          for (const share of [...applied.lines, ...applied.shipping]) expect(share.amount).toBeGreaterThan(0);
          if (applied.funding === 'seller') {
            const own = new Set(cart.lines.filter((l) => l.sellerId === applied.sellerId).map((l) => l.lineId));
            for (const share of applied.lines) expect(own.has(share.lineId)).toBe(true);
          }
        }
        for (const l of result.lines) {
          const shares = result.applied.flatMap((a) => a.lines).filter((s) => s.lineId === l.lineId);
          expect(shares.reduce((s, x) => s + x.amount, 0)).toBe(l.discount);
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.subtotal);
          expect(l.total).toBe(l.subtotal - l.discount);
        }
        for (const s of result.shipping) expect(s.discount).toBeLessThanOrEqual(s.amount);
        const funding = discountFunding(result);
        for (const l of result.lines) {
          const split = funding.lines.get(l.lineId) ?? { platform: 0, seller: 0 };
          expect(split.platform + split.seller).toBe(l.discount);
        }
        expect(result.linesDiscount).toBe(result.applied.reduce((s, a) => s + a.linesAmount, 0));
        expect(result.discountTotal).toBe(result.applied.reduce((s, a) => s + a.amount, 0));
        expect(result.applied.filter((a) => a.code !== null).length).toBeLessThanOrEqual(1);
        expect(evaluatePromotions(structuredClone(cart))).toEqual(result);
        const shuffled = { ...cart, promotions: [...cart.promotions].reverse(), codes: [...cart.codes].reverse() };
        expect(evaluatePromotions(shuffled)).toEqual(result);
      }),
      { numRuns: 400 },
    );
  });
});
