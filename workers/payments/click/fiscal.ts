import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../../shared/context';
import { providerTransactions } from '../../../shared/db/schema';
import type { Receipt } from '../../../shared/payments/receipt';
import { merchantAuthHeader } from './protocol';

/** How long the fiscal submission may take before we give up (it is retried on Click's next repeat of Complete). */
const SUBMIT_TIMEOUT_MS = 15_000;

/**
 * One item of Click's fiscalization call (https://docs.click.uz/en/fiscalization/):
 * amounts in tiyin; SPIC is the MXIK (IKPU) code; Price is the item's total
 * for its quantity before discounts; CommissionInfo names the taxpayer the
 * receipt is issued for (TIN or PINFL).
 */
export interface ClickFiscalItem {
  Name: string;
  SPIC: string;
  PackageCode: string;
  /** Optional: the unit price, sent when the line's price divides evenly by its quantity. */
  GoodPrice?: number;
  Price: number;
  Amount: number;
  VAT: number;
  VATPercent: number;
  Discount: number;
  CommissionInfo: { TIN: string };
}

/** Where the codes a receipt line lacks come from (shipping is no product: the deployment names its service code). */
export interface FiscalSettings {
  tin?: string;
  shippingMxik?: string;
  shippingPackageCode?: string;
}

/**
 * The order's receipt data as Click's fiscal items — the same lines, codes
 * and VAT as `GET /orders/{id}/receipt` and Payme's `detail`. What is missing
 * to send it (the operator's TIN, a product's MXIK, the shipping service's
 * code) is named instead: a receipt without them would be refused.
 */
export function clickFiscalItems(receipt: Receipt, settings: FiscalSettings): { items: ClickFiscalItem[]; total: number } | { missing: string[] } {
  const missing = new Set<string>();
  if (!settings.tin) missing.add('FISCAL_TIN');
  const items = receipt.lines.map((line) => {
    const shipping = line.kind === 'shipping';
    // What the buyer paid for the line: VAT is inside it, or (prices without tax) on top of it.
    const paid = receipt.pricesIncludeTax ? line.total : line.total + line.vat;
    // Click's Price is before the discount (a receipt line's total is after it); Price − Discount is what was paid.
    const price = paid + line.discount;
    const spic = shipping ? (line.mxik ?? settings.shippingMxik) : line.mxik;
    const packageCode = shipping ? (line.packageCode ?? settings.shippingPackageCode) : line.packageCode;
    if (!spic) missing.add(shipping ? 'SHIPPING_MXIK' : `mxik of ${line.sku}`);
    if (!packageCode) missing.add(shipping ? 'SHIPPING_PACKAGE_CODE' : `packageCode of ${line.sku}`);
    return {
      Name: line.title.slice(0, 63),
      SPIC: spic ?? '',
      PackageCode: packageCode ?? '',
      ...(price % line.quantity === 0 ? { GoodPrice: price / line.quantity } : {}),
      Price: price,
      Amount: line.quantity,
      VAT: line.vat,
      VATPercent: line.vatPercent,
      Discount: line.discount,
      CommissionInfo: { TIN: settings.tin ?? '' },
    };
  });
  if (missing.size) return { missing: [...missing] };
  return { items, total: items.reduce((sum, i) => sum + i.Price - i.Discount, 0) };
}

/**
 * Sends a completed Click payment's fiscal receipt data to Click's merchant
 * API (`POST {CLICK_API_BASE}/payment/ofd_data/submit_items`), once: the
 * completed transaction remembers it was accepted (`details.fiscalSubmittedAt`).
 * Runs after the answer to Complete (`deps.defer`); a failure is logged and
 * never touches the payment — a repeated Complete tries again.
 */
export async function submitClickFiscalData(deps: Deps, paymentId: string): Promise<'submitted' | 'already' | 'skipped' | 'failed'> {
  const [completed] = await deps.db
    .select()
    .from(providerTransactions)
    .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.paymentId, paymentId), eq(providerTransactions.state, 2)));
  if (!completed) return 'skipped';
  const details = completed.details as { clickPaydocId?: string; fiscalSubmittedAt?: string };
  if (details.fiscalSubmittedAt) return 'already';
  const config = deps.config;
  const receipt = await deps.receiptOf(completed.orderId);
  if (!receipt || !details.clickPaydocId || !config.CLICK_SERVICE_ID || !config.CLICK_MERCHANT_USER_ID || !config.CLICK_SECRET_KEY) return 'skipped';
  const built = clickFiscalItems(receipt, { tin: config.FISCAL_TIN, shippingMxik: config.SHIPPING_MXIK, shippingPackageCode: config.SHIPPING_PACKAGE_CODE });
  if ('missing' in built) {
    deps.logger.warn('Click fiscal data not sent: codes are missing', { paymentId, missing: built.missing });
    return 'skipped';
  }
  try {
    const res = await fetch(`${config.CLICK_API_BASE.replace(/\/+$/, '')}/payment/ofd_data/submit_items`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        auth: await merchantAuthHeader(config.CLICK_MERCHANT_USER_ID, config.CLICK_SECRET_KEY, Date.now()),
      },
      body: JSON.stringify({
        service_id: Number(config.CLICK_SERVICE_ID),
        payment_id: Number(details.clickPaydocId),
        items: built.items,
        received_ecash: 0,
        received_cash: 0,
        received_card: built.total,
      }),
      signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => undefined)) as { error_code?: unknown; error_note?: unknown } | undefined;
    if (!res.ok || body?.error_code !== 0) {
      deps.logger.error('Click refused the fiscal data', { paymentId, status: res.status, errorCode: body?.error_code, errorNote: body?.error_note });
      return 'failed';
    }
  } catch (err) {
    deps.logger.error('Click fiscal data not sent: Click unreachable', { paymentId, error: String(err) });
    return 'failed';
  }
  await deps.db
    .update(providerTransactions)
    .set({ details: sql`${providerTransactions.details} || jsonb_build_object('fiscalSubmittedAt', now()::text)` })
    .where(eq(providerTransactions.id, completed.id));
  return 'submitted';
}
