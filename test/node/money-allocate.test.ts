import { describe, expect, it } from 'vitest';
import { allocate } from '../../shared/money';

describe('allocate', () => {
  it('splits in proportion and the parts add up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(1000, [3000, 1000])).toEqual([750, 250]);
    expect(allocate(1, [1, 1])).toEqual([1, 0]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('gives the remainder to the largest fractions', () => {
    // 10 over 1:2:3 → 1.67, 3.33, 5 → floors 1, 3, 5 and the one left over goes to the largest remainder (0.67).
    expect(allocate(10, [1, 2, 3])).toEqual([2, 3, 5]);
  });

  it('splits evenly when every weight is zero, and rejects bad input', () => {
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    expect(allocate(7, [])).toEqual([]);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [-1, 2])).toThrow(RangeError);
  });

  it('keeps every random split exact and proportional within one unit', () => {
    for (let run = 0; run < 500; run++) {
      const weights = Array.from({ length: 1 + (run % 6) }, (_, i) => ((run * 7919 + i * 104729) % 100_000) + (i === 0 ? 1 : 0));
      const amount = (run * 15485863) % 10_000_000;
      const parts = allocate(amount, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach((p, i) => expect(Math.abs(p - (amount * (weights[i] as number)) / sum)).toBeLessThan(1));
    }
  });
});
