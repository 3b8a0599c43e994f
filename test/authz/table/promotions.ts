import { api } from '../../support/users';
import type { Fixtures } from '../fixtures';
import { type AccessTable, sellerOwned, sellersAndAdmin } from '../types';

/**
 * /promotions. Seller A's code promotion (made once, lazily, through the API) is what the
 * per-promotion routes act on: seller A and admins manage it, the other seller gets 404,
 * customers 403 (the route's roles). Its rule reaches nothing any other suite's cart holds
 * (a window far in the future), so no checkout meets it.
 */
const body = () => ({
  name: 'Authz promotion',
  activation: 'code',
  params: { kind: 'percentage', percent: 10 },
  startsAt: '2099-01-01T00:00:00Z',
});

async function newPromotion(fx: Fixtures): Promise<string> {
  const res = await api('POST', '/promotions', { token: fx.users.seller.accessToken, body: body() });
  if (res.status !== 201) throw new Error(`authz promotions fixture: ${res.status} ${await res.text()}`);
  return (await res.json<{ id: string }>()).id;
}

const shared = new WeakMap<Fixtures, Promise<string>>();
const sharedPromotion = (fx: Fixtures) => shared.get(fx) ?? (shared.set(fx, newPromotion(fx)), shared.get(fx) as Promise<string>);
const uniqueCode = () => `AUTHZ-${crypto.randomUUID().slice(0, 12).toUpperCase()}`;

export const promotionsTable: AccessTable = {
  'GET /api/v1/promotions': { request: () => ({}), expect: sellersAndAdmin(200), note: 'A seller sees only the promotions it funds.' },
  'POST /api/v1/promotions': { request: () => ({ body: body() }), expect: sellersAndAdmin(201), note: 'A seller creates its own, an admin the platform’s.' },
  'GET /api/v1/promotions/{id}': { request: async ({ fx }) => ({ params: { id: await sharedPromotion(fx) } }), expect: sellerOwned(200) },
  'PATCH /api/v1/promotions/{id}': {
    request: async ({ fx }) => ({ params: { id: await sharedPromotion(fx) }, body: { priority: 0 } }),
    expect: sellerOwned(200),
  },
  'DELETE /api/v1/promotions/{id}': {
    request: async ({ fx, denied }) => ({ params: { id: denied ? await sharedPromotion(fx) : await newPromotion(fx) } }),
    expect: sellerOwned(204),
  },
  'GET /api/v1/promotions/{id}/codes': { request: async ({ fx }) => ({ params: { id: await sharedPromotion(fx) } }), expect: sellerOwned(200) },
  'POST /api/v1/promotions/{id}/codes': {
    request: async ({ fx }) => ({ params: { id: await sharedPromotion(fx) }, body: { codes: [{ code: uniqueCode() }] } }),
    expect: sellerOwned(201),
  },
  'POST /api/v1/promotions/{id}/codes/generate': {
    request: async ({ fx }) => ({ params: { id: await sharedPromotion(fx) }, body: { count: 1, prefix: 'AUTHZ-' } }),
    expect: sellerOwned(201),
  },
};
