import { and, eq, sql } from 'drizzle-orm';
import { cartFor, cartHoldId, type CartKey } from '../../durable-objects/cart-client';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps, Principal } from '../../shared/context';
import { isUniqueViolation, sqlState } from '../../shared/db/errors';
import { orders, type ShippingAddress } from '../../shared/db/schema';
import {
  AppError,
  Conflict,
  DependencyUnavailable,
  NotFound,
  OutOfStock,
  PaymentProviderUnavailable,
  PromotionUnavailable,
  type StockShortage,
  ValidationFailed,
} from '../../shared/errors';
import { newId } from '../../shared/ids';
import { type DomainEvent, domainEvent, outboxInsert, publishAfterResponse } from '../../shared/outbox';
import { recordOrderEvent } from '../../shared/analytics';
import { type PaymentState, type ProviderName, providerOfPaymentId } from '../../shared/payments';
import { catalogFrom, catalogJson, holdingsFrom, holdingsJson, priceCart } from '../cart/public';
import { type Lookup, type SellerShipping, sellerGroups, shippingCandidates, shippingFor } from '../shipping/public';
import { promotionContextFrom, promotionContextJson, promotionLimitOf, redemptionsInsert } from '../promotions/public';
import { commissionOf } from './commission';
import { discountOrder, lineDiscountsInsert, type OrderDiscounts } from './discounts';
import { assertCashAllowed, assertCheckoutAllowed } from './limits';
import { insertedOrderJson, loadOrder } from './queries';
import { type OrderTax, taxOrder } from './vat';
import type { CreateOrderInput, Order } from './schemas';

export const reservationIdFor = (orderId: string, sku: string) => `order:${orderId}:${sku}`;

/**
 * The catalog entries of the cart's SKUs, shipping's candidates for them and where the order
 * goes, read in one statement: the catalog read rides along with shipping's, and a saved
 * address is read with them too (docs/shipping.md), and what the customer already holds
 * for the anti-hoarding limits (docs/cart-and-inventory.md).
 */
async function checkoutReads(deps: Deps, auth: Principal, input: CreateOrderInput, skus: string[], codes: string[], now: Date) {
  const lookup: Lookup =
    'shippingAddress' in input
      ? { destination: { country: input.shippingAddress.country, regionCode: input.shippingAddress.regionCode ?? null } }
      : { addressId: input.shippingAddressId, userId: auth.userId };
  const candidates = await shippingCandidates(
    deps,
    skus,
    lookup,
    sql`json_build_object('catalog', ${catalogJson(skus)}, 'holdings', ${holdingsJson(auth.userId, skus)},
      'promotions', ${promotionContextJson({ codes, now, userId: auth.userId })})`,
  );
  const alongside = (candidates.alongside ?? {}) as { catalog?: unknown; holdings?: unknown; promotions?: unknown };
  const catalog = catalogFrom(alongside.catalog);
  const held = holdingsFrom(alongside.holdings);
  const promotions = promotionContextFrom(alongside.promotions, auth.userId);
  if ('shippingAddress' in input) return { catalog, held, promotions, address: input.shippingAddress as ShippingAddress, candidates };
  if (!candidates.address) throw new NotFound('address', input.shippingAddressId);
  return { catalog, held, promotions, address: candidates.address as ShippingAddress, candidates };
}

async function releaseAll(deps: Deps, lines: Array<{ sku: string }>, orderId: string): Promise<void> {
  await Promise.allSettled(lines.map((l) => inventoryFor(deps.env, l.sku).release(reservationIdFor(orderId, l.sku))));
}

/**
 * Places an order from the caller's cart, step by step as DESIGN §4 fixes:
 * read the cart → price it from the catalog → reserve every SKU (all or
 * nothing) → create the PaymentIntent (idempotency key = order id) → insert
 * the order, its items, payment, history and outbox event in one statement.
 * Any failure after a reservation releases it.
 */
export async function placeOrder(deps: Deps, auth: Principal, input: CreateOrderInput, idempotencyKey: string) {
  const cartKey: CartKey = { kind: 'user', userId: auth.userId };
  const cart = cartFor(deps.env, cartKey);
  const { lines, codes } = await cart.contents();
  if (!lines.length) {
    // An empty cart on a retry may mean the first attempt saved the order and its answer was lost.
    const earlier = await orderPlacedWith(deps, auth, idempotencyKey);
    if (earlier) return earlier;
    throw new ValidationFailed([{ path: 'cart', message: 'is empty' }], 'The cart is empty.');
  }

  const skus = lines.map((l) => l.sku);
  const now = new Date();
  const { catalog, held, promotions, address: shippingAddress, candidates } = await checkoutReads(deps, auth, input, skus, codes, now);
  const cartPrice = priceCart(auth.userId, lines, catalog, deps.config);
  const blocking = cartPrice.problems.filter((p) => p.code === 'unavailable' || p.code === 'currency_mismatch');
  if (blocking.length) {
    throw new Conflict('Some lines cannot be bought; see problems.', { problems: blocking });
  }
  // Each seller group's shipping, from its chosen method (or the flat rate where none applies): checked before anything is reserved.
  const shipping = shippingFor(sellerGroups(cartPrice.lines, candidates, cartPrice.currency), input.shipping ?? [], deps.config);
  // The promotions, recomputed here from the cart's codes and the automatic ones (docs/promotions.md).
  const discounts = discountOrder(auth, cartPrice, catalog, shipping, promotions, codes, now);
  // Tax per line and per seller, from the discounted lines and each seller's own shipping (docs/vat-and-receipts.md).
  const taxed = taxOrder(
    cartPrice.lines.map((l) => {
      const entry = catalog.get(l.sku);
      return { sellerId: entry?.sellerId ?? '', lineTotal: l.lineTotal - (discounts.lines.get(l.id) ?? 0), vatPayer: entry?.vatPayer ?? true };
    }),
    shipping.map((s) => ({ ...s, amount: s.amount - (discounts.shipping.get(s.sellerId) ?? 0) })),
    deps.config,
  );
  const priced = { ...cartPrice, subtotal: taxed.subtotal, shipping: taxed.shipping, tax: taxed.tax, total: taxed.total, discount: discounts.result.discountTotal };
  assertCheckoutAllowed(deps, auth, input, priced, catalog, held);
  const provider = paymentProviderFor(deps, input, priced.currency, priced.total);
  if (provider === 'cash') assertCashAllowed(deps, priced, catalog, held);

  const orderId = newId();
  // A cash order has no payment window: its stock is held until delivery, for at most CASH_HOLD_DAYS (docs/cash-on-delivery.md).
  const ttlSeconds = provider === 'cash' ? deps.config.CASH_HOLD_DAYS * 86_400 : deps.config.RESERVATION_TTL_MINUTES * 60;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);

  // Cart holds (if enabled) already count as reserved: hand them over to the order.
  if (deps.config.CART_HOLD_MINUTES > 0) {
    await Promise.allSettled(lines.map(async (l) => inventoryFor(deps.env, l.sku).release(await cartHoldId(cartKey, l.sku))));
  }
  const results = await Promise.allSettled(
    priced.lines.map((l) => inventoryFor(deps.env, l.sku).reserve(reservationIdFor(orderId, l.sku), l.quantity, ttlSeconds)),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // A Durable Object call failed: give back whatever the others took. The
    // inventory service failed, not the request: a 503 the client may retry.
    await releaseAll(deps, priced.lines, orderId);
    throw failed.reason instanceof AppError ? failed.reason : new DependencyUnavailable('Inventory', failed.reason);
  }
  const shortages: StockShortage[] = [];
  results.forEach((r, i) => {
    const line = priced.lines[i];
    if (r.status === 'fulfilled' && !r.value.ok && line) shortages.push({ sku: line.sku, requested: line.quantity, available: r.value.available });
  });
  if (shortages.length) {
    await releaseAll(deps, priced.lines, orderId);
    throw new OutOfStock(shortages);
  }

  const gateway = deps.gatewayFor(provider);
  let intent: PaymentState | undefined;
  let placed: Order | undefined;
  const event = domainEvent({
    type: 'order.placed',
    payload: { orderId, userId: auth.userId, total: priced.total, currency: priced.currency },
  });
  try {
    intent = await gateway.createPayment(
      { orderId, userId: auth.userId, amount: priced.total, currency: priced.currency, description: `UltraMarket order ${orderId}` },
      `order:${orderId}`,
    );

    const groups = sellerOrdersOf(taxed, shipping, discounts);
    const sellerOrderOf = new Map(groups.map((g) => [g.seller_id, g.id]));
    const items = priced.lines.map((l, i) => {
      const entry = catalog.get(l.sku);
      const lineTax = taxed.lines[i];
      return {
        id: newId(),
        seller_order_id: sellerOrderOf.get(entry?.sellerId ?? ''),
        product_id: l.productId,
        seller_id: entry?.sellerId,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        line_total: l.lineTotal - (discounts.lines.get(l.id) ?? 0),
        discount: discounts.lines.get(l.id) ?? 0,
        currency: l.currency,
        reservation_id: reservationIdFor(orderId, l.sku),
        mxik: entry?.mxik ?? null,
        package_code: entry?.packageCode ?? null,
        vat_bps: lineTax?.vatBps ?? null,
        vat: lineTax?.vat ?? null,
      };
    });
    const itemsJson = JSON.stringify(items);
    const itemOf = new Map(priced.lines.map((l, i) => [l.id, { itemId: items[i]?.id ?? '', sellerOrderId: items[i]?.seller_order_id ?? '' }]));
    const lineDiscounts = lineDiscountsInsert(discounts, orderId, priced.currency, itemOf, sellerOrderOf, sql`i`);
    const redemptions = discounts.redemptions.length ? redemptionsInsert(sql`o`, auth.userId, priced.currency, discounts.redemptions) : null;
    // One statement: order, items, payment, history and outbox row commit together, and it answers
    // the order as `loadOrder` would (one round trip, no read-back).
    const inserted = await deps.db.execute<{ order: Order }>(sql`
      with o as (
        insert into ${orders} (id, user_id, status, currency, subtotal, tax, shipping, total, discount, shipping_address,
                               payment_intent_id, payment_provider, idempotency_key, reservation_expires_at, prices_include_tax, tax_rate_bps)
        values (${orderId}, ${auth.userId}, 'pending_payment', ${priced.currency}, ${priced.subtotal}, ${priced.tax},
                ${priced.shipping}, ${priced.total}, ${priced.discount}, ${JSON.stringify(shippingAddress)}::jsonb, ${intent.id}, ${provider},
                ${idempotencyKey}, ${expiresAt.toISOString()}::timestamptz, ${deps.config.PRICES_INCLUDE_TAX}, ${deps.config.TAX_RATE_BPS})
        returning *
      ), so as (
        insert into seller_orders (id, order_id, seller_id, status, currency, subtotal, tax, shipping, total, shipping_method_id, shipping_choice,
                                   commission_bps, commission, shipping_vat, discount, platform_discount)
        select x.id, (select id from o), x.seller_id, 'pending_payment', ${priced.currency}, x.subtotal, x.tax, x.shipping, x.total,
          x.shipping_method_id, x.shipping_choice, c.bps, c.commission, x.shipping_vat, x.discount, x.platform_discount
        from json_to_recordset(${JSON.stringify(groups)}::json) as x(id uuid, seller_id uuid, subtotal bigint, tax bigint, shipping bigint, total bigint,
          shipping_method_id uuid, shipping_choice jsonb, shipping_vat bigint, discount bigint, platform_discount bigint)
        cross join lateral (${commissionOf(sql`x`, itemsJson, deps.config.COMMISSION_BPS)}) c
        returning *
      ), soh as (
        insert into seller_order_events (id, seller_order_id, from_status, to_status, actor)
        select gen_random_uuid(), id, null, 'pending_payment', ${auth.userId} from so
      ), i as (
        insert into order_items (id, order_id, seller_order_id, product_id, seller_id, sku, name, quantity, unit_price, line_total, discount, currency, reservation_id,
                                 mxik, package_code, vat_bps, vat)
        select x.id, (select id from o), x.seller_order_id, x.product_id, x.seller_id, x.sku, x.name, x.quantity, x.unit_price, x.line_total, x.discount, x.currency, x.reservation_id,
          x.mxik, x.package_code, x.vat_bps, x.vat
        from json_to_recordset(${itemsJson}::json) as x(id uuid, seller_order_id uuid, product_id uuid, seller_id uuid, sku text, name text,
          quantity int, unit_price bigint, line_total bigint, discount bigint, currency text, reservation_id text, mxik text, package_code text, vat_bps int, vat bigint)
        where exists (select 1 from so)
        returning *
      ), p as (
        insert into payments (id, order_id, user_id, provider, payment_intent_id, status, amount, currency)
        select ${newId()}, id, ${auth.userId}, ${provider}, ${intent.id}, ${intent.status}, ${priced.total}, ${priced.currency} from o
      ), h as (
        insert into order_events (id, order_id, from_status, to_status, actor)
        select ${newId()}, id, null, 'pending_payment', ${auth.userId} from o
        returning *
      ), ob as (
        ${outboxInsert([event], sql`o`, sql`jsonb_build_object('number', (select number from o))`)}
      )${lineDiscounts ? sql`, ld as (${lineDiscounts})` : sql``}${redemptions ? sql`, pr as (${redemptions})` : sql``}
      select ${insertedOrderJson({ items: sql`i`, events: sql`h`, sellerOrders: sql`so` })} as order from o`);
    placed = inserted.rows[0]?.order;
  } catch (err) {
    // A connection lost after Postgres committed hides a saved order: ask before undoing anything.
    // An error Postgres itself answered (it has a SQLSTATE) means the statement was rolled back.
    const saved = intent && !sqlState(err) ? await orderSaved(deps, orderId) : false;
    if (saved === true) {
      deps.logger.warn('order insert lost its answer but was committed; carrying on', { orderId, error: String(err) });
      return finishPlacing(deps, cart, orderId, intent as PaymentState, event, priced);
    }
    // Not saved (or unknown): give the stock back. Cancel the PaymentIntent only when surely
    // unsaved; if the order does exist after all, paying it is a late payment (stock taken
    // again, or refunded), so no money can be lost.
    await releaseAll(deps, priced.lines, orderId);
    if (intent && saved === false) await gateway.cancelPayment(intent.id).catch(() => undefined);
    const limited = promotionLimitOf(err);
    if (limited) throw new PromotionUnavailable(limited.promotionId, limited.reason, discounts.result.applied.find((a) => a.promotionId === limited.promotionId)?.code ?? null);
    if (isUniqueViolation(err)) {
      // The cart still has lines, so this is another purchase reusing a key: refuse it, naming the order.
      const earlier = await orderWithKey(deps, auth, idempotencyKey).catch(() => undefined);
      throw new Conflict('An order was already placed with this Idempotency-Key.', earlier ? { orderId: earlier.id } : {});
    }
    throw err;
  }
  return finishPlacing(deps, cart, orderId, intent, event, priced, placed);
}

/**
 * The order split by seller: each seller's lines' subtotal, its tax (`taxOrder`: its own lines' and
 * shipping's VAT when prices include tax, else its share of the tax on top, allocated in proportion to the
 * subtotals; either way the seller orders add up to the order exactly) and its own shipping, with the
 * method chosen.
 */
function sellerOrdersOf(taxed: OrderTax, shipping: SellerShipping[], discounts: OrderDiscounts) {
  const shippingOf = new Map(shipping.map((s) => [s.sellerId, s]));
  return [...taxed.sellers.entries()].map(([sellerId, t]) => {
    const chosen = shippingOf.get(sellerId);
    const discount = discounts.sellers.get(sellerId);
    return {
      discount: discount?.discount ?? 0,
      platform_discount: discount?.platformDiscount ?? 0,
      id: newId(),
      seller_id: sellerId,
      subtotal: t.subtotal,
      tax: t.tax,
      shipping: t.shipping,
      total: t.total,
      shipping_vat: t.shippingVat,
      shipping_method_id: chosen?.methodId ?? null,
      shipping_choice: chosen?.choice ?? null,
    };
  });
}

/** The order is saved from here on (`placed`: as its insert answered it): a failure below must not release its stock. */
async function finishPlacing(
  deps: Deps,
  cart: ReturnType<typeof cartFor>,
  orderId: string,
  intent: PaymentState,
  event: DomainEvent,
  priced: { currency: string; total: number },
  placed?: Order,
) {
  recordOrderEvent(deps, { kind: 'order.placed', orderId, currency: priced.currency, amount: priced.total, orderTotal: priced.total, refundedTotal: 0 });
  await cart.clear().catch((err: unknown) => deps.logger.warn('cart not cleared after checkout', { error: String(err) }));
  // The insert answers the order; only an insert whose answer was lost reads it back.
  const order = placed ?? (await loadOrder(deps, orderId));
  // The number was drawn by the insert; the queued copy of the event names it like the outbox row.
  if (order && event.type === 'order.placed') event.payload.number = order.number;
  publishAfterResponse(deps, [event]);
  return { order: order as Order, payment: paymentNext(intent), replayed: false };
}

/** Whether the order row exists: true, false, or undefined when the database cannot say. */
async function orderSaved(deps: Deps, orderId: string): Promise<boolean | undefined> {
  try {
    const [row] = await deps.db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId));
    return row !== undefined;
  } catch {
    return undefined;
  }
}

/** The order this caller placed with this Idempotency-Key, if any (the key is unique per user). */
async function orderWithKey(deps: Deps, auth: Principal, idempotencyKey: string) {
  const [row] = await deps.db
    .select({ id: orders.id, createdAt: orders.createdAt })
    .from(orders)
    .where(and(eq(orders.userId, auth.userId), eq(orders.idempotencyKey, idempotencyKey)));
  return row;
}

const KEY_REMEMBERED_MS = 24 * 3600_000;

/**
 * The order this caller already placed with this Idempotency-Key, answered as
 * the first attempt was. The Redis record is not the only memory of a key: it
 * is dropped when an attempt fails with a 5xx (say the read-back after the
 * insert hit a connection limit) or when Redis is down, yet the order may be
 * saved and its cart already emptied. The unique (user, key) in Postgres makes
 * the retry find that order instead of answering "the cart is empty". Keys
 * are remembered for 24 hours, as in the Redis record and at Stripe.
 */
async function orderPlacedWith(deps: Deps, auth: Principal, idempotencyKey: string) {
  const row = await orderWithKey(deps, auth, idempotencyKey);
  if (!row || Date.now() - row.createdAt.getTime() > KEY_REMEMBERED_MS) return undefined;
  const order = (await loadOrder(deps, row.id)) as Order;
  const intentId = order.paymentIntentId ?? '';
  const gateway = deps.gatewayFor(intentId);
  const intent = await gateway.retrievePayment(intentId);
  return { order, payment: paymentNext(intent, gateway.provider), replayed: true };
}

/** What the client needs next to get the order paid (the answer's `payment`). */
function paymentNext(intent: PaymentState, provider?: string) {
  return {
    provider: (provider ?? providerOfPaymentId(intent.id)) as ProviderName,
    paymentIntentId: intent.id,
    clientSecret: intent.clientSecret,
    checkoutUrl: intent.checkoutUrl ?? null,
  };
}

/** Stripe's largest amount: eight digits of minor units (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const STRIPE_MAX_AMOUNT = 99_999_999;

/** Why a provider cannot take this order, or null: Payme and Click take UZS only; Stripe at most eight digits of minor units. */
function providerProblem(provider: ProviderName, currency: string, amount: number): string | null {
  if ((provider === 'payme' || provider === 'click') && currency !== 'UZS') return `${provider} takes payments in UZS only; this order is in ${currency}.`;
  if (provider === 'stripe' && amount > STRIPE_MAX_AMOUNT) return `Stripe takes at most ${STRIPE_MAX_AMOUNT} minor units in one payment; this order is ${amount} ${currency}.`;
  return null;
}

/**
 * The provider the checkout names, if this deployment offers it and it can
 * take the order (its currency, its amount); without a name, the first
 * provider offered that can (docs/payments-uzbekistan.md). Checked before any stock is reserved.
 */
function paymentProviderFor(deps: Deps, input: CreateOrderInput, currency: string, amount: number): ProviderName {
  const offered = deps.config.PAYMENT_PROVIDERS;
  const provider = input.payment?.provider ?? offered.find((p) => !providerProblem(p, currency, amount)) ?? (offered[0] as ProviderName);
  if (!offered.includes(provider)) {
    throw new PaymentProviderUnavailable(provider, `This store does not take ${provider} payments.`, offered);
  }
  const problem = providerProblem(provider, currency, amount);
  if (problem) throw new PaymentProviderUnavailable(provider, problem, offered);
  return provider;
}
