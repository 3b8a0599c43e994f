import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { PaymeClient } from '../../../scripts/stack/payme-sandbox-client';
import { testEnv } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { ADDRESS, addToCart, setStock } from '../../support/checkout';
import { API, api, createUser, type TestUser } from '../../support/users';

export const ENDPOINT = `${API}/payments/payme`;

/** Payme as the real service drives us, through the Worker (the key is the test stack's sandbox key). */
export function payme(options: { fetch?: (url: string, init: RequestInit) => Promise<Response>; now?: () => number } = {}): PaymeClient {
  const key = testEnv.PAYME_KEY;
  if (!key) throw new Error('the test stack sets PAYME_KEY (scripts/stack/index.ts)');
  return new PaymeClient({ endpoint: ENDPOINT, key, fetch: options.fetch ?? ((url, init) => SELF.fetch(url, init)), now: options.now });
}

/** A seller with one UZS product of `stock` units at `price` tiyin. */
export async function uzsShop(price: number, stock: number) {
  const admin = await createUser('admin');
  const seller = await createUser('seller');
  const category = await createCategory(admin);
  const sku = `PM-${crypto.randomUUID().slice(0, 12)}`;
  await createProduct(seller, productInput(category.id, { variants: [{ sku, price, currency: 'UZS' }] }));
  await setStock(seller, sku, stock);
  return { admin, seller, sku };
}

export interface PaymeOrder {
  order: { id: string; total: number; currency: string; status: string };
  payment: { provider: string; paymentIntentId: string; clientSecret: string | null; checkoutUrl: string | null };
}

/** The buyer checks out `quantity` of `sku`, to pay with Payme. */
export async function orderWithPayme(buyer: TestUser, sku: string, quantity: number): Promise<PaymeOrder> {
  await addToCart(buyer, sku, quantity);
  const res = await api('POST', '/orders', {
    token: buyer.accessToken,
    body: { shippingAddress: ADDRESS, payment: { provider: 'payme' } },
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<PaymeOrder>();
}

export async function statusOf(buyer: TestUser, orderId: string): Promise<string> {
  const res = await api('GET', `/orders/${orderId}`, { token: buyer.accessToken });
  expect(res.status).toBe(200);
  return (await res.json<{ status: string }>()).status;
}
