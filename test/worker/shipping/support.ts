/** Shipping through the API, for the shipping suites: zones, methods and points owned by the test that made them. */
import { expect } from 'vitest';
import { ADDRESS, addToCart, payAndSettle, type Placed, placeOrder, type Shop } from '../../support/checkout';
import { api, type TestUser } from '../../support/users';

export const NAMES = { uz: 'Kuryer', ru: 'Курьер', en: 'Courier' };

export async function ok<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface ZoneBody {
  id: string;
  name: string;
  country: string;
  regionCodes: string[];
}

export interface MethodBody {
  id: string;
  sellerId: string | null;
  kind: string;
  active: boolean;
  rates: Array<Record<string, unknown>>;
}

export interface PointBody {
  id: string;
  sellerId: string | null;
  regionCode: string;
  active: boolean;
}

export const createZone = async (admin: TestUser, country: string, regionCodes: string[] = []) =>
  ok<ZoneBody>(await api('POST', '/shipping/zones', { token: admin.accessToken, body: { name: `Zone ${country}`, country, regionCodes } }), 201);

export function methodBody(zoneId: string, overrides: Record<string, unknown> = {}) {
  return { kind: 'courier', names: NAMES, currency: 'USD', minDays: 1, maxDays: 3, rates: [{ zoneId, type: 'flat', amount: 700 }], ...overrides };
}

export const createMethod = async (owner: TestUser, body: Record<string, unknown>) =>
  ok<MethodBody>(await api('POST', '/shipping/methods', { token: owner.accessToken, body }), 201);

export function pointBody(country: string, regionCode: string, overrides: Record<string, unknown> = {}) {
  return { name: `Point ${regionCode}`, address: 'Street 1', country, regionCode, hours: 'Mon–Sat 09:00–20:00', ...overrides };
}

export const createPoint = async (owner: TestUser, body: Record<string, unknown>) =>
  ok<PointBody>(await api('POST', '/shipping/pickup-points', { token: owner.accessToken, body }), 201);

/**
 * A region code no other test uses, in the ISO user-assigned country XS (free text outside UZ):
 * a platform zone over it reaches only the carts of the test that made it.
 */
export const TEST_COUNTRY = 'XS';
export const uniqueRegion = () => `R-${crypto.randomUUID().slice(0, 8)}`;

/**
 * A paid order of `buyer` for one unit of the shop's first SKU, to be collected at a pickup point
 * of the shop's seller ("Chilonzor") in a region of its own: the order, the point and the seller order's line.
 */
export async function paidPickupOrder(shop: Shop, buyer: TestUser) {
  const region = uniqueRegion();
  const zone = await createZone(shop.admin, TEST_COUNTRY, [region]);
  const method = await createMethod(shop.seller, methodBody(zone.id, { kind: 'pickup', rates: [{ zoneId: zone.id, type: 'flat', amount: 150 }] }));
  const point = await createPoint(shop.seller, pointBody(TEST_COUNTRY, region, { name: 'Chilonzor', address: 'Toshkent, Chilonzor 9-kvartal, 12', hours: '09–20' }));
  await addToCart(buyer, shop.skus[0] ?? '', 1);
  const shipping = [{ sellerId: shop.seller.id, methodId: method.id, pickupPointId: point.id }];
  const placed = await ok<Placed>(await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: { ...ADDRESS, country: TEST_COUNTRY, regionCode: region }, shipping }), 201);
  await payAndSettle(buyer, placed);
  return { placed, point };
}
