import { describe, expect, it } from 'vitest';
import { refundFor } from '../../../workers/returns/amount';

const so = { tax: 564, shipping: 500, total: 5765, refundedAmount: 0 };
const lines = [
  { id: 'a', quantity: 3, lineTotal: 3702 },
  { id: 'b', quantity: 1, lineTotal: 999 },
];
const m = (entries: Array<[string, number]>) => new Map(entries);

describe('refundFor: what a return refunds', () => {
  it('a part of a line: its goods and its share of the line tax, no shipping', () => {
    expect(refundFor(so, lines, m([]), m([['a', 1]]))).toEqual({ goods: 1234, tax: 148, shipping: 0, amount: 1382 });
  });

  it('the last units bring the shipping, and the pieces add up to the seller order total exactly', () => {
    expect(refundFor(so, lines, m([['a', 1]]), m([['a', 2], ['b', 1]]))).toEqual({ goods: 3467, tax: 416, shipping: 500, amount: 4383 });
    // Unit by unit, in any order: the same total.
    let prior = m([]);
    let sum = 0;
    for (const id of ['b', 'a', 'a', 'a']) {
      sum += refundFor(so, lines, prior, m([[id, 1]])).amount;
      prior = m([...prior, [id, (prior.get(id) ?? 0) + 1]]);
    }
    expect(sum).toBe(5765);
  });

  it('never more than the seller order still holds, and never more units than bought', () => {
    expect(refundFor({ ...so, refundedAmount: 5000 }, lines, m([]), m([['a', 3], ['b', 1]])).amount).toBe(765);
    expect(() => refundFor(so, lines, m([['a', 3]]), m([['a', 1]]))).toThrow(RangeError);
  });

  it('tax shares over many lines add up exactly (allocate), with odd amounts', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `l${i}`, quantity: i + 1, lineTotal: 333 * (i + 1) + i }));
    const total = many.reduce((a, l) => a + l.lineTotal, 0);
    const order = { tax: 1001, shipping: 7, total: total + 1001 + 7, refundedAmount: 0 };
    const all = refundFor(order, many, m([]), m(many.map((l) => [l.id, l.quantity])));
    expect(all).toEqual({ goods: total, tax: 1001, shipping: 7, amount: order.total });
  });
});
