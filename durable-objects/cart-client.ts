import type { Bindings } from '../shared/env';

/** The cart's line and limit types, for callers that read or price a cart. */
export type { CartContents, CartLimits, CartLine, LineChange } from './cart';

/** Which cart: a signed-in user's, or an anonymous one addressed by its opaque id. */
export type CartKey = { kind: 'user'; userId: string } | { kind: 'anon'; cartId: string };

export const cartName = (key: CartKey) => (key.kind === 'user' ? `cart:user:${key.userId}` : `cart:anon:${key.cartId}`);

/** The only place that names cart objects. */
export function cartFor(env: Pick<Bindings, 'CART'>, key: CartKey) {
  return env.CART.get(env.CART.idFromName(cartName(key)));
}

/**
 * The id of the stock hold a cart line keeps on its SKU's InventoryDO. Sellers
 * see hold ids (their stock view lists them), and an anonymous cart's id is
 * the only secret that opens that cart: the id is therefore a one-way hash of
 * the cart's name, never the name itself. It is the same for the same cart and
 * SKU, so holding again stays idempotent.
 */
export async function cartHoldId(key: CartKey, sku: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(cartName(key))));
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `cart:${hex}:${sku}`;
}
