import { describe, expect, it } from 'vitest';
import { call } from '../../support/app';
import { openShop } from '../../support/checkout';
import { API, createUser, type TestUser } from '../../support/users';
import { deliveredOrder, marks, type ReturnBody } from './support';

/**
 * Postgres round trips per return endpoint (X-Db-Round-Trips), as budgets: a
 * change that adds a query raises the budget here and says why.
 */
const BUDGET = {
  // BEGIN, lock the seller order, count its lines' returned units, insert all in one statement, COMMIT, read back; the event marked published.
  request: 7,
  get: 1,
  list: 1,
  // Read (authorise), move + history + event in one statement, read back; the event marked published.
  approve: 4,
  // Read, move + marks, the restockable lines, their restocked_at, read back.
  receive: 5,
  // Read, claim (BEGIN, lock, lines, prior units, claim, COMMIT), refundPart's bookkeeping and the order following
  // the provider (applyPaymentState: about ten), the refund's allocation to its seller order and the seller orders'
  // refunded amounts and statuses synced (applyRefunds, under the order's lock), the ledger posted (postLedger),
  // finish + event, restock check, read back, events published. A seller's action, not a shopper's: measured 37.
  refund: 37,
};

async function send(user: TestUser, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await call(
    new Request(`${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { env: { EXPOSE_DB_METRICS: 'true' } },
  );
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
  return { body: JSON.parse(text) as ReturnBody, trips: Number(res.headers.get('x-db-round-trips')) };
}

describe('return endpoints: database round trips', () => {
  it('stay within their budgets', async () => {
    const shop = await openShop([1500], 20);
    const [sku] = shop.skus as [string];
    const buyer = await createUser('customer', 'returns-trips');
    const order = await deliveredOrder(buyer, [[sku, 2]]);
    const so = order.sellerOrders.get(shop.seller.id);
    const measured: Record<string, number> = {};

    const requested = await send(buyer, 'POST', '/returns', {
      orderId: order.orderId,
      sellerOrderId: so?.id,
      items: [{ orderItemId: order.lines.get(sku)?.id, quantity: 1 }],
      reason: 'Does not fit',
    });
    measured.request = requested.trips;
    const id = requested.body.id;
    measured.get = (await send(buyer, 'GET', `/returns/${id}`)).trips;
    measured.list = (await send(shop.seller, 'GET', `/returns?orderId=${order.orderId}`)).trips;
    measured.approve = (await send(shop.seller, 'POST', `/returns/${id}/approve`)).trips;
    measured.receive = (await send(shop.seller, 'POST', `/returns/${id}/receive`, marks(requested.body, true))).trips;
    measured.refund = (await send(shop.seller, 'POST', `/returns/${id}/refund`, {}, { 'idempotency-key': crypto.randomUUID() })).trips;
    for (const [name, budget] of Object.entries(BUDGET)) expect(measured[name], name).toBeLessThanOrEqual(budget);
  });
});
