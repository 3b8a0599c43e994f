import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sellerOrders } from '../../../shared/db/schema';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { ADDRESS, addToCart, level, placeOrder, type Placed, setStock } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { createMethod, createPoint, createZone, type MethodBody, methodBody, ok, type PointBody, pointBody, TEST_COUNTRY, uniqueRegion } from './support';

interface Option {
  methodId: string;
  sellerId: string | null;
  kind: string;
  price: number;
  minDays: number;
  maxDays: number;
  pickupPoints: Array<{ id: string }>;
}
interface Options {
  currency: string;
  groups: Array<{ sellerId: string; subtotal: number; weightGrams: number | null; choiceRequired: boolean; options: Option[] }>;
}
interface Problem {
  code: string;
  status: number;
  sellerId: string;
  problems: Array<{ sellerId: string; problem: string }>;
}

let admin: TestUser;
let category: { id: string };

beforeAll(async () => {
  admin = await createUser('admin');
  category = await createCategory(admin);
});

/** A seller with one product of the given price and weight, 10 in stock. */
async function sellerWith(price: number, weightGrams: number | null) {
  const seller = await createUser('seller');
  const sku = `SH-${crypto.randomUUID().slice(0, 12)}`;
  await createProduct(seller, productInput(category.id, { variants: [{ sku, price, currency: 'USD', weightGrams }] }));
  await setStock(seller, sku, 10);
  return { seller, sku };
}

/**
 * Two sellers in one region of their own: A (2 × 2000, 1.5 kg each) with its own courier by weight and a
 * pickup method with one point here and one elsewhere; B (1 × 3000, 800 g) with nothing of its own. The
 * platform's post reaches the region at a flat 700, free from 5000.
 */
async function world() {
  const region = uniqueRegion();
  const elsewhere = uniqueRegion();
  const zone = await createZone(admin, TEST_COUNTRY, [region]);
  const otherZone = await createZone(admin, TEST_COUNTRY, [elsewhere]);
  const a = await sellerWith(2000, 1500);
  const b = await sellerWith(3000, 800);
  const courier = await createMethod(
    a.seller,
    methodBody(zone.id, {
      minDays: 1,
      maxDays: 2,
      rates: [{ zoneId: zone.id, type: 'weight', bands: [{ upToGrams: 2000, amount: 400 }, { upToGrams: 5000, amount: 900 }] }],
    }),
  );
  const pickup = await createMethod(a.seller, methodBody(zone.id, { kind: 'pickup', minDays: 2, maxDays: 4, rates: [{ zoneId: zone.id, type: 'flat', amount: 150 }] }));
  const point = await createPoint(a.seller, pointBody(TEST_COUNTRY, region));
  const farPoint = await createPoint(a.seller, pointBody(TEST_COUNTRY, elsewhere));
  const post = await createMethod(
    admin,
    methodBody(zone.id, { kind: 'post', minDays: 3, maxDays: 7, rates: [{ zoneId: zone.id, type: 'flat', amount: 700, freeAbove: 5000 }] }),
  );
  // A method in another region only: never offered here.
  await createMethod(a.seller, methodBody(otherZone.id, { rates: [{ zoneId: otherZone.id, type: 'flat', amount: 1 }] }));
  const buyer = await createUser();
  await addToCart(buyer, a.sku, 2);
  await addToCart(buyer, b.sku, 1);
  const address = { ...ADDRESS, country: TEST_COUNTRY, regionCode: region };
  return { region, a, b, courier, pickup, point, farPoint, post, buyer, address };
}

const order = (buyer: TestUser, address: Record<string, unknown>, shipping?: unknown, extra: Record<string, unknown> = {}) =>
  placeOrder(buyer, crypto.randomUUID(), { shippingAddress: address, ...(shipping ? { shipping } : {}), ...extra });

async function expectRefused(res: Response, sellerId: string, problem: string) {
  const body = await ok<Problem>(res, 409);
  expect(body.code).toBe('SHIPPING_CHOICE_INVALID');
  expect(body.sellerId).toBe(sellerId);
  expect(body.problems).toContainEqual(expect.objectContaining({ sellerId, problem }));
}

describe('shipping options for the cart', () => {
  it('per seller group: its own methods and the platform’s that reach the region, priced for the group, pickup with the region’s points', async () => {
    const w = await world();
    const options = await ok<Options>(
      await api('GET', `/shipping/options?country=${TEST_COUNTRY}&regionCode=${w.region}`, { token: w.buyer.accessToken }),
      200,
    );
    expect(options.currency).toBe('USD');
    const groupA = options.groups.find((g) => g.sellerId === w.a.seller.id);
    const groupB = options.groups.find((g) => g.sellerId === w.b.seller.id);
    expect(groupA).toMatchObject({ subtotal: 4000, weightGrams: 3000, choiceRequired: true });
    // Cheapest first: pickup 150, courier 3 kg → second band 900, post 700 (subtotal 4000 < 5000).
    expect(groupA?.options.map((o) => [o.methodId, o.price])).toEqual([
      [w.pickup.id, 150],
      [w.post.id, 700],
      [w.courier.id, 900],
    ]);
    expect(groupA?.options.find((o) => o.methodId === w.pickup.id)?.pickupPoints.map((p) => p.id)).toEqual([w.point.id]);
    expect(groupB).toMatchObject({ subtotal: 3000, weightGrams: 800, choiceRequired: true });
    expect(groupB?.options.map((o) => [o.methodId, o.price, o.minDays, o.maxDays])).toEqual([[w.post.id, 700, 3, 7]]);
  });

  it('by a saved address (signed in); someone else’s address is 404; a bad UZ region is 400', async () => {
    const w = await world();
    const saved = await ok<{ id: string }>(await api('POST', '/users/me/addresses', { token: w.buyer.accessToken, body: w.address }), 201);
    const options = await ok<Options>(await api('GET', `/shipping/options?addressId=${saved.id}`, { token: w.buyer.accessToken }), 200);
    expect(options.groups.every((g) => g.choiceRequired)).toBe(true);
    const stranger = await createUser();
    await ok(await api('GET', `/shipping/options?addressId=${saved.id}`, { token: stranger.accessToken }), 404);
    await ok(await api('GET', `/shipping/options?addressId=${saved.id}`), 401);
    await ok(await api('GET', '/shipping/options?country=UZ&regionCode=UZ-00', { token: w.buyer.accessToken }), 400);
    await ok(await api('GET', '/shipping/options', { token: w.buyer.accessToken }), 400);
  });

  it('an anonymous cart (X-Cart-Id) gets its options too', async () => {
    const w = await world();
    const added = await api('POST', '/cart/items', { body: { sku: w.b.sku, quantity: 1 } });
    expect(added.status).toBe(201);
    const cartId = added.headers.get('x-cart-id') ?? '';
    const options = await ok<Options>(
      await api('GET', `/shipping/options?country=${TEST_COUNTRY}&regionCode=${w.region}`, { headers: { 'x-cart-id': cartId } }),
      200,
    );
    expect(options.groups.map((g) => [g.sellerId, g.options.map((o) => o.methodId)])).toEqual([[w.b.seller.id, [w.post.id]]]);
  });

  it('a rate in a zone naming the region wins over the same method’s whole-country rate; elsewhere the country rate applies', async () => {
    const country = 'XW'; // only this test ships to XW: its whole-country zone reaches no one else's cart
    const region = uniqueRegion();
    const whole = await createZone(admin, country, []);
    const local = await createZone(admin, country, [region]);
    const a = await sellerWith(1000, 100);
    const method = await createMethod(
      a.seller,
      methodBody(whole.id, { rates: [{ zoneId: whole.id, type: 'flat', amount: 900 }, { zoneId: local.id, type: 'flat', amount: 300 }] }),
    );
    const buyer = await createUser();
    await addToCart(buyer, a.sku, 1);
    const priceAt = async (regionCode: string) => {
      const options = await ok<Options>(await api('GET', `/shipping/options?country=${country}&regionCode=${regionCode}`, { token: buyer.accessToken }), 200);
      return options.groups[0]?.options.find((o) => o.methodId === method.id)?.price;
    };
    expect(await priceAt(region)).toBe(300);
    expect(await priceAt(uniqueRegion())).toBe(900);
    const noRegion = await ok<Options>(await api('GET', `/shipping/options?country=${country}`, { token: buyer.accessToken }), 200);
    expect(noRegion.groups[0]?.options.map((o) => o.price)).toEqual([900]);
  });

  it('where nothing is configured, every group ships at the flat rate and needs no choice', async () => {
    const w = await world();
    const options = await ok<Options>(await api('GET', `/shipping/options?country=${TEST_COUNTRY}&regionCode=${uniqueRegion()}`, { token: w.buyer.accessToken }), 200);
    expect(options.groups.map((g) => [g.choiceRequired, g.options.length])).toEqual([
      [false, 0],
      [false, 0],
    ]);
  });
});

describe('checkout with shipping choices', () => {
  it('computes each seller order’s shipping from its choice and snapshots it; the order adds up; tax as before', async () => {
    const w = await world();
    const res = await order(w.buyer, w.address, [
      { sellerId: w.a.seller.id, methodId: w.courier.id },
      { sellerId: w.b.seller.id, methodId: w.post.id },
    ]);
    const placed = await ok<Placed>(res, 201);
    // Subtotal 7000, tax 12 % = 840; shipping A 900 (3 kg) + B 700.
    expect(placed.order).toMatchObject({ subtotal: 7000, tax: 840, shipping: 1600, total: 9440 });
    const rows = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.order.id)));
    const of = (sellerId: string) => rows.find((r) => r.sellerId === sellerId);
    expect(of(w.a.seller.id)).toMatchObject({ subtotal: 4000, shipping: 900, shippingMethodId: w.courier.id });
    expect(of(w.a.seller.id)?.shippingChoice).toMatchObject({ methodId: w.courier.id, kind: 'courier', minDays: 1, maxDays: 2, pickupPoint: null });
    expect(of(w.b.seller.id)).toMatchObject({ subtotal: 3000, shipping: 700, shippingMethodId: w.post.id });
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(placed.order.total);
    expect(rows.reduce((s, r) => s + r.tax, 0)).toBe(840);
    expect(rows.reduce((s, r) => s + r.shipping, 0)).toBe(1600);
  });

  it('a pickup choice needs one of the method’s points in the address’s region; the point is snapshotted', async () => {
    const w = await world();
    const post = { sellerId: w.b.seller.id, methodId: w.post.id };
    await expectRefused(await order(w.buyer, w.address, [{ sellerId: w.a.seller.id, methodId: w.pickup.id }, post]), w.a.seller.id, 'pickup_point_required');
    await expectRefused(
      await order(w.buyer, w.address, [{ sellerId: w.a.seller.id, methodId: w.pickup.id, pickupPointId: w.farPoint.id }, post]),
      w.a.seller.id,
      'pickup_point_invalid',
    );
    await expectRefused(
      await order(w.buyer, w.address, [{ sellerId: w.a.seller.id, methodId: w.courier.id, pickupPointId: w.point.id }, post]),
      w.a.seller.id,
      'pickup_point_not_allowed',
    );
    const placed = await ok<Placed>(await order(w.buyer, w.address, [{ sellerId: w.a.seller.id, methodId: w.pickup.id, pickupPointId: w.point.id }, post]), 201);
    expect(placed.order.shipping).toBe(850);
    const [row] = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.order.id)).then((r) => r.filter((x) => x.sellerId === w.a.seller.id)));
    expect(row?.shippingChoice?.pickupPoint).toMatchObject({ id: w.point.id, regionCode: w.region });
  });

  it('a missing or unavailable choice is a 409 naming the seller; nothing is placed and no stock is reserved', async () => {
    const w = await world();
    const other = await sellerWith(100, 10);
    const theirs = await createMethod(other.seller, methodBody((await createZone(admin, TEST_COUNTRY, [w.region])).id));
    const attempts: Array<[unknown, string, string]> = [
      [undefined, w.a.seller.id, 'missing'],
      [[{ sellerId: w.a.seller.id, methodId: w.courier.id }], w.b.seller.id, 'missing'],
      [[{ sellerId: w.a.seller.id, methodId: w.courier.id }, { sellerId: w.b.seller.id, methodId: w.courier.id }], w.b.seller.id, 'method_unavailable'],
      [[{ sellerId: w.a.seller.id, methodId: theirs.id }, { sellerId: w.b.seller.id, methodId: w.post.id }], w.a.seller.id, 'method_unavailable'],
      [
        [{ sellerId: w.a.seller.id, methodId: w.courier.id }, { sellerId: w.b.seller.id, methodId: w.post.id }, { sellerId: other.seller.id, methodId: theirs.id }],
        other.seller.id,
        'seller_not_in_cart',
      ],
    ];
    for (const [shipping, sellerId, problem] of attempts) await expectRefused(await order(w.buyer, w.address, shipping), sellerId, problem);
    // One seller named twice: a 400 on the body, before anything is read.
    const twice = await order(w.buyer, w.address, [
      { sellerId: w.a.seller.id, methodId: w.courier.id },
      { sellerId: w.a.seller.id, methodId: w.post.id },
      { sellerId: w.b.seller.id, methodId: w.post.id },
    ]);
    expect(twice.status, await twice.clone().text()).toBe(400);
    expect(await twice.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    // Another region: the methods chosen do not reach it.
    await expectRefused(
      await order(w.buyer, { ...w.address, regionCode: uniqueRegion() }, [{ sellerId: w.a.seller.id, methodId: w.courier.id }]),
      w.a.seller.id,
      'method_unavailable',
    );
    const orders = await ok<{ data: unknown[] }>(await api('GET', '/orders', { token: w.buyer.accessToken }), 200);
    expect(orders.data).toEqual([]);
    expect(await level(w.a.sku)).toMatchObject({ reserved: 0, available: 10 });
    expect(await level(w.b.sku)).toMatchObject({ reserved: 0, available: 10 });
    const cart = await ok<{ lines: unknown[] }>(await api('GET', '/cart', { token: w.buyer.accessToken }), 200);
    expect(cart.lines).toHaveLength(2);
  });

  it('a deactivated method is no longer offered nor accepted', async () => {
    const w = await world();
    await ok<MethodBody>(await api('PATCH', `/shipping/methods/${w.courier.id}`, { token: w.a.seller.accessToken, body: { active: false } }), 200);
    await expectRefused(
      await order(w.buyer, w.address, [{ sellerId: w.a.seller.id, methodId: w.courier.id }, { sellerId: w.b.seller.id, methodId: w.post.id }]),
      w.a.seller.id,
      'method_unavailable',
    );
    await ok<PointBody>(await api('PATCH', `/shipping/pickup-points/${w.point.id}`, { token: w.a.seller.accessToken, body: { active: false } }), 200);
    const options = await ok<Options>(await api('GET', `/shipping/options?country=${TEST_COUNTRY}&regionCode=${w.region}`, { token: w.buyer.accessToken }), 200);
    expect(options.groups.find((g) => g.sellerId === w.a.seller.id)?.options.map((o) => o.methodId)).toEqual([w.post.id]);
  });

  it('expectedTotal is checked against the total with the chosen shipping', async () => {
    const w = await world();
    const choices = [
      { sellerId: w.a.seller.id, methodId: w.courier.id },
      { sellerId: w.b.seller.id, methodId: w.post.id },
    ];
    const stale = await order(w.buyer, w.address, choices, { expectedTotal: { amount: 7840, currency: 'USD' } });
    expect((await ok<{ code: string }>(stale, 409)).code).toBe('PRICE_CHANGED');
    await ok(await order(w.buyer, w.address, choices, { expectedTotal: { amount: 9440, currency: 'USD' } }), 201);
  });

  it('by a saved address: the same amounts, read with the candidates', async () => {
    const w = await world();
    const saved = await ok<{ id: string }>(await api('POST', '/users/me/addresses', { token: w.buyer.accessToken, body: w.address }), 201);
    const res = await placeOrder(w.buyer, crypto.randomUUID(), {
      shippingAddressId: saved.id,
      shipping: [
        { sellerId: w.a.seller.id, methodId: w.courier.id },
        { sellerId: w.b.seller.id, methodId: w.post.id },
      ],
    });
    const placed = await ok<Placed & { order: { shippingAddress: Record<string, unknown> } }>(res, 201);
    expect(placed.order).toMatchObject({ shipping: 1600, total: 9440 });
    expect(placed.order.shippingAddress).toMatchObject({ country: TEST_COUNTRY, regionCode: w.region, city: ADDRESS.city });
  });
});

describe('fallback to the flat rate', () => {
  it('with no method for the address, no choice is needed and shipping is the flat rate, as before', async () => {
    const a = await sellerWith(2000, 100);
    const b = await sellerWith(3000, 100);
    const buyer = await createUser();
    await addToCart(buyer, a.sku, 1);
    await addToCart(buyer, b.sku, 1);
    const placed = await ok<Placed>(await order(buyer, { ...ADDRESS, country: TEST_COUNTRY, regionCode: uniqueRegion() }), 201);
    expect(placed.order).toMatchObject({ subtotal: 5000, tax: 600, shipping: 500, total: 6100 });
    const rows = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.order.id)));
    expect(rows.map((r) => [r.shipping, r.shippingMethodId, r.shippingChoice]).sort()).toEqual([
      [200, null, null],
      [300, null, null],
    ]);
  });

  it('a group without options ships at the flat rate on its own subtotal next to a group with a choice', async () => {
    const region = uniqueRegion();
    const zone = await createZone(admin, TEST_COUNTRY, [region]);
    const a = await sellerWith(2000, 100);
    const b = await sellerWith(3000, 100);
    const own = await createMethod(a.seller, methodBody(zone.id, { rates: [{ zoneId: zone.id, type: 'flat', amount: 250 }] }));
    const buyer = await createUser();
    await addToCart(buyer, a.sku, 1);
    await addToCart(buyer, b.sku, 1);
    const placed = await ok<Placed>(
      await order(buyer, { ...ADDRESS, country: TEST_COUNTRY, regionCode: region }, [{ sellerId: a.seller.id, methodId: own.id }]),
      201,
    );
    expect(placed.order).toMatchObject({ subtotal: 5000, tax: 600, shipping: 750, total: 6350 });
  });
});
