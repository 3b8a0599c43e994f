import type { Bindings } from '../shared/env';

/** The cart's line and limit types, for callers that read or price a cart. */
export type { CartLimits, CartLine, LineChange } from './cart';

/** Which cart: a signed-in user's, or an anonymous one addressed by its opaque id. */
export type CartKey = { kind: 'user'; userId: string } | { kind: 'anon'; cartId: string };

export const cartName = (key: CartKey) => (key.kind === 'user' ? `cart:user:${key.userId}` : `cart:anon:${key.cartId}`);

/** The only place that names cart objects. */
export function cartFor(env: Pick<Bindings, 'CART'>, key: CartKey) {
  return env.CART.get(env.CART.idFromName(cartName(key)));
}
