import { ADDRESS } from '../../support/checkout';
import { clickAttempt, clickForm } from '../../worker/payments-click/click';
import { type AccessTable, adminOnly, open, outcomes, ownerOnly, publicRead, sellerOwned, signedIn } from '../types';

const idempotent = () => ({ 'idempotency-key': crypto.randomUUID() });

/**
 * A line of customer A's cart. The cart is chosen by the caller's identity
 * (user id, or X-Cart-Id when anonymous), so nobody else, an admin included,
 * can even address it: 404 to all others.
 */
const cartLineOfA = (ok: 200) => outcomes(signedIn(404), { anonymous: 404, customer: ok });

/** /cart, /orders, /payments and Stripe's webhook. */
export const commerce: AccessTable = {
  'GET /api/v1/cart': { request: () => ({}), expect: publicRead(200) },
  'DELETE /api/v1/cart': { request: () => ({}), expect: publicRead(204) },
  'POST /api/v1/cart/items': { request: ({ fx }) => ({ body: { sku: fx.sku, quantity: 1 } }), expect: publicRead(201) },
  'PATCH /api/v1/cart/items/{lineId}': {
    request: async ({ make }) => ({ params: { lineId: await make.cartLine() }, body: { quantity: 2 } }),
    expect: cartLineOfA(200),
  },
  'DELETE /api/v1/cart/items/{lineId}': {
    request: async ({ make }) => ({ params: { lineId: await make.cartLine() } }),
    expect: cartLineOfA(200),
  },
  'POST /api/v1/cart/merge': {
    // Whoever holds an anonymous cart's id may take its lines (the id is a 256-bit secret).
    request: async ({ make }) => ({ body: { cartId: await make.anonymousCart() } }),
    expect: signedIn(200),
  },

  'POST /api/v1/orders': {
    request: async ({ make, user }) => {
      await make.fillCart(user);
      return { body: { shippingAddress: ADDRESS }, headers: idempotent() };
    },
    expect: signedIn(201),
    note: 'Anyone signed in buys from its own cart, sellers and admins included.',
  },
  'GET /api/v1/orders': { request: () => ({}), expect: signedIn(200) },
  'GET /api/v1/orders/stats': {
    request: () => ({ query: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } }),
    expect: adminOnly(200),
  },
  'GET /api/v1/orders/{id}': {
    request: ({ fx }) => ({ params: { id: fx.paidOrder.order.id } }),
    // Seller A sells a line of it and sees that line; seller B has nothing in it.
    expect: outcomes(ownerOnly(200), { seller: 200 }),
  },
  'DELETE /api/v1/orders/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: (denied ? fx.pendingOrder : await make.order()).order.id } }),
    expect: ownerOnly(200),
    note: 'Cancelling is the buyer\'s (or an admin\'s): to the seller of its lines the order is someone else\'s, 404.',
  },
  'PUT /api/v1/orders/{id}/status': {
    request: async ({ fx, make, denied }) => ({
      params: { id: (denied ? fx.paidOrder : await make.order({ paid: true })).order.id },
      body: { status: 'processing' },
    }),
    // Customers never move the status (403, checked before the order is read); seller A fulfils its lines.
    expect: sellerOwned(200),
  },

  'POST /api/v1/payments/intent': {
    request: ({ fx }) => ({ body: { orderId: fx.pendingOrder.order.id } }),
    expect: ownerOnly(200),
  },
  'POST /api/v1/payments/process': {
    request: async ({ fx, make, denied }) => ({
      body: { orderId: (denied ? fx.pendingOrder : await make.order()).order.id, paymentMethodId: 'pm_card_visa' },
    }),
    expect: ownerOnly(200),
  },
  'GET /api/v1/payments': { request: () => ({}), expect: signedIn(200) },
  'GET /api/v1/payments/{id}': {
    request: ({ fx }) => ({ params: { id: fx.paidPaymentId } }),
    expect: ownerOnly(200),
    note: 'A payment is the buyer\'s: the seller of the order\'s lines does not see it (404).',
  },
  'POST /api/v1/payments/{id}/refund': {
    request: async ({ fx, make, denied }) => ({
      params: { id: denied ? fx.paidPaymentId : await make.paidPayment() },
      body: { amount: 100 },
      headers: idempotent(),
    }),
    expect: adminOnly(200),
  },

  'POST /api/v1/webhooks/stripe': {
    // Authenticated by Stripe-Signature, never by a bearer token.
    request: async ({ make }) => {
      const event = await make.stripeEvent();
      return { raw: event.body, headers: { 'stripe-signature': event.signature } };
    },
    expect: open(200),
  },

  // Called by Click, authenticated by sign_string alone: every caller gets HTTP 200 and Click's answer
  // (here -5, no such order), whatever token it sends. A multipart body carries the same signed fields.
  'POST /api/v1/payments/click/prepare': {
    request: async () => ({ form: clickMultipart(await clickForm('prepare', { orderId: crypto.randomUUID(), amount: '1000.00', ...clickAttempt() })) }),
    expect: open(200),
  },
  'POST /api/v1/payments/click/complete': {
    request: async () => ({
      form: clickMultipart(await clickForm('complete', { orderId: crypto.randomUUID(), amount: '1000.00', prepareId: 1, ...clickAttempt() })),
    }),
    expect: open(200),
  },
  'GET /api/v1/orders/{id}/receipt': {
    request: ({ fx }) => ({ params: { id: fx.paidOrder.order.id } }),
    // As the order itself: seller A sees its own lines; seller B has nothing in it.
    expect: outcomes(ownerOnly(200), { seller: 200 }),
  },
  'POST /api/v1/payments/payme': {
    // Authenticated by Payme's Basic credentials, never by a bearer token: every caller gets HTTP 200, and
    // without the merchant key the JSON-RPC answer is -32504 (test/worker/payments-payme covers the key).
    request: () => ({ raw: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetStatement', params: { from: 0, to: 1 } }) }),
    expect: open(200),
  },
};

function clickMultipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}
