import type { Config } from '../../shared/env';
import { allocate, percentOf, vatContained } from '../../shared/money';

/** A priced line of the order, with what decides its VAT rate. */
export interface TaxLine {
  sellerId: string;
  lineTotal: number;
  vatPayer: boolean;
}

export interface SellerTax {
  subtotal: number;
  shipping: number;
  /** The seller order's tax: its lines' VAT plus its shipping's VAT. */
  tax: number;
  shippingVat: number;
  total: number;
}

export interface OrderTax {
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  /** Per line, in the order given: the VAT rate in basis points and the VAT amount. */
  lines: Array<{ vatBps: number; vat: number }>;
  /** Per seller id. */
  sellers: Map<string, SellerTax>;
}

/**
 * The order's tax, per line and per seller (docs/vat-and-receipts.md).
 *
 * Prices include tax (PRICES_INCLUDE_TAX): each line's VAT is extracted from
 * its own total at its seller's rate (TAX_RATE_BPS for a VAT payer, 0 for a
 * turnover-tax seller), half-up on the minor unit; each seller's shipping
 * carries VAT at the standard rate; a seller order's tax is the sum of its
 * own lines' and shipping's VAT, and the order's tax the sum of those. The
 * totals are subtotal + shipping.
 *
 * Prices exclude tax (today's model, unchanged): TAX_RATE_BPS of the
 * subtotal is added on top, shared over the seller orders in proportion to
 * their subtotals and over each seller order's lines in proportion to their
 * totals (largest remainder, so every level adds up exactly).
 */
export function taxOrder(
  lines: TaxLine[],
  shipping: Array<{ sellerId: string; amount: number }>,
  config: Pick<Config, 'TAX_RATE_BPS' | 'PRICES_INCLUDE_TAX'>,
): OrderTax {
  const sellers = [...new Set(lines.map((l) => l.sellerId))].sort();
  const shippingOf = new Map(shipping.map((s) => [s.sellerId, s.amount]));
  const linesOf = (sellerId: string) => lines.flatMap((l, i) => (l.sellerId === sellerId ? [i] : []));
  const subtotalOf = (sellerId: string) => linesOf(sellerId).reduce((sum, i) => sum + (lines[i] as TaxLine).lineTotal, 0);
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  const shippingTotal = sellers.reduce((sum, s) => sum + (shippingOf.get(s) ?? 0), 0);
  const lineTax: Array<{ vatBps: number; vat: number }> = lines.map(() => ({ vatBps: config.TAX_RATE_BPS, vat: 0 }));
  const bySeller = new Map<string, SellerTax>();

  if (config.PRICES_INCLUDE_TAX) {
    lines.forEach((l, i) => {
      const vatBps = l.vatPayer ? config.TAX_RATE_BPS : 0;
      lineTax[i] = { vatBps, vat: vatContained(l.lineTotal, vatBps) };
    });
    for (const sellerId of sellers) {
      const sellerShipping = shippingOf.get(sellerId) ?? 0;
      const shippingVat = vatContained(sellerShipping, config.TAX_RATE_BPS);
      const tax = linesOf(sellerId).reduce((sum, i) => sum + (lineTax[i] as { vat: number }).vat, 0) + shippingVat;
      const sellerSubtotal = subtotalOf(sellerId);
      bySeller.set(sellerId, { subtotal: sellerSubtotal, shipping: sellerShipping, tax, shippingVat, total: sellerSubtotal + sellerShipping });
    }
    const tax = [...bySeller.values()].reduce((sum, s) => sum + s.tax, 0);
    return { subtotal, shipping: shippingTotal, tax, total: subtotal + shippingTotal, lines: lineTax, sellers: bySeller };
  }

  const tax = percentOf({ amount: subtotal, currency: 'XXX' }, config.TAX_RATE_BPS).amount;
  const shares = allocate(tax, sellers.map(subtotalOf));
  sellers.forEach((sellerId, s) => {
    const own = linesOf(sellerId);
    const sellerTax = shares[s] as number;
    allocate(sellerTax, own.map((i) => (lines[i] as TaxLine).lineTotal)).forEach((vat, k) => {
      lineTax[own[k] as number] = { vatBps: config.TAX_RATE_BPS, vat };
    });
    const sellerSubtotal = subtotalOf(sellerId);
    const sellerShipping = shippingOf.get(sellerId) ?? 0;
    bySeller.set(sellerId, { subtotal: sellerSubtotal, shipping: sellerShipping, tax: sellerTax, shippingVat: 0, total: sellerSubtotal + sellerTax + sellerShipping });
  });
  return { subtotal, shipping: shippingTotal, tax, total: subtotal + tax + shippingTotal, lines: lineTax, sellers: bySeller };
}
