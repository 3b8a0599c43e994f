import { describe, expect, it } from 'vitest';
import { ShippingChoiceInvalid } from '../../../shared/errors';
import { sellerGroups, shippingFor } from '../../../workers/shipping/plan';
import type { Candidate, Candidates } from '../../../workers/shipping/quote';
import { priceOf } from '../../../workers/shipping/rates';

const names = { uz: 'Kuryer', ru: 'Курьер', en: 'Courier' };
const config = { SHIPPING_FLAT_RATE: 500, FREE_SHIPPING_THRESHOLD: 10_000, DEFAULT_LOCALE: 'uz' as const };
const SELLER_A = '01930000-0000-7000-8000-00000000000a';
const SELLER_B = '01930000-0000-7000-8000-00000000000b';

function candidate(overrides: Partial<Candidate> & Pick<Candidate, 'methodId'>): Candidate {
  return { sellerId: null, kind: 'courier', names, currency: 'USD', minDays: 1, maxDays: 3, rule: { type: 'flat', amount: 700 }, points: [], ...overrides };
}

function candidatesOf(methods: Candidate[], weights: Record<string, number | null> = {}): Candidates {
  return {
    destination: { country: 'XA', regionCode: null },
    skus: new Map([
      ['A1', { sellerId: SELLER_A, weightGrams: weights.A1 === undefined ? 1000 : weights.A1 }],
      ['A2', { sellerId: SELLER_A, weightGrams: weights.A2 === undefined ? 500 : weights.A2 }],
      ['B1', { sellerId: SELLER_B, weightGrams: weights.B1 === undefined ? 2000 : weights.B1 }],
    ]),
    methods,
  };
}

describe('rate rules', () => {
  const weight = { type: 'weight' as const, bands: [{ upToGrams: 1000, amount: 300 }, { upToGrams: 5000, amount: 900 }] };

  it('flat: the amount, whatever the weight', () => {
    expect(priceOf({ type: 'flat', amount: 700 }, { subtotal: 1, weightGrams: null })).toBe(700);
  });

  it('weight bands: a weight on a band’s bound is in that band; one gram over is in the next', () => {
    expect(priceOf(weight, { subtotal: 100, weightGrams: 0 })).toBe(300);
    expect(priceOf(weight, { subtotal: 100, weightGrams: 1000 })).toBe(300);
    expect(priceOf(weight, { subtotal: 100, weightGrams: 1001 })).toBe(900);
    expect(priceOf(weight, { subtotal: 100, weightGrams: 5000 })).toBe(900);
  });

  it('weight bands: heavier than the last band, or a weight unknown, is not offered', () => {
    expect(priceOf(weight, { subtotal: 100, weightGrams: 5001 })).toBeNull();
    expect(priceOf(weight, { subtotal: 100, weightGrams: null })).toBeNull();
  });

  it('freeAbove: free from that subtotal on (inclusive), charged one unit below', () => {
    expect(priceOf({ type: 'flat', amount: 700, freeAbove: 5000 }, { subtotal: 4999, weightGrams: 0 })).toBe(700);
    expect(priceOf({ type: 'flat', amount: 700, freeAbove: 5000 }, { subtotal: 5000, weightGrams: 0 })).toBe(0);
    expect(priceOf({ ...weight, freeAbove: 5000 }, { subtotal: 5000, weightGrams: 1200 })).toBe(0);
    expect(priceOf({ ...weight, freeAbove: 5000 }, { subtotal: 4999, weightGrams: 1200 })).toBe(900);
  });
});

describe('seller groups and their options', () => {
  const lines = [
    { sku: 'A1', quantity: 2, lineTotal: 4000 },
    { sku: 'A2', quantity: 1, lineTotal: 1000 },
    { sku: 'B1', quantity: 1, lineTotal: 3000 },
  ];

  it('groups lines by seller with subtotal and weight; a seller’s method is offered only to its own group, the platform’s to all', () => {
    const groups = sellerGroups(
      lines,
      candidatesOf([candidate({ methodId: 'platform' }), candidate({ methodId: 'a-own', sellerId: SELLER_A, rule: { type: 'flat', amount: 100 } })]),
      'USD',
    );
    expect(groups.map((g) => [g.sellerId, g.subtotal, g.weightGrams])).toEqual([
      [SELLER_A, 5000, 2500],
      [SELLER_B, 3000, 2000],
    ]);
    expect(groups[0]?.options.map((o) => [o.candidate.methodId, o.price])).toEqual([
      ['a-own', 100],
      ['platform', 700],
    ]);
    expect(groups[1]?.options.map((o) => o.candidate.methodId)).toEqual(['platform']);
  });

  it('a method in another currency, a pickup method without points, a weight method without a weight: not offered', () => {
    const groups = sellerGroups(
      lines,
      candidatesOf(
        [
          candidate({ methodId: 'uzs', currency: 'UZS' }),
          candidate({ methodId: 'pickup', kind: 'pickup' }),
          candidate({ methodId: 'weight', rule: { type: 'weight', bands: [{ upToGrams: 10_000, amount: 50 }] } }),
        ],
        { B1: null },
      ),
      'USD',
    );
    expect(groups[0]?.options.map((o) => o.candidate.methodId)).toEqual(['weight']);
    expect(groups[1]?.options).toEqual([]);
  });
});

describe('shipping from the choices', () => {
  const lines = [
    { sku: 'A1', quantity: 1, lineTotal: 2000 },
    { sku: 'B1', quantity: 1, lineTotal: 6000 },
  ];
  const point = { id: '01930000-0000-7000-8000-0000000000p1', name: 'P', address: 'Street 1', regionCode: 'R1', hours: '9-18' };

  it('nothing configured: the flat rate on the whole subtotal, split by subtotal, as before shipping methods', () => {
    const result = shippingFor(sellerGroups(lines, candidatesOf([]), 'USD'), [], config);
    expect(result.map((r) => [r.amount, r.methodId])).toEqual([
      [125, null],
      [375, null],
    ]);
  });

  it('a chosen method prices its group; the groups without options share the flat rate on their own subtotal', () => {
    const groups = sellerGroups(lines, candidatesOf([candidate({ methodId: 'a-own', sellerId: SELLER_A })]), 'USD');
    const result = shippingFor(groups, [{ sellerId: SELLER_A, methodId: 'a-own' }], config);
    expect(result.map((r) => [r.sellerId, r.amount, r.methodId])).toEqual([
      [SELLER_A, 700, 'a-own'],
      [SELLER_B, 500, null],
    ]);
    expect(result[0]?.choice).toMatchObject({ methodId: 'a-own', kind: 'courier', name: 'Kuryer', names, minDays: 1, maxDays: 3, pickupPoint: null });
  });

  it('refuses, naming each seller: a missing choice, a method not offered, a pickup without a valid point, a choice for a seller not in the cart', () => {
    const pickup = candidate({ methodId: 'pickup', kind: 'pickup', points: [point] });
    const groups = sellerGroups(lines, candidatesOf([candidate({ methodId: 'platform' }), pickup]), 'USD');
    const refused = (choices: Parameters<typeof shippingFor>[1]) => {
      try {
        shippingFor(groups, choices, config);
      } catch (err) {
        expect(err).toBeInstanceOf(ShippingChoiceInvalid);
        return (err as ShippingChoiceInvalid).problems.map((p) => [p.sellerId, p.problem]);
      }
      throw new Error('accepted');
    };
    expect(refused([{ sellerId: SELLER_A, methodId: 'platform' }])).toEqual([[SELLER_B, 'missing']]);
    expect(refused([{ sellerId: SELLER_A, methodId: 'nope' }, { sellerId: SELLER_B, methodId: 'platform' }])).toEqual([[SELLER_A, 'method_unavailable']]);
    expect(refused([{ sellerId: SELLER_A, methodId: 'pickup' }, { sellerId: SELLER_B, methodId: 'platform' }])).toEqual([[SELLER_A, 'pickup_point_required']]);
    expect(refused([{ sellerId: SELLER_A, methodId: 'pickup', pickupPointId: '01930000-0000-7000-8000-0000000000ff' }, { sellerId: SELLER_B, methodId: 'platform' }])).toEqual([
      [SELLER_A, 'pickup_point_invalid'],
    ]);
    expect(refused([{ sellerId: SELLER_A, methodId: 'platform', pickupPointId: point.id }, { sellerId: SELLER_B, methodId: 'platform' }])).toEqual([
      [SELLER_A, 'pickup_point_not_allowed'],
    ]);
    const stranger = '01930000-0000-7000-8000-0000000000cc';
    expect(refused([{ sellerId: SELLER_A, methodId: 'platform' }, { sellerId: SELLER_B, methodId: 'platform' }, { sellerId: stranger, methodId: 'platform' }])).toEqual([
      [stranger, 'seller_not_in_cart'],
    ]);
    const ok = shippingFor(groups, [{ sellerId: SELLER_A, methodId: 'pickup', pickupPointId: point.id }, { sellerId: SELLER_B, methodId: 'platform' }], config);
    expect(ok[0]?.choice?.pickupPoint).toEqual(point);
  });
});
