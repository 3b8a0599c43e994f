import { eq } from 'drizzle-orm';
import { orderItems } from '../../../shared/db/schema';
import { api, withDb } from '../../support/users';
import { markDelivered } from '../../worker/returns/support';
import type { Fixtures, Makers } from '../fixtures';
import { type AccessTable, outcomes, ownerOnly, sellerOwned, signedIn } from '../types';

const idempotent = () => ({ 'idempotency-key': crypto.randomUUID() });

interface ReturnFixture {
  id: string;
  items: Array<{ id: string }>;
}

/** A request body for a new return of customer A's new paid order of seller A's product, its seller order delivered. */
async function deliveredRequest(make: Makers) {
  const placed = await make.order({ paid: true });
  const orderId = placed.order.id;
  const [line] = await withDb((db) => db.select().from(orderItems).where(eq(orderItems.orderId, orderId)));
  if (!line) throw new Error('the order has no line');
  await markDelivered(line.sellerOrderId);
  return { orderId, sellerOrderId: line.sellerOrderId, items: [{ orderItemId: line.id, quantity: 1 }], reason: 'Does not fit' };
}

/** A new return of customer A on seller A's seller order, moved as far as `to`. */
async function returnOfA(fx: Fixtures, make: Makers, to: 'requested' | 'approved' | 'received' = 'requested'): Promise<ReturnFixture> {
  const res = await api('POST', '/returns', { token: fx.users.customer.accessToken, body: await deliveredRequest(make) });
  if (res.status !== 201) throw new Error(`return not requested: ${res.status} ${await res.text()}`);
  const ret = await res.json<ReturnFixture>();
  const seller = fx.users.seller.accessToken;
  if (to !== 'requested') await api('POST', `/returns/${ret.id}/approve`, { token: seller });
  if (to === 'received') {
    await api('POST', `/returns/${ret.id}/receive`, { token: seller, body: { items: ret.items.map((i) => ({ returnItemId: i.id, restockable: true })) } });
  }
  return ret;
}

/** One return of customer A, made once per fixture world, for the cases that only read it or are refused. */
const shared = new WeakMap<Fixtures, Promise<ReturnFixture>>();
const sharedReturn = (fx: Fixtures, make: Makers) => {
  let ret = shared.get(fx);
  if (!ret) shared.set(fx, (ret = returnOfA(fx, make)));
  return ret;
};

/** The return's buyer reads it, so it is 403 (not 404) to it; another customer is stopped by the role gate (403). */
const sellerMoves = sellerOwned(200);

/** /returns: a buyer's returns of delivered lines, handled by the seller of the seller order. */
export const returns: AccessTable = {
  'POST /api/v1/returns': {
    request: async ({ fx, make, denied }) => ({
      body: denied ? await sharedRequest(fx, make) : await deliveredRequest(make),
    }),
    // Only the buyer of the order asks; to anyone else, an admin included, the order is not theirs.
    expect: outcomes(ownerOnly(201), { admin: 404 }),
    note: 'A return is asked for by the buyer of the order only: the seller and admins get 404 for an order that is not theirs.',
  },
  'GET /api/v1/returns': { request: () => ({}), expect: signedIn(200) },
  'GET /api/v1/returns/{id}': {
    request: async ({ fx, make }) => ({ params: { id: (await sharedReturn(fx, make)).id } }),
    expect: outcomes(ownerOnly(200), { seller: 200 }),
  },
  'POST /api/v1/returns/{id}/approve': {
    request: async ({ fx, make, denied }) => ({ params: { id: (denied ? await sharedReturn(fx, make) : await returnOfA(fx, make)).id } }),
    expect: sellerMoves,
  },
  'POST /api/v1/returns/{id}/reject': {
    request: async ({ fx, make, denied }) => ({
      params: { id: (denied ? await sharedReturn(fx, make) : await returnOfA(fx, make)).id },
      body: { reason: 'The box was opened' },
    }),
    expect: sellerMoves,
  },
  'POST /api/v1/returns/{id}/receive': {
    request: async ({ fx, make, denied }) => {
      const ret = denied ? await sharedReturn(fx, make) : await returnOfA(fx, make, 'approved');
      return { params: { id: ret.id }, body: { items: ret.items.map((i) => ({ returnItemId: i.id, restockable: true })) } };
    },
    expect: sellerMoves,
  },
  'POST /api/v1/returns/{id}/refund': {
    request: async ({ fx, make, denied }) => ({
      params: { id: (denied ? await sharedReturn(fx, make) : await returnOfA(fx, make, 'received')).id },
      body: {},
      headers: idempotent(),
    }),
    expect: sellerMoves,
  },
};

/** A valid request body on customer A's delivered order, made once (refused cases change nothing). */
const sharedBodies = new WeakMap<Fixtures, ReturnType<typeof deliveredRequest>>();
function sharedRequest(fx: Fixtures, make: Makers) {
  let body = sharedBodies.get(fx);
  if (!body) sharedBodies.set(fx, (body = deliveredRequest(make)));
  return body;
}

