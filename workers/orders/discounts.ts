import { type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../../shared/context';
import { orderLineDiscounts } from '../../shared/db/schema';
import { PromotionUnavailable } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { CatalogEntry } from '../cart/public';
import { discountFunding, type EvaluationResult, evaluatePromotions, type FundingSplit, type PromotionContext, type RedemptionInput } from '../promotions/public';

/** A code in the cart that checkout finds with one of these reasons was (or may have been) shown applied: the order is refused, not charged more. */
const WITHDRAWN = new Set(['limit_reached', 'expired', 'inactive', 'unknown_code']);

/** The checkout's discounts: the engine's result, each line's and each seller's share, and what to record. */
export interface OrderDiscounts {
  result: EvaluationResult;
  /** Per line id: the discount on it. */
  lines: Map<string, number>;
  /** Per seller: the discount off its shipping. */
  shipping: Map<string, number>;
  /** Per seller: its whole discount and the part the platform funds. */
  sellers: Map<string, { discount: number; platformDiscount: number }>;
  redemptions: RedemptionInput[];
}

/**
 * Runs the promotions over the priced order, server side, from the cart's codes and the automatic
 * promotions read with the checkout's other facts (docs/promotions.md). A code the cart may have shown
 * applied that no longer is (its uses ran out, it ended or was switched off) refuses the order with
 * 409 PROMOTION_UNAVAILABLE before anything is reserved; a code that never applied is ignored, as the cart said.
 */
export function discountOrder(
  auth: Principal,
  priced: { currency: string; lines: Array<{ id: string; sku: string; quantity: number; unitPrice: number | null; currency: string }> },
  catalog: Map<string, CatalogEntry>,
  shipping: Array<{ sellerId: string; amount: number }>,
  context: PromotionContext,
  codes: string[],
  now: Date,
): OrderDiscounts {
  const engineLines = priced.lines.flatMap((l) => {
    const entry = catalog.get(l.sku);
    if (l.unitPrice === null || !entry) return [];
    return [{ lineId: l.id, sku: l.sku, productId: entry.productId, categoryIds: entry.categoryIds ?? [], sellerId: entry.sellerId, unitPrice: l.unitPrice, quantity: l.quantity, currency: l.currency }];
  });
  const result = evaluatePromotions({
    currency: priced.currency,
    lines: engineLines,
    shipping: shipping.map((s) => ({ sellerId: s.sellerId, amount: s.amount })),
    customer: { id: auth.userId, isFirstOrder: context.isFirstOrder },
    now,
    promotions: context.candidates.promotions,
    codes: context.candidates.codes,
    enteredCodes: codes,
    usage: context.usage,
  });
  const withdrawn = result.rejectedCodes.find((r) => WITHDRAWN.has(r.reason));
  if (withdrawn) throw new PromotionUnavailable(withdrawn.promotionId ?? '', withdrawn.reason, withdrawn.code);

  const sellerOf = new Map(engineLines.map((l) => [l.lineId, l.sellerId]));
  const rules = new Map(context.candidates.promotions.map((p) => [p.id, p]));
  const codeLimits = new Map(context.candidates.codes.map((c) => [c.id, c.usageLimit]));
  const lines = new Map(result.lines.map((l) => [l.lineId, l.discount]));
  const shippingOff = new Map(result.shipping.map((s) => [s.sellerId, s.discount]));
  const sellers = new Map<string, { discount: number; platformDiscount: number }>();
  const add = (sellerId: string, split: FundingSplit) => {
    const s = sellers.get(sellerId) ?? { discount: 0, platformDiscount: 0 };
    sellers.set(sellerId, { discount: s.discount + split.platform + split.seller, platformDiscount: s.platformDiscount + split.platform });
  };
  const funding = discountFunding(result);
  for (const [lineId, split] of funding.lines) add(sellerOf.get(lineId) ?? '', split);
  for (const [sellerId, split] of funding.shipping) add(sellerId, split);
  const redemptions = result.applied.map((a) => {
    const rule = rules.get(a.promotionId);
    return {
      promotionId: a.promotionId,
      codeId: a.codeId,
      discount: a.amount,
      limits: { total: rule?.usageLimit ?? null, perCustomer: rule?.perCustomerLimit ?? null, code: a.codeId ? (codeLimits.get(a.codeId) ?? null) : null },
    };
  });
  return { result, lines, shipping: shippingOff, sellers, redemptions };
}

/**
 * The CTE body recording each promotion's share of each line (and of each seller order's shipping) with
 * who funds it, for the checkout statement: `items` maps a cart line id to its order line and seller order,
 * `sellerOrderOf` a seller to its seller order; `after` names the CTE that inserts the order lines.
 */
export function lineDiscountsInsert(
  discounts: OrderDiscounts,
  orderId: string,
  currency: string,
  items: Map<string, { itemId: string; sellerOrderId: string }>,
  sellerOrderOf: Map<string, string>,
  after: SQL,
): SQL | null {
  const rows = discounts.result.applied.flatMap((a) => {
    const base = { promotion_id: a.promotionId, code_id: a.codeId, funded_by: a.funding, currency };
    return [
      ...a.lines.flatMap((l) => {
        const item = items.get(l.lineId);
        return item && l.amount > 0 ? [{ ...base, id: newId(), order_item_id: item.itemId, seller_order_id: item.sellerOrderId, target: 'line', amount: l.amount }] : [];
      }),
      ...a.shipping.flatMap((s) => {
        const so = sellerOrderOf.get(s.sellerId);
        return so && s.amount > 0 ? [{ ...base, id: newId(), order_item_id: null, seller_order_id: so, target: 'shipping', amount: s.amount }] : [];
      }),
    ];
  });
  if (!rows.length) return null;
  return sql`insert into ${orderLineDiscounts} (id, order_id, order_item_id, seller_order_id, promotion_id, code_id, target, funded_by, amount, currency)
    select x.id, ${orderId}::uuid, x.order_item_id, x.seller_order_id, x.promotion_id, x.code_id, x.target, x.funded_by, x.amount, x.currency
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(id uuid, order_item_id uuid, seller_order_id uuid, promotion_id uuid, code_id uuid,
      target text, funded_by text, amount bigint, currency text)
    where exists (select 1 from ${after})`;
}
