/**
 * An order's fiscal receipt data (docs/payments-uzbekistan.md): one line per
 * order line, shipping as a line of its own, each with its MXIK (IKPU) code,
 * package code and the VAT it contains. The orders domain builds it
 * (`GET /orders/{id}/receipt`); payment providers that carry receipt data
 * (Payme's `detail`, Click's fiscal items) read it through `Deps.receiptOf`.
 * Amounts are minor units (tiyin for UZS).
 */
export interface ReceiptLine {
  kind: 'product' | 'shipping';
  title: string;
  /** Null for shipping. */
  sku: string | null;
  sellerId: string | null;
  quantity: number;
  /** The unit price the buyer pays (VAT included when prices include tax). */
  unitPrice: number;
  /** quantity × unitPrice. */
  total: number;
  /** Discount on this line (0 until promotions exist). */
  discount: number;
  /** MXIK / IKPU code (17 digits); null when the product has none. */
  mxik: string | null;
  packageCode: string | null;
  /** 12 for a VAT payer's line at the standard rate; 0 for a turnover-tax seller. */
  vatPercent: number;
  /** The VAT contained in (or added to) `total`. */
  vat: number;
}

export interface ReceiptPayment {
  provider: string;
  paymentId: string;
  status: string;
  amount: number;
  amountReceived: number;
  amountRefunded: number;
}

export interface Receipt {
  orderId: string;
  number: string;
  currency: string;
  pricesIncludeTax: boolean;
  lines: ReceiptLine[];
  /** What the buyer pays: the sum of the lines' totals. */
  total: number;
  /** The VAT in the total: the sum of the lines' VAT. */
  vat: number;
  payments: ReceiptPayment[];
}
