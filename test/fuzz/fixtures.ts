import { createCategory, createProduct, productInput } from '../support/catalog';
import { api, createUser, login, type TestUser } from '../support/users';
import { ADDRESS, placeOrder, setStock } from '../support/checkout';
import { deliveredOrder } from '../worker/returns/support';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { inventoryFor } from '../../durable-objects/inventory-client';
import { testEnv } from '../support/app';
import type { Role } from './mutate';
import type { Operation } from './spec';

type SignedInRole = Exclude<Role, 'anonymous'>;

/**
 * Real resources for path parameters, so requests get past "not found" into
 * the code that reads their input: one user per role, a victim customer (for
 * /users/{id}), a category, a seller's product with stock, the customer's
 * address, cart line, order and payment.
 */
export interface Fixtures {
  users: Record<SignedInRole, TestUser>;
  /** Ids by the path segment their parameter follows (`products` → a product id). */
  ids: Record<string, string>;
}

async function json<T>(res: Response, status: number, what: string): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`fixture ${what}: expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function createFixtures(): Promise<Fixtures> {
  const [admin, seller, customer, victim] = [await createUser('admin'), await createUser('seller'), await createUser('customer'), await createUser('customer', 'victim')];
  const category = await createCategory(admin);
  const product = await createProduct(seller, productInput(category.id));
  const sku = product.variants[0]?.sku ?? '';
  await setStock(seller, sku, 10_000);
  const address = await json<{ id: string }>(await api('POST', '/users/me/addresses', { token: customer.accessToken, body: ADDRESS }), 201, 'address');
  // A delivered order and the customer's review of its product, for /reviews/{id} (made before the cart lines below).
  await deliveredOrder(customer, [[sku, 1]]);
  const review = await json<{ id: string }>(
    await api('POST', `/products/${product.id}/reviews`, { token: customer.accessToken, body: { stars: 4, title: 'Fuzz', body: 'Fixture review' } }),
    201,
    'review',
  );

  await json(await api('POST', '/cart/items', { token: customer.accessToken, body: { sku, quantity: 1 } }), 201, 'cart line');
  const placed = await json<{ order: { id: string } }>(await placeOrder(customer), 201, 'order');
  const payments = await json<{ data: Array<{ id: string }> }>(
    await api('GET', `/payments?orderId=${placed.order.id}`, { token: customer.accessToken }),
    200,
    'payments',
  );
  // The order took the first line; this one stays in the cart for /cart/items/{lineId}.
  const cart = await json<{ lines: Array<{ id: string }> }>(
    await api('POST', '/cart/items', { token: customer.accessToken, body: { sku, quantity: 2 } }),
    201,
    'cart line',
  );
  const promotion = await json<{ id: string }>(
    await api('POST', '/promotions', {
      token: seller.accessToken,
      body: { name: 'Fuzz promotion', activation: 'code', params: { kind: 'percentage', percent: 10 }, startsAt: '2099-01-01T00:00:00Z' },
    }),
    201,
    'promotion',
  );

  // The stock changes above reach inventory_levels from the SKU's InventoryDO alarm: run it now, not mid-run,
  // where it would look like a write by whichever rejected request happened to be in flight.
  await runDurableObjectAlarm(inventoryFor(testEnv, sku).stub);

  return {
    users: { admin, seller, customer },
    ids: {
      users: victim.id,
      addresses: address.id,
      categories: category.id,
      products: product.id,
      inventory: sku,
      items: cart.lines[0]?.id ?? '',
      orders: placed.order.id,
      payments: payments.data[0]?.id ?? '',
      promotions: promotion.id,
      reviews: review.id,
    },
  };
}

/** The fixture id for `{param}` of an operation: the resource is the path segment just before it. */
export function fixtureId(fixtures: Fixtures, operation: Operation, param: string): string | undefined {
  const segments = operation.path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return fixtures.ids[segments[at - 1] ?? ''];
}

/**
 * Fuzzed requests may legitimately end a role's session (logout, a password
 * or email change that happened to be valid): sign such a user in again, or
 * replace it, so later operations still run as that role.
 */
export async function keepSessionsAlive(fixtures: Fixtures): Promise<string[]> {
  const renewed: string[] = [];
  for (const role of Object.keys(fixtures.users) as SignedInRole[]) {
    const user = fixtures.users[role];
    if ((await api('GET', '/auth/profile', { token: user.accessToken })).status === 200) continue;
    try {
      fixtures.users[role] = { ...user, ...(await login(user.email, user.password)) };
    } catch {
      fixtures.users[role] = await createUser(role);
    }
    renewed.push(role);
  }
  return renewed;
}
