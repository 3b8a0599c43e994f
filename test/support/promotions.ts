import type { PromotionParams } from '../../shared/db/schema';
import type { EngineLine, EvaluationInput, PromotionCodeRule, PromotionRule } from '../../workers/promotions/public';

/** Builders for the promotion engine's input (engine tests; the checkout side may reuse them). */

export const NOW = new Date('2026-12-04T12:00:00Z');
export const SELLER_A = '01930000-0000-7000-8000-00000000000a';
export const SELLER_B = '01930000-0000-7000-8000-00000000000b';

let sequence = 0;
const nextId = () => `01930000-0000-7000-8000-${String(++sequence).padStart(12, '0')}`;

export function line(overrides: Partial<EngineLine> = {}): EngineLine {
  const id = nextId();
  return {
    lineId: id,
    sku: `SKU-${id.slice(-4)}`,
    productId: id,
    categoryIds: [],
    sellerId: SELLER_A,
    unitPrice: 100_000_00,
    quantity: 1,
    currency: 'UZS',
    ...overrides,
  };
}

export function promotion(params: PromotionParams, overrides: Partial<PromotionRule> = {}): PromotionRule {
  return {
    id: nextId(),
    name: `${params.kind} promotion`,
    kind: params.kind,
    activation: 'automatic',
    status: 'active',
    sellerId: null,
    currency: null,
    params,
    targets: { productIds: [], categoryIds: [], sellerIds: [], customerIds: [] },
    minSubtotal: null,
    minQuantity: null,
    firstOrderOnly: false,
    startsAt: new Date('2026-12-01T00:00:00Z'),
    endsAt: null,
    exclusive: false,
    priority: 0,
    usageLimit: null,
    perCustomerLimit: null,
    ...overrides,
  };
}

export function codeOf(rule: PromotionRule, code: string, usageLimit: number | null = null): PromotionCodeRule {
  return { id: nextId(), code, promotionId: rule.id, usageLimit };
}

export function input(overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    currency: 'UZS',
    lines: [],
    shipping: [],
    customer: { id: '01930000-0000-7000-8000-0000000000cc', isFirstOrder: false },
    now: NOW,
    promotions: [],
    codes: [],
    enteredCodes: [],
    ...overrides,
  };
}
