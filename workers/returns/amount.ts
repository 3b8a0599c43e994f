import { allocate } from '../../shared/money';

/** A line of the seller order as bought. */
export interface BoughtLine {
  id: string;
  quantity: number;
  lineTotal: number;
}

export interface RefundBreakdown {
  goods: number;
  tax: number;
  shipping: number;
  amount: number;
}

/** The part of `total` that `units` of `quantity` carry, cumulative so that every unit's part adds up to `total` exactly. */
const shareOf = (total: number, units: number, quantity: number) => Number((BigInt(total) * BigInt(units)) / BigInt(quantity));

/**
 * What one return refunds (docs/returns.md): for each line, the units' part
 * of the line total and of the line's tax (the seller order's tax shared over
 * its lines by `allocate`, so the lines' taxes add up to it exactly), plus
 * the seller order's shipping when this return brings back the last of its
 * units. Parts are cumulative per line: the refund of units `prior+1 …
 * prior+k` is share(prior+k) − share(prior), so however a line is returned
 * in pieces, its pieces add up exactly to its total and tax. `prior` counts
 * the units of returns already refunded (or being refunded). Never more than
 * the seller order still holds. When the order's prices include tax
 * (docs/vat-and-receipts.md), `tax` is the part of `goods` that was VAT and
 * is not added again.
 */
export function refundFor(
  sellerOrder: { tax: number; shipping: number; total: number; refundedAmount: number; pricesIncludeTax?: boolean },
  lines: BoughtLine[],
  prior: ReadonlyMap<string, number>,
  taking: ReadonlyMap<string, number>,
): RefundBreakdown {
  const taxes = allocate(sellerOrder.tax, lines.map((l) => l.lineTotal));
  let goods = 0;
  let tax = 0;
  let whole = true;
  lines.forEach((line, i) => {
    const before = prior.get(line.id) ?? 0;
    const after = before + (taking.get(line.id) ?? 0);
    if (after > line.quantity) throw new RangeError(`line ${line.id}: ${after} of ${line.quantity} units returned`);
    goods += shareOf(line.lineTotal, after, line.quantity) - shareOf(line.lineTotal, before, line.quantity);
    const lineTax = taxes[i] as number;
    tax += shareOf(lineTax, after, line.quantity) - shareOf(lineTax, before, line.quantity);
    if (after < line.quantity) whole = false;
  });
  const shipping = whole ? sellerOrder.shipping : 0;
  const added = sellerOrder.pricesIncludeTax ? 0 : tax;
  const amount = Math.max(0, Math.min(goods + added + shipping, sellerOrder.total - sellerOrder.refundedAmount));
  return { goods, tax, shipping, amount };
}
