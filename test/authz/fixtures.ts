import { expect } from 'vitest';
import { createCategory, createProduct, productInput, type ProductBody } from '../support/catalog';
import { api, createUser, emailedToken, login, type TestUser, uniqueEmail } from '../support/users';
import { ADDRESS, addToCart, payAndSettle, paymentOf, type Placed, placeOrder, setStock, signStripe } from '../support/checkout';
import { buildPlatformFixtures, createEndpoint, failedEmail, type PlatformFixtures, upload } from './platform-fixtures';
import type { Actor } from './types';

/**
 * The world the matrix runs against: one user per actor and the resources
 * customer A and seller A own. Shared fixtures are only read (or rewritten
 * with identical content); cases that change or consume a resource take a
 * fresh one from `Makers`.
 */
export interface Fixtures {
  users: Record<Exclude<Actor, 'anonymous'>, TestUser>;
  /** Nobody's actor: the target of admin user management and of the public auth routes. */
  bystander: TestUser;
  category: { id: string; slug: string };
  /** Published, seller A's, with stock. */
  product: ProductBody;
  productBody: Record<string, unknown>;
  sku: string;
  /** Seller A's draft: visible only to seller A and admins. */
  draft: ProductBody;
  draftSku: string;
  /** Customer A's orders for seller A's product: one awaiting payment, one paid. */
  pendingOrder: Placed;
  paidOrder: Placed;
  paidPaymentId: string;
  /** Customer A's saved address. */
  addressId: string;
  platform: PlatformFixtures;
}

const STOCK = 1_000_000;

async function ok<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Customer A buys one unit of seller A's product; the cart is emptied first so earlier cases cannot leak lines into it. */
async function orderOfCustomerA(fx: Pick<Fixtures, 'users' | 'sku'>, paid: boolean): Promise<Placed> {
  const buyer = fx.users.customer;
  await ok(await api('DELETE', '/cart', { token: buyer.accessToken }), 204);
  await addToCart(buyer, fx.sku, 1);
  const placed = await ok<Placed>(await placeOrder(buyer), 201);
  if (paid) await payAndSettle(buyer, placed);
  return placed;
}

export async function buildFixtures(): Promise<Fixtures> {
  // Everything here is made one request at a time: the embedded Postgres's connection multiplexer
  // has answered concurrent writes with "unnamed prepared statement does not exist" and with a 404
  // for a product just created; requests on two cores gain little from running side by side anyway.
  const customer = await createUser('customer', 'authz-customer');
  const otherCustomer = await createUser('customer', 'authz-other-customer');
  const seller = await createUser('seller', 'authz-seller');
  const otherSeller = await createUser('seller', 'authz-other-seller');
  const admin = await createUser('admin', 'authz-admin');
  // An admin, so that a revocation check that failed would show as a 2xx on every route, not as a 403.
  const disabled = await createUser('admin', 'authz-disabled');
  const bystander = await createUser('customer', 'authz-bystander');
  await ok(await api('PATCH', `/users/${disabled.id}`, { token: admin.accessToken, body: { disabled: true } }), 200);

  const category = await createCategory(admin);
  const sku = `AZ-${crypto.randomUUID().slice(0, 12)}`;
  const draftSku = `AZ-${crypto.randomUUID().slice(0, 12)}`;
  const productBody = productInput(category.id, { variants: [{ sku, price: 1500, currency: 'USD' }] });
  const product = await createProduct(seller, productBody);
  const draft = await createProduct(seller, productInput(category.id, { status: 'draft', variants: [{ sku: draftSku, price: 900, currency: 'USD' }] }));
  await createProduct(otherSeller, productInput(category.id));
  await setStock(seller, sku, STOCK);
  await setStock(seller, draftSku, 10);

  const users = { customer, otherCustomer, seller, otherSeller, admin, disabled };
  const address = await ok<{ id: string }>(await api('POST', '/users/me/addresses', { token: customer.accessToken, body: ADDRESS }), 201);
  const pendingOrder = await orderOfCustomerA({ users, sku }, false);
  const paidOrder = await orderOfCustomerA({ users, sku }, true);
  const paidPaymentId = (await paymentOf(customer, paidOrder.order.id)).id;
  const platform = await buildPlatformFixtures({ customer, seller, admin, bystander });
  return { users, bystander, category, product, productBody, sku, draft, draftSku, pendingOrder, paidOrder, paidPaymentId, addressId: address.id, platform };
}

/** Fresh resources, one per case, for operations that change or consume what they act on. */
export function makers(fx: Fixtures) {
  return {
    user: (role: TestUser['role'] = 'customer') => createUser(role, 'authz-fresh'),
    /** A new product of seller A. */
    product: () => createProduct(fx.users.seller, productInput(fx.category.id)),
    /** A new category with nothing in it. */
    category: () => createCategory(fx.users.admin),
    /** A new order of customer A for seller A's product. */
    order: (options: { paid?: boolean } = {}) => orderOfCustomerA(fx, options.paid ?? false),
    /** The payment id of a new paid order of customer A. */
    paidPayment: async () => {
      const placed = await orderOfCustomerA(fx, true);
      return (await paymentOf(fx.users.customer, placed.order.id)).id;
    },
    /** A new saved address of customer A. */
    address: async () =>
      (await ok<{ id: string }>(await api('POST', '/users/me/addresses', { token: fx.users.customer.accessToken, body: ADDRESS }), 201)).id,
    /** A line in customer A's cart (its id). */
    cartLine: async () => {
      await ok(await api('DELETE', '/cart', { token: fx.users.customer.accessToken }), 204);
      const cart = await ok<{ lines: Array<{ id: string }> }>(
        await api('POST', '/cart/items', { token: fx.users.customer.accessToken, body: { sku: fx.sku, quantity: 1 } }),
        201,
      );
      const line = cart.lines[0];
      if (!line) throw new Error('the cart has no line');
      return line.id;
    },
    /** A new anonymous cart with a line in it (its X-Cart-Id). */
    anonymousCart: async () => {
      const res = await api('POST', '/cart/items', { body: { sku: fx.sku, quantity: 1 } });
      await ok(res.clone(), 201);
      const id = res.headers.get('x-cart-id');
      if (!id) throw new Error('no X-Cart-Id');
      return id;
    },
    /** Puts one unit of seller A's product in the user's own cart (nothing for anonymous or a revoked token). */
    fillCart: async (user: TestUser | undefined) => {
      if (user && user !== fx.users.disabled) await addToCart(user, fx.sku, 1);
    },
    /** A refresh token of a new session of the bystander. */
    refreshToken: async () => (await login(fx.bystander.email, fx.bystander.password)).refreshToken,
    /** A password-reset token (of a new user: a reset signs that user out everywhere). */
    resetToken: async () => {
      const user = await createUser('customer', 'authz-reset');
      await ok(await api('POST', '/auth/forgot-password', { body: { email: user.email } }), 202);
      return emailedToken('auth.password_reset_requested', user.id);
    },
    /** The verification token of a newly registered user. */
    verifyToken: async () => emailedToken('auth.verify_email', (await createUser('customer', 'authz-verify')).id),
    /** A Stripe event the Worker ignores, signed as Stripe signs it. */
    stripeEvent: async () => {
      const body = JSON.stringify({ id: `evt_authz_${crypto.randomUUID()}`, object: 'event', type: 'customer.created', data: { object: { object: 'customer', id: 'cus_authz' } } });
      return { body, signature: await signStripe(body) };
    },
    email: () => uniqueEmail('authz-register'),
    /** A new file of customer A. */
    file: () => upload(fx.users.customer, 'private'),
    /** A new image uploaded by seller A (what it may attach to its products). */
    sellerImage: () => upload(fx.users.seller, 'private'),
    /** A new image attached to seller A's product (its file id). */
    attachedImage: async () => {
      const fileId = await upload(fx.users.seller, 'private');
      await ok(await api('POST', `/products/${fx.product.id}/images`, { token: fx.users.seller.accessToken, body: { fileIds: [fileId] } }), 200);
      return fileId;
    },
    /** A new failed email (its delivery id). */
    failedEmail: () => failedEmail(fx.bystander),
    /** A new webhook endpoint. */
    endpoint: () => createEndpoint(fx.users.admin),
  };
}

export type Makers = ReturnType<typeof makers>;
