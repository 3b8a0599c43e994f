import { cartFor } from '../../durable-objects/cart-client';
import type { Deps, Principal } from '../../shared/context';
import {
  CheckoutInProgress,
  EmailNotVerified,
  PaymentProviderUnavailable,
  PriceChanged,
  PurchaseLimitExceeded,
  TooManyCashOrders,
  TooManyUnpaidOrders,
  UnitLimitExceeded,
} from '../../shared/errors';
import type { Cart, CatalogEntry, Holdings } from '../cart/public';
import type { CreateOrderInput } from './schemas';

/**
 * What a checkout must pass before it reserves anything: the total the
 * shopper was shown (when sent), then the anti-hoarding limits — verified
 * email (when required), unpaid orders, units per SKU, the sellers' purchase
 * limits, against what the customer holds (`held`, read with the catalog).
 * Concurrency: the caller holds the cart's checkout lease (`withCheckoutLease`),
 * so no other checkout of this customer can add an order between this count
 * and the order's insert.
 */
export function assertCheckoutAllowed(
  deps: Deps,
  auth: Principal,
  input: CreateOrderInput,
  priced: Cart,
  catalog: Map<string, CatalogEntry>,
  held: Holdings,
): void {
  const expected = input.expectedTotal;
  if (expected && (expected.amount !== priced.total || expected.currency !== priced.currency)) throw new PriceChanged(expected, priced);

  const { MAX_UNPAID_ORDERS: maxUnpaid, MAX_UNITS_PER_SKU: unitCap, CHECKOUT_REQUIRES_VERIFIED_EMAIL: needsVerified } = deps.config;
  const limited = new Map<string, { entry: CatalogEntry; quantity: number }>();
  for (const line of priced.lines) {
    const entry = catalog.get(line.sku);
    if (!entry || entry.purchaseLimit === null) continue;
    const product = limited.get(entry.productId) ?? { entry, quantity: 0 };
    product.quantity += line.quantity;
    limited.set(entry.productId, product);
  }
  if (!maxUnpaid && !unitCap && !needsVerified && !limited.size) return;

  if (needsVerified && !held.emailVerified) throw new EmailNotVerified();
  if (maxUnpaid && held.unpaidOrders >= maxUnpaid) throw new TooManyUnpaidOrders(maxUnpaid);
  if (unitCap) {
    for (const line of priced.lines) {
      const units = (held.unpaidUnits[line.sku] ?? 0) + line.quantity;
      if (units > unitCap) throw new UnitLimitExceeded(line.sku, unitCap, units);
    }
  }
  for (const [productId, { entry, quantity }] of limited) {
    const bought = held.bought[productId] ?? 0;
    if (entry.purchaseLimit !== null && bought + quantity > entry.purchaseLimit) {
      throw new PurchaseLimitExceeded(entry.sku, productId, entry.purchaseLimit, bought);
    }
  }
}

/** Long enough for the slowest checkout (Stripe's client gives up sooner); a crashed one frees the cart after it. */
const LEASE_MS = 30_000;
/** How long a second checkout waits for the first before it answers 409 CHECKOUT_IN_PROGRESS. */
const WAIT_MS = 10_000;
const POLL_MS = 100;

/**
 * Runs `placing` while holding the customer's cart for one checkout at a
 * time. A second checkout (another Idempotency-Key, another tab) waits for the
 * first, then finds the cart it emptied or the unpaid orders it added, and is
 * answered accordingly; after WAIT_MS it gets 409 CHECKOUT_IN_PROGRESS.
 */
export async function withCheckoutLease<T>(deps: Deps, auth: Principal, placing: () => Promise<T>): Promise<T> {
  const cart = cartFor(deps.env, { kind: 'user', userId: auth.userId });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const lease = await cart.beginCheckout(LEASE_MS);
    if (lease.ok) {
      try {
        return await placing();
      } finally {
        await cart.endCheckout(lease.token).catch((err: unknown) => deps.logger.warn('checkout lease not ended', { error: String(err) }));
      }
    }
    if (Date.now() + POLL_MS > deadline) throw new CheckoutInProgress(Math.max(1, Math.ceil(lease.retryInMs / 1000)));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * What a cash-on-delivery checkout must pass besides the rest
 * (docs/cash-on-delivery.md): every product's seller takes cash for it
 * (`cashOnDelivery`, read with the catalog: no round trip of its own), else
 * 409 PAYMENT_PROVIDER_UNAVAILABLE naming the SKUs; and the customer has
 * fewer than CASH_MAX_OPEN_ORDERS cash orders not yet collected nor
 * cancelled, else 409 TOO_MANY_CASH_ORDERS. Checked before anything is
 * reserved, under the same checkout lease as the other limits.
 */
export function assertCashAllowed(deps: Deps, priced: Cart, catalog: Map<string, CatalogEntry>, held: Holdings): void {
  const refused = [...new Set(priced.lines.filter((l) => catalog.get(l.sku)?.cashOnDelivery === false).map((l) => l.sku))];
  if (refused.length) {
    throw new PaymentProviderUnavailable('cash', `Cash on delivery is not taken for ${refused.join(', ')}; pay online or remove them.`, deps.config.PAYMENT_PROVIDERS, {
      skus: refused,
    });
  }
  const cap = deps.config.CASH_MAX_OPEN_ORDERS;
  if (cap && held.openCashOrders >= cap) throw new TooManyCashOrders(cap);
}
