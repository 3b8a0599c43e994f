import { api } from '../../support/users';
import type { Fixtures } from '../fixtures';
import { type AccessTable, adminOnly, open, outcomes, publicRead, sellerOwned, sellersAndAdmin } from '../types';

/**
 * /shipping. Everything is made lazily through the API in country XS (ISO user-assigned) and a
 * region of the matrix's own, so no other suite's checkout meets it.
 */
const COUNTRY = 'XS';
const REGION = `authz-${crypto.randomUUID().slice(0, 8)}`;

async function created<T>(res: Response): Promise<T> {
  if (res.status !== 201) throw new Error(`authz shipping fixture: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

const zoneBody = () => ({ name: 'Authz zone', country: COUNTRY, regionCodes: [REGION] });
const methodBody = (zoneId: string, active = true) => ({
  kind: 'courier',
  names: { uz: 'Kuryer', ru: 'Курьер', en: 'Courier' },
  currency: 'USD',
  minDays: 1,
  maxDays: 3,
  active,
  rates: [{ zoneId, type: 'flat', amount: 500 }],
});
const pointBody = (active = true) => ({ name: 'Authz point', address: 'Street 1', country: COUNTRY, regionCode: REGION, hours: '09–18', active });

const newZone = async (fx: Fixtures) =>
  (await created<{ id: string }>(await api('POST', '/shipping/zones', { token: fx.users.admin.accessToken, body: zoneBody() }))).id;
const newMethod = async (fx: Fixtures, active = true) =>
  (await created<{ id: string }>(await api('POST', '/shipping/methods', { token: fx.users.seller.accessToken, body: methodBody(await sharedZone(fx), active) }))).id;
const newPoint = async (fx: Fixtures, active = true) =>
  (await created<{ id: string }>(await api('POST', '/shipping/pickup-points', { token: fx.users.seller.accessToken, body: pointBody(active) }))).id;

/** Made once per run: a zone, and seller A's inactive method and point (seen only by seller A and admins). */
const shared = new WeakMap<Fixtures, { zone?: Promise<string>; method?: Promise<string>; point?: Promise<string> }>();
const memo = (fx: Fixtures) => shared.get(fx) ?? (shared.set(fx, {}), shared.get(fx) as NonNullable<ReturnType<typeof shared.get>>);
const sharedZone = (fx: Fixtures) => (memo(fx).zone ??= newZone(fx));
const sharedMethod = (fx: Fixtures) => (memo(fx).method ??= newMethod(fx, false));
const sharedPoint = (fx: Fixtures) => (memo(fx).point ??= newPoint(fx, false));

/** Seller A's inactive method or point: seller A and admins see it, to everyone else it does not exist. */
const inactiveVisibility = outcomes(publicRead(404), { seller: 200, admin: 200 });

export const shipping: AccessTable = {
  'GET /api/v1/shipping/regions': { request: () => ({}), expect: open(200) },
  'GET /api/v1/shipping/options': {
    // The caller's own cart (anonymous: a new empty one), to a destination with nothing configured.
    request: () => ({ query: { country: COUNTRY, regionCode: REGION } }),
    expect: publicRead(200),
  },

  'GET /api/v1/shipping/zones': { request: () => ({}), expect: open(200) },
  'GET /api/v1/shipping/zones/{id}': { request: async ({ fx }) => ({ params: { id: await sharedZone(fx) } }), expect: open(200) },
  'POST /api/v1/shipping/zones': { request: () => ({ body: zoneBody() }), expect: adminOnly(201) },
  'PUT /api/v1/shipping/zones/{id}': {
    // Rewrites the shared zone with what it already holds.
    request: async ({ fx }) => ({ params: { id: await sharedZone(fx) }, body: zoneBody() }),
    expect: adminOnly(200),
  },
  'DELETE /api/v1/shipping/zones/{id}': {
    request: async ({ fx, denied }) => ({ params: { id: denied ? await sharedZone(fx) : await newZone(fx) } }),
    expect: adminOnly(204),
  },

  'GET /api/v1/shipping/methods': { request: () => ({}), expect: publicRead(200) },
  'GET /api/v1/shipping/methods/{id}': { request: async ({ fx }) => ({ params: { id: await sharedMethod(fx) } }), expect: inactiveVisibility },
  'POST /api/v1/shipping/methods': {
    request: async ({ fx }) => ({ body: methodBody(await sharedZone(fx)) }),
    expect: sellersAndAdmin(201),
    note: 'A seller creates its own method, an admin the platform’s.',
  },
  'PATCH /api/v1/shipping/methods/{id}': {
    request: async ({ fx }) => ({ params: { id: await sharedMethod(fx) }, body: { minDays: 1 } }),
    expect: sellerOwned(200),
  },
  'DELETE /api/v1/shipping/methods/{id}': {
    request: async ({ fx, denied }) => ({ params: { id: denied ? await sharedMethod(fx) : await newMethod(fx) } }),
    expect: sellerOwned(204),
  },

  'GET /api/v1/shipping/pickup-points': { request: () => ({}), expect: publicRead(200) },
  'GET /api/v1/shipping/pickup-points/{id}': { request: async ({ fx }) => ({ params: { id: await sharedPoint(fx) } }), expect: inactiveVisibility },
  'POST /api/v1/shipping/pickup-points': { request: () => ({ body: pointBody() }), expect: sellersAndAdmin(201) },
  'PATCH /api/v1/shipping/pickup-points/{id}': {
    request: async ({ fx }) => ({ params: { id: await sharedPoint(fx) }, body: { hours: '09–18' } }),
    expect: sellerOwned(200),
  },
  'DELETE /api/v1/shipping/pickup-points/{id}': {
    request: async ({ fx, denied }) => ({ params: { id: denied ? await sharedPoint(fx) : await newPoint(fx) } }),
    expect: sellerOwned(204),
  },
};
