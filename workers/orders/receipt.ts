import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, orders, payments, sellerOrders } from '../../shared/db/schema';
import { NotFound } from '../../shared/errors';
import { allocate } from '../../shared/money';
import type { Receipt, ReceiptLine, ReceiptPayment } from '../../shared/payments/receipt';

/** The title of a seller order's shipping line on the receipt. */
export const SHIPPING_TITLE = 'Delivery';

interface ReceiptRow {
  id: string;
  number: string;
  userId: string;
  currency: string;
  total: number;
  tax: number;
  pricesIncludeTax: boolean;
  taxRateBps: number | null;
  sellerOrders: Array<{ sellerId: string; tax: number; shipping: number; shippingVat: number | null }>;
  items: Array<{
    sellerId: string;
    sku: string;
    name: string;
    quantity: number;
    unitPrice: number;
    lineTotal: number;
    discount?: number;
    mxik: string | null;
    packageCode: string | null;
    vatBps: number | null;
    vat: number | null;
  }>;
  payments: ReceiptPayment[];
}

/** Everything the receipt needs, as kept at checkout: one statement. */
async function readReceipt(deps: Deps, orderId: string): Promise<ReceiptRow | undefined> {
  const result = await deps.db.execute<{ receipt: ReceiptRow }>(sql`
    select json_build_object('id', o.id, 'number', o.number, 'userId', o.user_id, 'currency', o.currency,
      'total', o.total, 'tax', o.tax, 'pricesIncludeTax', o.prices_include_tax, 'taxRateBps', o.tax_rate_bps,
      'sellerOrders', coalesce((select json_agg(json_build_object('sellerId', s.seller_id, 'tax', s.tax, 'shipping', s.shipping,
          'shippingVat', s.shipping_vat) order by s.seller_id) from ${sellerOrders} s where s.order_id = o.id), '[]'::json),
      'items', coalesce((select json_agg(json_build_object('sellerId', i.seller_id, 'sku', i.sku, 'name', i.name, 'quantity', i.quantity,
          'unitPrice', i.unit_price, 'lineTotal', i.line_total, 'discount', i.discount, 'mxik', i.mxik, 'packageCode', i.package_code,
          'vatBps', i.vat_bps, 'vat', i.vat) order by i.sku, i.id) from ${orderItems} i where i.order_id = o.id), '[]'::json),
      'payments', coalesce((select json_agg(json_build_object('provider', p.provider, 'paymentId', p.payment_intent_id, 'status', p.status,
          'amount', p.amount, 'amountReceived', p.amount_received, 'amountRefunded', p.amount_refunded) order by p.created_at, p.id)
        from ${payments} p where p.order_id = o.id), '[]'::json)) as receipt
    from ${orders} o where o.id = ${orderId}::uuid`);
  return result.rows[0]?.receipt;
}

const percent = (bps: number) => bps / 100;

/**
 * The order's lines as receipt lines (docs/vat-and-receipts.md): per seller
 * order (by seller id), its product lines (by SKU) and then its shipping as a
 * line of its own. The VAT of each line is the one fixed at checkout; orders
 * placed before lines kept their VAT share their seller order's tax over
 * their lines as the returns do.
 */
function receiptLines(row: ReceiptRow, defaultBps: number): ReceiptLine[] {
  const standardBps = row.taxRateBps ?? defaultBps;
  return row.sellerOrders.flatMap((so) => {
    const items = row.items.filter((i) => i.sellerId === so.sellerId);
    const goodsTax = so.tax - (so.shippingVat ?? 0);
    const shares = items.some((i) => i.vat === null) ? allocate(goodsTax, items.map((i) => i.lineTotal)) : undefined;
    const lines: ReceiptLine[] = items.map((item, k) => ({
      kind: 'product',
      title: item.name,
      sku: item.sku,
      sellerId: item.sellerId,
      quantity: item.quantity,
      unitPrice: Number(item.unitPrice),
      total: Number(item.lineTotal),
      discount: Number(item.discount ?? 0),
      mxik: item.mxik,
      packageCode: item.packageCode,
      vatPercent: percent(item.vatBps ?? standardBps),
      vat: shares ? (shares[k] as number) : Number(item.vat),
    }));
    if (Number(so.shipping) > 0) {
      const vat = Number(so.shippingVat ?? 0);
      lines.push({
        kind: 'shipping',
        title: SHIPPING_TITLE,
        sku: null,
        sellerId: so.sellerId,
        quantity: 1,
        unitPrice: Number(so.shipping),
        total: Number(so.shipping),
        discount: 0,
        mxik: null,
        packageCode: null,
        // Shipping carries VAT only where prices include it (tax on top is on the goods alone).
        vatPercent: row.pricesIncludeTax ? percent(standardBps) : 0,
        vat,
      });
    }
    return lines;
  });
}

/** Totals of a set of lines: what the buyer pays for them (the VAT on top added when prices exclude it) and their VAT. */
function totalsOf(lines: ReceiptLine[], pricesIncludeTax: boolean) {
  const vat = lines.reduce((sum, l) => sum + l.vat, 0);
  const goods = lines.reduce((sum, l) => sum + l.total, 0);
  return { total: pricesIncludeTax ? goods : goods + vat, vat };
}

/**
 * The whole order's fiscal receipt data, for the order's own use and for
 * payment providers (`deps.receiptOf`): the lines add up exactly to the
 * order's total and tax. Undefined when there is no such order.
 */
export async function receiptOf(deps: Deps, orderId: string): Promise<Receipt | undefined> {
  const row = await readReceipt(deps, orderId);
  return row && receiptFrom(row, deps.config.TAX_RATE_BPS);
}

function receiptFrom(row: ReceiptRow, defaultBps: number): Receipt {
  const lines = receiptLines(row, defaultBps);
  const { total, vat } = totalsOf(lines, row.pricesIncludeTax);
  return {
    orderId: row.id,
    number: row.number,
    currency: row.currency,
    pricesIncludeTax: row.pricesIncludeTax,
    lines,
    total,
    vat,
    payments: row.payments.map((p) => ({
      ...p,
      amount: Number(p.amount),
      amountReceived: Number(p.amountReceived),
      amountRefunded: Number(p.amountRefunded),
    })),
  };
}

/**
 * `GET /orders/{id}/receipt`: the buyer and an admin get the whole receipt; a
 * seller of the order only its own lines (and its shipping), their totals, and
 * no payments, as its view of the order; anyone else 404.
 */
export async function getReceipt(deps: Deps, auth: Principal, orderId: string): Promise<Receipt> {
  const row = await readReceipt(deps, orderId);
  if (!row) throw new NotFound('order', orderId);
  const receipt = receiptFrom(row, deps.config.TAX_RATE_BPS);
  if (auth.role === 'admin' || row.userId === auth.userId) return receipt;
  if (auth.role === 'seller' && row.sellerOrders.some((s) => s.sellerId === auth.userId)) {
    const own = receipt.lines.filter((l) => l.sellerId === auth.userId);
    return { ...receipt, lines: own, ...totalsOf(own, receipt.pricesIncludeTax), payments: [] };
  }
  throw new NotFound('order', orderId);
}
