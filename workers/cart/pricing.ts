import { sql, type SQL } from 'drizzle-orm';
import type { CartLine } from '../../durable-objects/cart-client';
import type { Config } from '../../shared/env';
import type { Deps } from '../../shared/context';
import { type Locale, nameIn } from '../../shared/locale';
import { categories, inventoryLevels, products, productVariants, sellerSettings } from '../../shared/db/schema';
import { money, percentOf, vatContained } from '../../shared/money';
import type { Cart, CartProblem } from './schemas';

export interface CatalogEntry {
  sku: string;
  productId: string;
  sellerId: string;
  /** The product's name in the default locale (what an order line keeps). */
  name: string;
  /** Its name in the other locales that have one (absent in entries cached before they were kept). */
  names?: Partial<Record<Locale, string>>;
  price: number;
  currency: string;
  status: string;
  available: number;
  /** The seller's per-customer limit on the product (flash sales); null = none. */
  purchaseLimit: number | null;
  /** Whether the seller pays VAT (seller_settings.vat_payer; true when unset): false = its lines carry 0% VAT. */
  vatPayer: boolean;
  /** The product's MXIK (IKPU) and package codes for fiscal receipts; null = not given. */
  mxik: string | null;
  packageCode: string | null;
  /** Whether its seller takes cash on delivery for it (docs/cash-on-delivery.md). */
  cashOnDelivery: boolean;
  /** The product's category and its ancestors (what a promotion on a category reaches); absent in entries cached before it was kept. */
  categoryIds?: string[];
}

/** A catalog row as `catalogJson` builds it. */
type CatalogRow = Omit<CatalogEntry, 'available'> & { available: number | null; deleted: boolean };

/**
 * The catalog read of `catalogEntries` as one SQL expression (a JSON array):
 * what a caller embeds to read the catalog together with its own data in one
 * statement (checkout reads it with shipping's candidates); `catalogFrom`
 * turns the result into entries.
 */
export function catalogJson(skus: string[]): SQL {
  return sql`(select coalesce(json_agg(json_build_object('sku', v.sku, 'productId', p.id, 'sellerId', p.seller_id, 'name', p.name,
      'price', v.price, 'currency', v.currency, 'status', p.status, 'purchaseLimit', p.purchase_limit,
      'names', (select coalesce(jsonb_object_agg(t.key, t.value->>'name'), '{}'::jsonb) from jsonb_each(p.translations) t
        where coalesce(t.value->>'name', '') <> ''),
      'cashOnDelivery', p.cash_on_delivery, 'deleted', p.deleted_at is not null, 'available', l.available,
      'vatPayer', coalesce(ss.vat_payer, true), 'mxik', p.mxik, 'packageCode', p.package_code,
      'categoryIds', (with recursive up(id) as (select p.category_id union select c.parent_id from ${categories} c join up on c.id = up.id)
        select coalesce(json_agg(id), '[]'::json) from up where id is not null))), '[]'::json)
    from ${productVariants} v join ${products} p on p.id = v.product_id left join ${inventoryLevels} l on l.sku = v.sku
      left join ${sellerSettings} ss on ss.seller_id = p.seller_id
    where v.sku in (select jsonb_array_elements_text(${JSON.stringify(skus)}::jsonb)))`;
}

/** Entries by SKU from `catalogJson`'s answer. A deleted product's SKU is known but not for sale (409 on add, `unavailable` in the cart). */
export function catalogFrom(rows: unknown): Map<string, CatalogEntry> {
  return new Map(
    ((rows ?? []) as CatalogRow[]).map(({ deleted, ...r }) => [r.sku, { ...r, price: Number(r.price), status: deleted ? 'deleted' : r.status, available: r.available ?? 0, cashOnDelivery: r.cashOnDelivery !== false }]),
  );
}

/** Current price, status and stock of SKUs: one query (catalog joined with the stock read table). */
export async function catalogEntries(deps: Deps, skus: string[]): Promise<Map<string, CatalogEntry>> {
  if (!skus.length) return new Map();
  const result = await deps.db.execute<{ catalog: unknown }>(sql`select ${catalogJson(skus)} as catalog`);
  return catalogFrom(result.rows[0]?.catalog);
}

/** A line's VAT rate in basis points: the standard rate for a VAT payer's products, 0 for a turnover-tax seller's. */
export function vatBpsOf(entry: Pick<CatalogEntry, 'vatPayer'>, config: Pick<Config, 'TAX_RATE_BPS'>): number {
  return entry.vatPayer ? config.TAX_RATE_BPS : 0;
}

/**
 * The VAT in a shipping charge: delivery is the platform's service, taxed at the standard rate whoever
 * sells the goods; 0 when prices exclude tax (the tax on top is on the goods only, as before).
 */
export function shippingVatOf(amount: number, config: Pick<Config, 'TAX_RATE_BPS' | 'PRICES_INCLUDE_TAX'>): number {
  return config.PRICES_INCLUDE_TAX ? vatContained(amount, config.TAX_RATE_BPS) : 0;
}

/**
 * Prices the cart from the current catalog: line totals, subtotal, tax,
 * shipping and total in integer minor units, and the problems a shopper must
 * see before checkout. Unavailable lines are listed but not charged.
 */
export function priceCart(cartId: string, lines: CartLine[], catalog: Map<string, CatalogEntry>, config: Config, now = Date.now()): Cart {
  const problems: CartProblem[] = [];
  const sellable = lines.map((l) => catalog.get(l.sku)).find((e) => e && e.status === 'published');
  const currency = sellable?.currency ?? lines[0]?.currency ?? config.DEFAULT_CURRENCY;
  let subtotal = money(0, currency);
  let itemCount = 0;
  let linesVat = 0;
  const views = lines.map((line) => {
    const entry = catalog.get(line.sku);
    const holdActive = line.holdExpiresAt !== null && line.holdExpiresAt > now;
    // The read table counts this cart's own hold as reserved; it is ours to buy.
    const available = (entry?.available ?? 0) + (holdActive ? line.quantity : 0);
    const problem = (code: CartProblem['code'], message: string, extra: Partial<CartProblem> = {}) =>
      problems.push({ lineId: line.id, sku: line.sku, code, message, ...extra });

    if (!entry || entry.status !== 'published') {
      problem('unavailable', 'This product is no longer for sale.');
      return { ...baseLine(line, entry), unitPrice: null, lineTotal: 0, discount: 0, currency: line.currency, available: 0, inStock: false };
    }
    if (entry.currency !== currency) problem('currency_mismatch', `Priced in ${entry.currency}, the cart in ${currency}.`);
    if (entry.price !== line.addedPrice) {
      problem('price_changed', 'The price changed since this was added.', { previousPrice: line.addedPrice, price: entry.price });
    }
    if (available < line.quantity) problem('insufficient_stock', `Only ${available} available.`, { available });
    if (line.holdExpiresAt !== null && !holdActive) problem('hold_expired', 'The stock held for this line was released.');

    const lineTotal = entry.price * line.quantity;
    if (entry.currency === currency) {
      subtotal = money(subtotal.amount + lineTotal, currency);
      itemCount += line.quantity;
      linesVat += vatContained(lineTotal, vatBpsOf(entry, config));
    }
    return { ...baseLine(line, entry), unitPrice: entry.price, lineTotal, discount: 0, currency: entry.currency, available, inStock: available > 0 };
  });

  const shipping = subtotal.amount === 0 || subtotal.amount >= config.FREE_SHIPPING_THRESHOLD ? 0 : config.SHIPPING_FLAT_RATE;
  // Tax-inclusive prices: the VAT the lines and shipping contain, extracted per line (docs/vat-and-receipts.md).
  // Otherwise the tax is added on top of the subtotal.
  const tax = config.PRICES_INCLUDE_TAX ? linesVat + shippingVatOf(shipping, config) : percentOf(subtotal, config.TAX_RATE_BPS).amount;
  return {
    id: cartId,
    lines: views,
    subtotal: subtotal.amount,
    tax,
    shipping,
    total: subtotal.amount + (config.PRICES_INCLUDE_TAX ? 0 : tax) + shipping,
    discount: 0,
    shippingDiscount: 0,
    currency,
    itemCount,
    promotions: [],
    codes: [],
    problems,
  };
}

/**
 * The cart with its lines' names in `locale`, each falling back to the default locale's. The
 * catalog entry carries every locale's name, so one cached entry per SKU serves every reader.
 */
export function cartIn(cart: Cart, catalog: Map<string, CatalogEntry>, locale: Locale, defaultLocale: Locale): Cart {
  if (locale === defaultLocale) return cart;
  return {
    ...cart,
    lines: cart.lines.map((line) => {
      const entry = catalog.get(line.sku);
      return entry ? { ...line, name: nameIn({ ...entry.names, [defaultLocale]: entry.name }, locale, defaultLocale) } : line;
    }),
  };
}

function baseLine(line: CartLine, entry: CatalogEntry | undefined) {
  return {
    id: line.id,
    sku: line.sku,
    productId: entry?.productId ?? null,
    name: entry?.name ?? null,
    quantity: line.quantity,
    holdExpiresAt: line.holdExpiresAt === null ? null : new Date(line.holdExpiresAt).toISOString(),
  };
}
