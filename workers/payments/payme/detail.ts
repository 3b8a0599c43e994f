/**
 * The fiscal `detail` object CheckPerformTransaction answers, built from the
 * order's receipt (`deps.receiptOf`), so Payme can register the sale's
 * receipt with the tax authority. Format (the detail object of
 * https://developer.help.paycom.uz/metody-subscribe-api/receipts.create/ and
 * https://developer.help.paycom.uz/metody-merchant-api/checktransaction):
 *   { receipt_type: 0, shipping?: {title, price}, items: [{title, price, count, code, package_code, vat_percent}] }
 * Prices are per unit, in tiyin; `code` is the item's MXIK (IKPU).
 */

/** The part of a receipt line this needs (structurally the seam's `ReceiptLine`). */
export interface DetailSourceLine {
  kind?: string;
  title: string;
  quantity: number;
  unitPrice: number;
  total: number;
  mxik?: string | null;
  packageCode?: string | null;
  vatPercent: number;
}

export interface PaymeDetailItem {
  title: string;
  price: number;
  count: number;
  code: string;
  package_code: string;
  vat_percent: number;
  discount?: number;
}

export interface PaymeDetail {
  /** 0: a sale. */
  receipt_type: 0;
  shipping?: { title: string; price: number };
  items: PaymeDetailItem[];
}

export function paymeDetail(lines: readonly DetailSourceLine[]): PaymeDetail {
  const detail: PaymeDetail = { receipt_type: 0, items: [] };
  for (const line of lines) {
    if (line.kind === 'shipping') {
      // Payme's detail has one shipping entry: each seller order's delivery is added to it.
      detail.shipping = { title: detail.shipping?.title ?? line.title, price: (detail.shipping?.price ?? 0) + line.total };
      continue;
    }
    const item: PaymeDetailItem = {
      title: line.title,
      price: line.unitPrice,
      count: line.quantity,
      code: line.mxik ?? '',
      package_code: line.packageCode ?? '',
      vat_percent: line.vatPercent,
    };
    // A line whose total is below price × count carries the difference as its discount (Payme: for the whole count).
    const discount = line.unitPrice * line.quantity - line.total;
    if (discount > 0) item.discount = discount;
    detail.items.push(item);
  }
  return detail;
}
