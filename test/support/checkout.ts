import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { InventoryDO } from '../../durable-objects/inventory';
import { inventoryFor } from '../../durable-objects/inventory-client';
import { orders } from '../../shared/db/schema';
import worker from '../../workers/index';
import { testEnv } from './app';
import { createCategory, createProduct, productInput } from './catalog';
import { forwardStripeEvents } from './stripe';
import { api, createUser, type TestUser, withDb } from './users';

export const ADDRESS = {
  recipientName: 'Dilnoza Karimova',
  phone: '+998901234567',
  country: 'UZ',
  city: 'Toshkent',
  street: 'Bunyodkor ko‘chasi',
  house: '12A',
};

export interface Shop {
  admin: TestUser;
  seller: TestUser;
  skus: string[];
  productIds: string[];
}

/** A seller with products (one SKU each) priced as given (minor units of `currency`), each with `stock` units. */
export async function openShop(prices: number[], stock: number, currency = 'USD'): Promise<Shop> {
  const admin = await createUser('admin');
  const seller = await createUser('seller');
  const category = await createCategory(admin);
  const skus: string[] = [];
  const productIds: string[] = [];
  for (const price of prices) {
    const sku = `CO-${crypto.randomUUID().slice(0, 12)}`;
    const product = await createProduct(seller, productInput(category.id, { variants: [{ sku, price, currency }] }));
    skus.push(sku);
    productIds.push(product.id);
    await setStock(seller, sku, stock);
  }
  return { admin, seller, skus, productIds };
}

export async function setStock(seller: TestUser, sku: string, onHand: number): Promise<void> {
  const res = await api('PUT', `/inventory/${sku}`, { token: seller.accessToken, body: { onHand } });
  expect(res.status, await res.clone().text()).toBe(200);
  await runDurableObjectAlarm(env.INVENTORY.get(env.INVENTORY.idFromName(`sku:${sku}`)));
}

export function level(sku: string) {
  return inventoryFor(testEnv, sku).level();
}

export async function addToCart(user: TestUser, sku: string, quantity: number): Promise<void> {
  const res = await api('POST', '/cart/items', { token: user.accessToken, body: { sku, quantity } });
  expect(res.status, await res.clone().text()).toBe(201);
}

export interface Placed {
  order: { id: string; number: string; status: string; total: number; subtotal: number; tax: number; shipping: number; items: Array<{ sku: string; quantity: number }> };
  payment: { paymentIntentId: string; clientSecret: string | null };
}

export function placeOrder(user: TestUser, key = crypto.randomUUID(), body: unknown = { shippingAddress: ADDRESS }) {
  return api('POST', '/orders', { token: user.accessToken, body, headers: { 'idempotency-key': key } });
}

export function pay(user: TestUser, orderId: string, paymentMethodId = 'pm_card_visa') {
  return api('POST', '/payments/process', { token: user.accessToken, body: { orderId, paymentMethodId } });
}

// ---------------------------------------------------------------------------
// Shared by the checkout suites: buying, reading orders and payments, talking
// to the Stripe stand-in directly, and moving time (expiry) by hand.

export interface HistoryEntry {
  from: string | null;
  to: string;
  actor: string;
  note: string | null;
}

export interface OrderBody {
  id: string;
  number: string;
  userId: string;
  status: string;
  total: number;
  refundedAmount: number;
  cancelReason: string | null;
  cancelledAt: string | null;
  paymentIntentId: string | null;
  items: Array<{ sku: string; quantity: number; sellerId: string }>;
  history?: HistoryEntry[];
}

export interface PaymentBody {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  amountReceived: number;
  amountRefunded: number;
  lastError: string | null;
}

/** `n` customers, registered `batch` at a time (registration hashes a password). */
export async function customers(n: number, batch = 20): Promise<TestUser[]> {
  const users: TestUser[] = [];
  while (users.length < n) {
    const size = Math.min(batch, n - users.length);
    users.push(...(await Promise.all(Array.from({ length: size }, () => createUser('customer', 'buyer')))));
  }
  return users;
}

/** Fills the cart with these lines and places the order; fails unless 201. */
export async function buy(user: TestUser, lines: Array<[sku: string, quantity: number]>): Promise<Placed> {
  for (const [sku, quantity] of lines) await addToCart(user, sku, quantity);
  const res = await placeOrder(user);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<Placed>();
}

export async function orderOf(user: TestUser, id: string): Promise<OrderBody> {
  const res = await api('GET', `/orders/${id}`, { token: user.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<OrderBody>();
}

/** The order's payment as `user` (its buyer or an admin) sees it through GET /payments?orderId=. */
export async function paymentOf(user: TestUser, orderId: string): Promise<PaymentBody> {
  const res = await api('GET', `/payments?orderId=${orderId}`, { token: user.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  const { data } = await res.json<{ data: PaymentBody[] }>();
  expect(data).toHaveLength(1);
  return data[0] as PaymentBody;
}

/** Pays through POST /payments/process (fails unless 200), then forwards the webhooks that produced. */
export async function payAndSettle(user: TestUser, placed: Placed): Promise<void> {
  const res = await pay(user, placed.order.id);
  expect(res.status, await res.clone().text()).toBe(200);
  const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId);
  expect(statuses.every((s) => s === 200), String(statuses)).toBe(true);
}

export async function setOrderStatus(user: TestUser, id: string, status: string): Promise<Response> {
  return api('PUT', `/orders/${id}/status`, { token: user.accessToken, body: { status } });
}

/** The stand-in through the official SDK, as a client other than the Worker (a browser confirming with Stripe.js). */
export function stripeClient(): Stripe {
  const base = new URL(testEnv.STRIPE_API_BASE ?? '');
  return new Stripe(testEnv.STRIPE_SECRET_KEY ?? '', {
    host: base.hostname,
    port: Number(base.port),
    protocol: 'http',
    httpClient: Stripe.createFetchHttpClient(),
  });
}

/** Pays the PaymentIntent at Stripe without telling the Worker: only its webhooks will. */
export async function confirmAtStripe(paymentIntentId: string, paymentMethod = 'pm_card_visa'): Promise<Stripe.PaymentIntent> {
  const intent = await stripeClient().paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod });
  expect(intent.status).toBe('succeeded');
  return intent;
}

/** What Stripe holds for the intent: its status and what its charge has refunded. */
export async function intentAtStripe(paymentIntentId: string) {
  const intent = await stripeClient().paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return { status: intent.status, amount: intent.amount, amountReceived: intent.amount_received, amountRefunded: charge?.amount_refunded ?? 0 };
}

/** A `Stripe-Signature` header for `body`, as Stripe makes it (HMAC-SHA256 over `${t}.${body}`). */
export async function signStripe(body: string, options: { secret?: string; t?: number } = {}): Promise<string> {
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(options.secret ?? testEnv.STRIPE_WEBHOOK_SECRET ?? ''),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The passing of time for an order's reservations: moved into the past inside each InventoryDO, then its alarm runs. */
export async function expireReservations(orderId: string, skus: string[]): Promise<void> {
  for (const sku of skus) {
    const { stub } = inventoryFor(testEnv, sku);
    const id = `order:${orderId}:${sku}`;
    const moved = await runInDurableObject(stub, async (_i: InventoryDO, state) => {
      const n = state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM reservations WHERE id = ? AND status = 'active'`, id).one().n;
      state.storage.sql.exec(`UPDATE reservations SET expires_at = ? WHERE id = ? AND status = 'active'`, Date.now() - 1_000, id);
      if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
      return n;
    });
    expect(moved, `no active reservation ${id}`).toBe(1);
    await runDurableObjectAlarm(stub);
  }
}

/** The passing of time for the order row: its reservation deadline moves into the past. */
export async function expireOrderRow(orderId: string): Promise<void> {
  await withDb((db) => db.update(orders).set({ reservationExpiresAt: new Date(Date.now() - 60_000) }).where(eq(orders.id, orderId)));
}

/** Runs the Worker's cron handler (every scheduled job, the order-expiry sweep among them) to completion. */
export async function runCron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** The InventoryDO's movement log for a SKU, newest first. */
export const movements = (sku: string) => inventoryFor(testEnv, sku).movements(null, 100);

/** How many history entries of the order went to `status`. */
export const entriesTo = (order: OrderBody, status: string) => (order.history ?? []).filter((h) => h.to === status).length;
