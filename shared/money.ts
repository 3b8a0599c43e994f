import { z } from '@hono/zod-openapi';

/**
 * Money is an integer amount in the currency's minor units plus an ISO 4217
 * code. Never floats: arithmetic stays exact and rounding happens once, here.
 */
export interface Money {
  amount: number;
  currency: string;
}

export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or UZS')
  .openapi({ description: 'ISO 4217 currency code', example: 'USD' });

export const MinorUnitsSchema = z
  .number()
  .int('must be an integer number of minor units')
  .nonnegative()
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ description: 'Amount in minor units (cents, tiyin)', example: 1999 });

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  return { amount, currency };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isInteger(quantity)) throw new RangeError('quantity must be an integer');
  return money(a.amount * quantity, a.currency);
}

/**
 * A share of an amount given in basis points (1200 = 12%), rounded half-up to
 * the minor unit: used for tax.
 */
export function percentOf(a: Money, basisPoints: number): Money {
  if (!Number.isInteger(basisPoints)) throw new RangeError('basisPoints must be an integer');
  // Integer arithmetic: amount * bps is exact while it stays below 2^53.
  const scaled = a.amount * basisPoints;
  return money(Math.floor((scaled + 5_000) / 10_000), a.currency);
}

/**
 * Splits `amount` over `weights` in proportion, in whole minor units, so the
 * parts add up to `amount` exactly (largest remainder; ties go to the earlier
 * weight). Used to share an order's tax, shipping, refunds and discounts over
 * its seller orders and lines. All-zero weights split evenly.
 */
export function allocate(amount: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  if (!weights.length) return [];
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative safe integers');
  const sum = weights.reduce((a, b) => a + b, 0);
  const basis = sum === 0 ? weights.map(() => 1) : weights;
  const total = sum === 0 ? weights.length : sum;
  const sign = amount < 0 ? -1 : 1;
  const abs = Math.abs(amount);
  // BigInt keeps amount × weight exact beyond 2^53.
  const parts = basis.map((w) => {
    const scaled = BigInt(abs) * BigInt(w);
    return { floor: Number(scaled / BigInt(total)), remainder: Number(scaled % BigInt(total)) };
  });
  let left = abs - parts.reduce((a, p) => a + p.floor, 0);
  const order = parts.map((p, i) => ({ i, r: p.remainder })).sort((a, b) => b.r - a.r || a.i - b.i);
  const result = parts.map((p) => p.floor);
  for (const { i } of order) {
    if (left <= 0) break;
    result[i] = (result[i] as number) + 1;
    left--;
  }
  return result.map((v) => v * sign);
}

/**
 * The VAT contained in a tax-inclusive amount at `basisPoints` (1200 = 12%):
 * amount × rate / (100% + rate), rounded half-up to the minor unit (tiyin).
 * Applied per receipt line and summed, never to a sum of lines
 * (docs/vat-and-receipts.md). Exact: BigInt arithmetic, no floats.
 */
export function vatContained(amount: number, basisPoints: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative safe integer, got ${amount}`);
  if (!Number.isInteger(basisPoints) || basisPoints < 0) throw new RangeError('basisPoints must be a non-negative integer');
  const numerator = BigInt(amount) * BigInt(basisPoints);
  const denominator = BigInt(10_000 + basisPoints);
  // Half-up: floor((2n + d) / 2d).
  return Number((2n * numerator + denominator) / (2n * denominator));
}
