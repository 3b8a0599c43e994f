import { eq } from 'drizzle-orm';
import { orderItems } from '../../../shared/db/schema';
import { addToCart, payAndSettle, type Placed, placeOrder, setStock } from '../../support/checkout';
import { api, withDb } from '../../support/users';
import { markDelivered } from '../../worker/returns/support';
import type { Fixtures, Makers } from '../fixtures';
import { type AccessTable, adminOnly, open, outcomes, publicRead, signedIn } from '../types';

const body = { stars: 4, title: '<b>Good</b>', body: 'As described.' };

/** Customer A's order of `sku`, paid and delivered: what makes customer A a reviewer of its product. */
async function receive(fx: Fixtures, sku: string): Promise<void> {
  const buyer = fx.users.customer;
  await api('DELETE', '/cart', { token: buyer.accessToken });
  await addToCart(buyer, sku, 1);
  const res = await placeOrder(buyer);
  if (res.status !== 201) throw new Error(`order not placed: ${res.status} ${await res.text()}`);
  const placed = await res.json<Placed>();
  await payAndSettle(buyer, placed);
  const lines = await withDb((db) => db.select({ so: orderItems.sellerOrderId }).from(orderItems).where(eq(orderItems.orderId, placed.order.id)));
  for (const line of lines) await markDelivered(line.so);
}

/** A new product of seller A that customer A received: reviewable once. */
async function receivedProduct(fx: Fixtures, make: Makers): Promise<string> {
  const product = await make.product();
  const sku = product.variants[0]?.sku ?? '';
  await setStock(fx.users.seller, sku, 10);
  await receive(fx, sku);
  return product.id;
}

/** A new review by customer A of a new product of seller A. */
async function freshReview(fx: Fixtures, make: Makers): Promise<string> {
  const productId = await receivedProduct(fx, make);
  const res = await api('POST', `/products/${productId}/reviews`, { token: fx.users.customer.accessToken, body });
  if (res.status !== 201) throw new Error(`review not written: ${res.status} ${await res.text()}`);
  return (await res.json<{ id: string }>()).id;
}

/** One visible review of customer A, made once per fixture world, for the cases that read it or are refused. */
const shared = new WeakMap<Fixtures, Promise<string>>();
const sharedReview = (fx: Fixtures, make: Makers) => {
  let id = shared.get(fx);
  if (!id) shared.set(fx, (id = freshReview(fx, make)));
  return id;
};

/** /products/{id}/reviews, /reviews and /sellers/{id}/rating (docs/reviews.md). */
export const reviewsTable: AccessTable = {
  'POST /api/v1/products/{id}/reviews': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.product.id : await receivedProduct(fx, make) }, body }),
    expect: outcomes(signedIn(403), { customer: 201 }),
    note: 'Only a buyer who received the product reviews it: everyone else who signs in is 403, whatever the role.',
  },
  'GET /api/v1/products/{id}/reviews': { request: ({ fx }) => ({ params: { id: fx.product.id } }), expect: publicRead(200) },
  'GET /api/v1/reviews/mine': { request: () => ({}), expect: signedIn(200) },
  'GET /api/v1/reviews/reported': { request: () => ({ query: { hidden: 'false' } }), expect: adminOnly(200) },
  'GET /api/v1/reviews/{id}': {
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) } }),
    expect: publicRead(200),
  },
  'PATCH /api/v1/reviews/{id}': {
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) }, body: { title: body.title } }),
    expect: outcomes(signedIn(403), { customer: 200 }),
    note: 'A visible review is readable by everyone, so a caller who is not its author is refused (403), not told it is missing.',
  },
  'POST /api/v1/reviews/{id}/reply': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? await sharedReview(fx, make) : await freshReview(fx, make) }, body: { body: 'Thanks' } }),
    expect: outcomes(signedIn(403), { seller: 201, otherSeller: 404 }),
    note: 'Sellers only (role gate); another seller does not learn the review of a product it does not sell exists.',
  },
  'POST /api/v1/reviews/{id}/hide': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? await sharedReview(fx, make) : await freshReview(fx, make) }, body: { reason: 'Spam' } }),
    expect: adminOnly(200),
  },
  'POST /api/v1/reviews/{id}/unhide': {
    // Showing a visible review answers it as it is: the shared one stays visible.
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) } }),
    expect: adminOnly(200),
  },
  'PUT /api/v1/reviews/{id}/helpful': {
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) } }),
    expect: outcomes(signedIn(200), { customer: 403 }),
    note: 'Its author does not vote on its own review.',
  },
  'DELETE /api/v1/reviews/{id}/helpful': {
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) } }),
    expect: outcomes(signedIn(200), { customer: 403 }),
  },
  'POST /api/v1/reviews/{id}/reports': {
    request: async ({ fx, make }) => ({ params: { id: await sharedReview(fx, make) }, body: { reason: 'Spam link' } }),
    expect: publicRead(202),
  },
  'GET /api/v1/sellers/{id}/rating': { request: ({ fx }) => ({ params: { id: fx.users.seller.id } }), expect: open(200) },
};
