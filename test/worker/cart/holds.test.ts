import { beforeAll, describe, expect, it } from 'vitest';
import { cartHoldId } from '../../../durable-objects/cart-client';
import { expectProblem } from '../../support/app';
import { createUser } from '../../support/users';
import {
  anonCart,
  cartOf,
  client,
  createShop,
  expireCartHolds,
  expireHold,
  holds,
  level,
  lineOf,
  mirror,
  product,
  quantities,
  self,
  type Shop,
  stock,
  viewAnon,
  viewMine,
} from './helpers';

/** Every request of these tests runs with holds on: a cart line keeps its units reserved for a minute. */
const held = client({ CART_HOLD_MINUTES: '1' });
const anonHold = (cartId: string, sku: string) => cartHoldId({ kind: 'anon', cartId }, sku);
const userHold = (userId: string, sku: string) => cartHoldId({ kind: 'user', userId }, sku);

describe('cart holds (CART_HOLD_MINUTES 1)', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await createShop();
  });

  const stocked = async (onHand: number) => {
    const p = await product(shop, 1000);
    await stock(shop, p.sku, onHand);
    return p.sku;
  };

  it('adding reserves the line’s quantity for a minute; adding more grows the same hold', async () => {
    const sku = await stocked(5);
    const before = Date.now();
    const { cartId, cart } = await anonCart([[sku, 3]], held);
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 3, available: 2 });
    const [hold] = await holds(sku);
    expect(hold).toMatchObject({ id: await anonHold(cartId, sku), qty: 3 });
    const expiresAt = Date.parse(cart.lines[0]?.holdExpiresAt ?? '');
    expect(expiresAt).toBe(Date.parse(hold?.expiresAt ?? ''));
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);

    await cartOf(await held('POST', '/cart/items', { cartId, body: { sku, quantity: 1 } }), 201);
    expect(await level(sku)).toMatchObject({ reserved: 4, available: 1 });
    expect(await holds(sku)).toEqual([expect.objectContaining({ id: await anonHold(cartId, sku), qty: 4 })]);

    // Once mirrored, the read table counts the hold as reserved, yet it is this cart's to buy.
    await mirror(sku);
    const view = await viewAnon(cartId, held);
    expect(lineOf(view, sku)).toMatchObject({ quantity: 4, available: 5, inStock: true });
    expect(view.problems).toEqual([]);
  });

  it('without holds (the default) adding reserves nothing', async () => {
    const sku = await stocked(5);
    const { cart } = await anonCart([[sku, 3]]);
    expect(cart.lines[0]?.holdExpiresAt).toBeNull();
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
  });

  it('held units cannot go to another cart: 409 OUT_OF_STOCK, and nothing is added', async () => {
    const sku = await stocked(3);
    await anonCart([[sku, 3]], held);
    const other = await createUser();
    const problem = await expectProblem(await held('POST', '/cart/items', { token: other.accessToken, body: { sku, quantity: 1 } }), 409, 'OUT_OF_STOCK');
    expect(problem.items).toEqual([{ sku, requested: 1, available: 0 }]);
    expect((await viewMine(other, held)).lines).toEqual([]);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
    expect((await holds(sku)).map((h) => h.id)).not.toContain(await userHold(other.id, sku));
  });

  it('changing the quantity changes the hold; growing needs free units', async () => {
    const sku = await stocked(3);
    const { cartId, cart } = await anonCart([[sku, 3]], held);
    const lineId = cart.lines[0]?.id;
    const other = await createUser();

    const down = await cartOf(await held('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 2 } }));
    expect(await level(sku)).toMatchObject({ reserved: 2, available: 1 });
    expect(Date.parse(down.lines[0]?.holdExpiresAt ?? '')).toBeGreaterThanOrEqual(Date.parse(cart.lines[0]?.holdExpiresAt ?? ''));

    // The freed unit can now go to another cart.
    await cartOf(await held('POST', '/cart/items', { token: other.accessToken, body: { sku, quantity: 1 } }), 201);
    expect(await level(sku)).toMatchObject({ reserved: 3, available: 0 });

    // Growing back needs a unit nobody holds.
    const problem = await expectProblem(await held('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 3 } }), 409, 'OUT_OF_STOCK');
    expect(problem.items).toEqual([{ sku, requested: 3, available: 2 }]);
    expect(quantities(await viewAnon(cartId, held))).toEqual({ [sku]: 2 });
    expect(await holds(sku)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: await anonHold(cartId, sku), qty: 2 }),
        expect.objectContaining({ id: await userHold(other.id, sku), qty: 1 }),
      ]),
    );

    await cartOf(await held('PATCH', `/cart/items/${lineId}`, { cartId, body: { quantity: 1 } }));
    expect(await level(sku)).toMatchObject({ reserved: 2, available: 1 });
  });

  it('removing the line or clearing the cart releases the hold', async () => {
    const [one, two] = [await stocked(4), await stocked(4)];
    const { cartId, cart } = await anonCart([[one, 2], [two, 3]], held);
    expect(await level(one)).toMatchObject({ reserved: 2 });
    expect(await level(two)).toMatchObject({ reserved: 3 });

    await cartOf(await held('DELETE', `/cart/items/${lineOf(cart, one)?.id}`, { cartId }));
    expect(await level(one)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect(await level(two)).toMatchObject({ reserved: 3 });

    expect((await held('DELETE', '/cart', { cartId })).status).toBe(204);
    expect(await level(two)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect(await holds(two)).toEqual([]);
  });

  it('a refused add gives back what its hold took (line limit, quantity limit)', async () => {
    const oneLine = client({ CART_HOLD_MINUTES: '1', CART_MAX_LINES: '1' });
    const [first, second] = [await stocked(5), await stocked(5)];
    const { cartId } = await anonCart([[first, 2]], oneLine);
    await expectProblem(await oneLine('POST', '/cart/items', { cartId, body: { sku: second, quantity: 2 } }), 409, 'CONFLICT');
    expect(await level(second)).toMatchObject({ reserved: 0, available: 5 });
    await expectProblem(await oneLine('POST', '/cart/items', { cartId, body: { sku: first, quantity: 98 } }), 400, 'VALIDATION_FAILED');
    expect(await level(first)).toMatchObject({ reserved: 2, available: 3 });
  });

  it('an expired hold frees its units for others and the cart shows hold_expired', async () => {
    const sku = await stocked(2);
    const { cartId } = await anonCart([[sku, 2]], held);
    const other = await createUser();
    await expectProblem(await held('POST', '/cart/items', { token: other.accessToken, body: { sku, quantity: 2 } }), 409, 'OUT_OF_STOCK');

    // Time passes: the hold lapses in the InventoryDO (and in the cart's copy of its expiry).
    await expireHold(sku, await anonHold(cartId, sku));
    await expireCartHolds({ kind: 'anon', cartId });
    expect(await level(sku)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });

    await cartOf(await held('POST', '/cart/items', { token: other.accessToken, body: { sku, quantity: 2 } }), 201);
    await mirror(sku);
    const cart = await viewAnon(cartId, held);
    const lineId = lineOf(cart, sku)?.id;
    expect(cart.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ lineId, sku, code: 'hold_expired' }),
        expect.objectContaining({ lineId, sku, code: 'insufficient_stock', available: 0 }),
      ]),
    );
    expect(cart.problems).toHaveLength(2);
    expect(lineOf(cart, sku)).toMatchObject({ available: 0, inStock: false });
  });

  it('a hold the InventoryDO expired shows as hold_expired even though the cart’s copy of its expiry is later', async () => {
    const sku = await stocked(2);
    const { cartId } = await anonCart([[sku, 2]], held);
    await expireHold(sku, await anonHold(cartId, sku));
    const other = await createUser();
    await cartOf(await held('POST', '/cart/items', { token: other.accessToken, body: { sku, quantity: 2 } }), 201);
    await mirror(sku);

    const cart = await viewAnon(cartId, held);
    expect(cart.problems.map((p) => p.code).sort()).toEqual(['hold_expired', 'insufficient_stock']);
    expect(lineOf(cart, sku)).toMatchObject({ available: 0, inStock: false });
  });

  it('after an expired hold, changing the quantity holds again when the units are still free', async () => {
    const sku = await stocked(3);
    const { cartId, cart } = await anonCart([[sku, 2]], held);
    await expireHold(sku, await anonHold(cartId, sku));
    await expireCartHolds({ kind: 'anon', cartId });
    expect((await viewAnon(cartId, held)).problems.map((p) => p.code)).toContain('hold_expired');

    const renewed = await cartOf(await held('PATCH', `/cart/items/${cart.lines[0]?.id}`, { cartId, body: { quantity: 3 } }));
    expect(await level(sku)).toMatchObject({ reserved: 3, available: 0 });
    expect(Date.parse(renewed.lines[0]?.holdExpiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(renewed.problems.map((p) => p.code)).not.toContain('hold_expired');
  });

  it('merging at login moves the hold to the user’s cart, even when every unit is held', async () => {
    const sku = await stocked(2);
    const { cartId } = await anonCart([[sku, 2]], held);
    const user = await createUser();
    const res = await held('POST', '/auth/login', { body: { email: user.email, password: user.password }, headers: { 'x-cart-id': cartId } });
    expect(res.status, await res.text()).toBe(200);

    const mine = await viewMine(user, held);
    expect(quantities(mine)).toEqual({ [sku]: 2 });
    expect(await holds(sku)).toEqual([expect.objectContaining({ id: await userHold(user.id, sku), qty: 2 })]);
    expect(await level(sku)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    expect(mine.lines[0]?.holdExpiresAt).not.toBeNull();
  });

  it('POST /cart/merge sums held lines into one hold', async () => {
    const sku = await stocked(3);
    const user = await createUser();
    await cartOf(await held('POST', '/cart/items', { token: user.accessToken, body: { sku, quantity: 1 } }), 201);
    const { cartId } = await anonCart([[sku, 2]], held);
    const merged = await cartOf(await held('POST', '/cart/merge', { token: user.accessToken, body: { cartId } }));
    expect(quantities(merged)).toEqual({ [sku]: 3 });
    expect(await holds(sku)).toEqual([expect.objectContaining({ id: await userHold(user.id, sku), qty: 3 })]);
    expect(merged.lines[0]?.holdExpiresAt).not.toBeNull();
    // The default (no holds) client is unaffected by all this.
    expect((await viewAnon(cartId, self)).lines).toEqual([]);
  });

  it('the SKU owner’s stock view never shows a cart id: hold ids are one-way hashes of the cart', async () => {
    const sku = await stocked(5);
    const { cartId } = await anonCart([[sku, 2]], held);
    const user = await createUser();
    await cartOf(await held('POST', '/cart/items', { token: user.accessToken, body: { sku, quantity: 1 } }), 201);

    const res = await held('GET', `/inventory/${sku}`, { token: shop.seller.accessToken });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const { reservations } = JSON.parse(text) as { reservations: Array<{ id: string; qty: number }> };
    expect(reservations.map((r) => r.qty).sort()).toEqual([1, 2]);
    // The anonymous cart's id opens that cart; the user id is not the seller's business either.
    expect(text).not.toContain(cartId);
    expect(text).not.toContain(user.id);
    for (const r of reservations) expect(r.id).toMatch(new RegExp(`^cart:[0-9a-f]{32}:${sku}$`));
  });
});
