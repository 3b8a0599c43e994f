import { type CartKey, type CartLimits, type CartLine, cartFor, cartHoldId, cartName, type LineChange } from '../../durable-objects/cart-client';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps, Principal } from '../../shared/context';
import type { Locale } from '../../shared/locale';
import { Conflict, NotFound, OutOfStock, ValidationFailed } from '../../shared/errors';
import { assertMayHold } from './limits';
import { cachedCatalogFacts, cartCatalog } from './catalog-cache';
import { type CatalogEntry, cartIn, priceCart } from './pricing';
import { normalizeCode, loadPromotionContext, type PromotionContext } from '../promotions/public';
import { cachedAutomaticPromotions, discountCart, evaluateCart, MAX_CART_CODES, promotionContextFor } from './discounts';
import type { Cart } from './schemas';

export const CART_ID_HEADER = 'X-Cart-Id';
const CART_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new anonymous cart id: 256 random bits, unguessable. */
export function newCartId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * Which cart a request means: the signed-in user's, else the anonymous cart
 * named by X-Cart-Id, else a new anonymous cart (created on first use).
 */
export function resolveCart(principal: Principal | undefined, cartIdHeader: string | undefined): { key: CartKey; id: string; isNew: boolean } {
  if (principal) return { key: { kind: 'user', userId: principal.userId }, id: principal.userId, isNew: false };
  if (cartIdHeader !== undefined) {
    if (!CART_ID.test(cartIdHeader)) throw new ValidationFailed([{ path: CART_ID_HEADER, message: 'not a cart id' }]);
    return { key: { kind: 'anon', cartId: cartIdHeader }, id: cartIdHeader, isNew: false };
  }
  const cartId = newCartId();
  return { key: { kind: 'anon', cartId }, id: cartId, isNew: true };
}

const limitsOf = (deps: Deps): CartLimits => ({ maxLines: deps.config.CART_MAX_LINES, maxQuantity: deps.config.CART_MAX_QUANTITY });
const holdId = cartHoldId;
const holdSeconds = (deps: Deps) => deps.config.CART_HOLD_MINUTES * 60;

/** How a cart answer is built: `known` catalog entries (just read by the caller) are not looked up again, nor is a promotion `context`. */
export interface ViewOptions {
  known?: Map<string, CatalogEntry>;
  context?: PromotionContext;
  automatic?: Promise<PromotionContext>;
  /** The locale of the lines' names (the default locale when absent). */
  locale?: Locale;
}

/** The priced cart with its promotions, its lines named in `options.locale`. */
export async function viewCart(deps: Deps, key: CartKey, id: string, options: ViewOptions = {}): Promise<Cart> {
  const { known, context, automatic } = options;
  const { lines: stored, codes } = await cartFor(deps.env, key).contents();
  const now = new Date();
  const wantsPromotions = stored.length > 0 || codes.length > 0;
  const [catalog, lines, promotions] = await Promise.all([
    cartCatalog(deps, stored.map((l) => l.sku), known),
    withLiveHolds(deps, key, stored),
    context ?? (wantsPromotions ? promotionContextFor(deps, key, codes, now, automatic) : undefined),
  ]);
  const priced = priceCart(id, lines, catalog, deps.config);
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  if (!promotions) return cartIn(priced, catalog, locale, deps.config.DEFAULT_LOCALE);
  const result = evaluateCart(priced, catalog, promotions, codes, key.kind === 'user' ? key.userId : null, now);
  return cartIn(discountCart(priced, catalog, result, codes, deps.config), catalog, locale, deps.config.DEFAULT_LOCALE);
}

/**
 * Keeps a discount code with the cart and answers the cart with it applied, or with the reason it does
 * not apply (minimum not met, expired, ...). A code no promotion has is 404 and nothing is kept. One
 * round trip: the promotions read for the check are the ones the answer is priced with.
 */
export async function addDiscountCode(deps: Deps, key: CartKey, id: string, typed: string, locale?: Locale): Promise<Cart> {
  const code = normalizeCode(typed);
  const cart = cartFor(deps.env, key);
  const { codes } = await cart.contents();
  const entered = codes.includes(code) ? codes : [...codes, code];
  if (entered.length > MAX_CART_CODES) throw new Conflict(`A cart keeps at most ${MAX_CART_CODES} discount codes.`, { limit: MAX_CART_CODES });
  const context = await loadPromotionContext(deps, { codes: entered, now: new Date(), userId: key.kind === 'user' ? key.userId : null });
  if (!context.candidates.codes.some((c) => c.code === code)) throw new NotFound('discount code', code);
  const added = await cart.addCode(code, MAX_CART_CODES);
  if (!added.ok) throw new Conflict(`A cart keeps at most ${added.limit} discount codes.`, { limit: added.limit });
  return viewCart(deps, key, id, { context, locale });
}

/** Forgets a discount code the cart kept (404 when it has no such code). */
export async function removeDiscountCode(deps: Deps, key: CartKey, id: string, typed: string, locale?: Locale): Promise<Cart> {
  const code = normalizeCode(typed);
  if (!(await cartFor(deps.env, key).removeCode(code))) throw new NotFound('discount code', code);
  return viewCart(deps, key, id, { locale });
}

/**
 * The cart's copy of a hold's expiry can be later than the truth (the SKU's
 * object expires holds on its own): ask the object about each held line.
 */
async function withLiveHolds(deps: Deps, key: CartKey, lines: CartLine[]): Promise<CartLine[]> {
  const now = Date.now();
  return Promise.all(
    lines.map(async (line) => {
      if (line.holdExpiresAt === null || line.holdExpiresAt <= now) return line;
      const id = await holdId(key, line.sku);
      const live = (await inventoryFor(deps.env, line.sku).reservations()).some((r) => r.id === id);
      return live ? line : { ...line, holdExpiresAt: now };
    }),
  );
}

function assertChanged(result: LineChange, sku?: string): asserts result is Extract<LineChange, { ok: true }> {
  if (result.ok) return;
  if (result.reason === 'not_found') throw new NotFound('cart line');
  if (result.reason === 'line_limit') throw new Conflict(`A cart holds at most ${result.limit} lines.`, { limit: result.limit });
  throw new ValidationFailed([{ path: 'quantity', message: `at most ${result.limit} per line${sku ? ` (${sku})` : ''}` }]);
}

/**
 * With holds on (CART_HOLD_MINUTES > 0), a line keeps its units reserved; the
 * hold follows the line's quantity and is renewed by every change.
 */
async function holdStock(deps: Deps, key: CartKey, sku: string, quantity: number): Promise<number | null> {
  if (!holdSeconds(deps)) return null;
  const result = await inventoryFor(deps.env, sku).hold(await holdId(key, sku), quantity, holdSeconds(deps));
  if (!result.ok) throw new OutOfStock([{ sku, requested: quantity, available: result.available }]);
  return result.expiresAt;
}

async function releaseHolds(deps: Deps, key: CartKey, lines: CartLine[]): Promise<void> {
  if (!holdSeconds(deps)) return;
  await Promise.all(lines.map(async (l) => inventoryFor(deps.env, l.sku).release(await holdId(key, l.sku))));
}

export async function addItem(deps: Deps, key: CartKey, id: string, sku: string, quantity: number, locale?: Locale): Promise<Cart> {
  // The automatic promotions' cache entry is read with the SKU's (one Redis request); the answer prices with it.
  const automatic = cachedAutomaticPromotions(deps, new Date());
  automatic.catch(() => undefined);
  const known = await cachedCatalogFacts(deps, [sku]);
  const entry = known.get(sku);
  if (!entry) throw new NotFound('sku', sku);
  if (entry.status !== 'published') throw new Conflict(`${sku} is not for sale.`, { sku });
  const cart = cartFor(deps.env, key);
  const lines = await cart.lines();
  const current = lines.find((l) => l.sku === sku)?.quantity ?? 0;
  if (current + quantity > deps.config.CART_MAX_QUANTITY) {
    throw new ValidationFailed([{ path: 'quantity', message: `at most ${deps.config.CART_MAX_QUANTITY} per line` }]);
  }
  await assertMayHold(deps, key, entry, lines, current + quantity);
  const expiresAt = await holdStock(deps, key, sku, current + quantity);
  const result = await cart.addItem({ sku, quantity, price: entry.price, currency: entry.currency }, limitsOf(deps));
  if (!result.ok) {
    // Give back what the hold just took for a line that was not added.
    if (expiresAt !== null) await holdStockBack(deps, key, sku, current);
    assertChanged(result, sku);
  }
  if (expiresAt !== null) await cart.setHoldExpiry(sku, expiresAt);
  return viewCart(deps, key, id, { known, automatic, locale });
}

async function holdStockBack(deps: Deps, key: CartKey, sku: string, quantity: number): Promise<void> {
  const inventory = inventoryFor(deps.env, sku);
  const id = await holdId(key, sku);
  if (quantity > 0) await inventory.hold(id, quantity, holdSeconds(deps));
  else await inventory.release(id);
}

export async function setQuantity(deps: Deps, key: CartKey, id: string, lineId: string, quantity: number, locale?: Locale): Promise<Cart> {
  const cart = cartFor(deps.env, key);
  const lines = await cart.lines();
  const line = lines.find((l) => l.id === lineId);
  if (!line) throw new NotFound('cart line', lineId);
  if (quantity > deps.config.CART_MAX_QUANTITY) {
    throw new ValidationFailed([{ path: 'quantity', message: `at most ${deps.config.CART_MAX_QUANTITY} per line` }]);
  }
  // Growing a line is holding more: the anti-hoarding limits apply (shrinking never needs a check).
  if (quantity > line.quantity) {
    const entry = (await cachedCatalogFacts(deps, [line.sku])).get(line.sku);
    if (entry) await assertMayHold(deps, key, entry, lines, quantity);
  }
  const expiresAt = await holdStock(deps, key, line.sku, quantity);
  assertChanged(await cart.setQuantity(lineId, quantity, limitsOf(deps)));
  if (expiresAt !== null) await cart.setHoldExpiry(line.sku, expiresAt);
  return viewCart(deps, key, id, { locale });
}

export async function removeLine(deps: Deps, key: CartKey, id: string, lineId: string, locale?: Locale): Promise<Cart> {
  const removed = await cartFor(deps.env, key).removeLine(lineId);
  if (!removed) throw new NotFound('cart line', lineId);
  await releaseHolds(deps, key, [removed]);
  return viewCart(deps, key, id, { locale });
}

export async function clearCart(deps: Deps, key: CartKey): Promise<void> {
  const removed = await cartFor(deps.env, key).clear();
  await releaseHolds(deps, key, removed);
}

/**
 * Moves an anonymous cart's lines into the user's cart (quantities summed up
 * to the limits) and empties the anonymous cart. Safe to retry: the user's
 * cart remembers which revision of the source it merged.
 */
export async function mergeCarts(deps: Deps, auth: Principal, anonCartId: string, locale?: Locale): Promise<Cart> {
  const sourceKey: CartKey = { kind: 'anon', cartId: anonCartId };
  const source = cartFor(deps.env, sourceKey);
  const [{ lines, codes }, revision] = await Promise.all([source.contents(), source.revision()]);
  if (revision === 0) throw new NotFound('cart', anonCartId);
  const targetKey: CartKey = { kind: 'user', userId: auth.userId };
  const target = cartFor(deps.env, targetKey);
  await target.mergeLines(cartName(sourceKey), revision, lines, limitsOf(deps));
  // Discount codes come along too (up to the cart's limit; a code the user's cart has is kept once).
  for (const code of codes) await target.addCode(code, MAX_CART_CODES);
  await source.clear();
  if (holdSeconds(deps)) {
    // Holds move with the lines: the anonymous ones end first (their units are what the user's take).
    await releaseHolds(deps, sourceKey, lines);
    const merged = await target.lines();
    await Promise.all(
      merged.map(async (l) => {
        const result = await inventoryFor(deps.env, l.sku).hold(await holdId(targetKey, l.sku), l.quantity, holdSeconds(deps));
        if (result.ok) await target.setHoldExpiry(l.sku, result.expiresAt);
      }),
    );
  }
  return viewCart(deps, targetKey, auth.userId, { locale });
}

/** Signing in with an anonymous cart (X-Cart-Id) brings its lines along; never fails the sign-in. */
export async function mergeOnSignIn(deps: Deps, userId: string, anonCartId: string | undefined): Promise<void> {
  if (!anonCartId || !CART_ID.test(anonCartId)) return;
  try {
    await mergeCarts(deps, { userId, role: 'customer', jti: '', sessionId: '', exp: 0 }, anonCartId);
  } catch (err) {
    if (!(err instanceof NotFound)) deps.logger.warn('cart merge at sign-in failed', { error: String(err) });
  }
}
