/**
 * The demo store's orders: the demo customer's orders in every state, made
 * through the running Worker's API exactly as a buyer and the sellers would
 * (cart, shipping options, checkout, payment through the Stripe stand-in,
 * shipments, cancellation, returns). `npm run dev` runs it once the Worker is
 * up; it does nothing when the demo customer already has an order.
 *
 * Needs the demo accounts, catalog and shipping (scripts/stack/seed.ts,
 * demo-catalog.ts, demo-shipping.ts) and a Worker whose payment webhooks
 * arrive (the stand-in's webhook URL pointed at it).
 */
import { DEMO_ACCOUNTS, DEMO_SELLERS } from './seed';
import { seedDemoReviews } from './demo-reviews';

/** What each demo order is left in, in the order they are made (docs/local-stack.md). */
export const DEMO_ORDER_SCENARIOS = [
  'pending_payment',
  'paid',
  'processing',
  'partially_shipped',
  'shipped',
  'delivered',
  'seller_order_cancelled',
  'cancelled_unpaid',
  'return_requested',
  'return_refunded',
] as const;
export type DemoOrderScenario = (typeof DEMO_ORDER_SCENARIOS)[number];

export interface DemoOrder {
  scenario: DemoOrderScenario;
  orderId: string;
  number: string;
  status: string;
}

interface Session {
  token: string;
  userId: string;
  email: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DemoOrdersOptions {
  /** How long to wait for a payment's webhook to mark an order paid (ms). */
  paidTimeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Makes the demo orders through the API at `apiBase` (e.g. `http://127.0.0.1:8787/api/v1`).
 * Answers null (and changes nothing) when the demo customer already has orders.
 */
export async function seedDemoOrders(apiBase: string, options: DemoOrdersOptions = {}): Promise<DemoOrder[] | null> {
  const api = apiBase.replace(/\/$/, '');
  const paidTimeoutMs = options.paidTimeoutMs ?? 30_000;

  async function call(method: string, path: string, session?: Session, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...(session ? { authorization: `Bearer ${session.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`demo orders: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as Json) : {};
  }
  const key = () => ({ 'idempotency-key': crypto.randomUUID() });

  async function login(email: string, password: string): Promise<Session> {
    const body = await call('POST', '/auth/login', undefined, { email, password });
    return { token: body.accessToken as string, userId: body.user.id as string, email };
  }

  const customerAccount = DEMO_ACCOUNTS.find((a) => a.role === 'customer')!;
  const customer = await login(customerAccount.email, customerAccount.password);
  const existing = await call('GET', '/orders?limit=1', customer);
  if ((existing.data as unknown[]).length > 0) return null;

  const sellers = await Promise.all(DEMO_SELLERS.map((s) => login(s.email, s.password)));
  const sellerById = new Map(sellers.map((s) => [s.userId, s]));

  // In-stock SKUs per seller, used in turn so that no SKU runs out. The cheapest first: the demo store is in
  // UZS (tiyin) and these orders are paid through the Stripe stand-in, whose amounts stop at eight digits.
  const skus = new Map<string, string[]>();
  let cursor: string | undefined;
  do {
    const page = await call('GET', `/products?inStock=true&sort=price_asc&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const p of page.data as Json[]) {
      const variant = (p.variants as Json[]).find((v) => v.available >= 3);
      if (variant && sellerById.has(p.sellerId)) skus.set(p.sellerId, [...(skus.get(p.sellerId) ?? []), variant.sku as string]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && [...skus.values()].filter((l) => l.length >= 4).length < sellers.length);
  const selling = sellers.filter((s) => skus.has(s.userId));
  if (selling.length < 2) throw new Error('demo orders: need in-stock products of at least two demo sellers (seed the demo catalog first)');
  let turn = 0;
  const nextSku = (seller: Session) => {
    const list = skus.get(seller.userId)!;
    return list[turn++ % list.length]!;
  };
  let sellerTurn = 0;
  const nextSellers = (n: number) => Array.from({ length: n }, (_, i) => selling[(sellerTurn + i) % selling.length]!).filter((s, i, all) => all.indexOf(s) === i);

  /** Puts one unit of a product of each seller listed (per listing) in the cart and places the order with a shipping choice per seller. */
  async function place(lines: Session[], regionCode: string, pick: number): Promise<Json> {
    sellerTurn++;
    for (const seller of lines) await call('POST', '/cart/items', customer, { sku: nextSku(seller), quantity: 1 });
    const options = await call('GET', `/shipping/options?country=UZ&regionCode=${regionCode}`, customer);
    const shipping = (options.groups as Json[])
      .filter((g) => g.choiceRequired)
      .map((g) => {
        const option = (g.options as Json[])[pick % g.options.length]!;
        const point = (option.pickupPoints as Json[])[0];
        return { sellerId: g.sellerId, methodId: option.methodId, ...(option.kind === 'pickup' && point ? { pickupPointId: point.id } : {}) };
      });
    const city = regionCode === 'UZ-SA' ? 'Samarqand' : regionCode === 'UZ-FA' ? 'Farg‘ona' : 'Toshkent';
    const placed = await call(
      'POST',
      '/orders',
      customer,
      {
        shippingAddress: { recipientName: 'Dilnoza Karimova', phone: '+998901234567', country: 'UZ', regionCode, city, street: 'Mustaqillik 12' },
        shipping,
        payment: { provider: 'payme' },
      },
      key(),
    );
    checkoutUrls.set(placed.order.id as string, placed.payment.checkoutUrl as string);
    return placed.order as Json;
  }

  const checkoutUrls = new Map<string, string>();
  const getOrder = (id: string) => call('GET', `/orders/${id}`, customer);

  /** The buyer presses "Pay" on the order's Payme page: the local Payme sandbox then drives the Merchant API. */
  async function pay(order: Json): Promise<void> {
    const page = checkoutUrls.get(order.id as string);
    const res = await fetch(`${page}/pay`, { method: 'POST' });
    if (!res.ok) throw new Error(`demo orders: the Payme sandbox answered ${res.status} for order ${order.id}`);
    const deadline = Date.now() + paidTimeoutMs;
    while ((await getOrder(order.id as string)).status !== 'paid') {
      if (Date.now() > deadline) throw new Error(`demo orders: order ${order.id} was not paid within ${paidTimeoutMs} ms (is the payment webhook reaching the Worker?)`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The order's seller orders, with the session of each one's seller, in the order of `sellers`. */
  async function parts(orderId: string, sellers: Session[]): Promise<Array<{ id: string; seller: Session }>> {
    const order = await getOrder(orderId);
    return sellers.map((seller) => ({ id: (order.sellerOrders as Json[]).find((so) => so.sellerId === seller.userId)!.id as string, seller }));
  }

  /** Ships everything the seller order has left (or one unit of it) in one parcel; answers the parcel's id. */
  async function ship(part: { id: string; seller: Session }, n: number, onlyOneUnit = false): Promise<string> {
    const so = await call('GET', `/seller-orders/${part.id}`, part.seller);
    const left = (so.items as Json[]).map((i) => ({ orderItemId: i.id, quantity: i.quantity - i.shippedQuantity })).filter((i) => i.quantity > 0);
    const items = onlyOneUnit ? [{ ...left[0]!, quantity: 1 }] : left;
    const carrier = n % 2 ? 'UzPost' : 'Yandex Delivery';
    const tracking = `UZ${String(100_000_000 + n * 7_919).slice(0, 9)}`;
    const shipped = await call('POST', `/seller-orders/${part.id}/shipments`, part.seller, {
      items,
      carrier,
      trackingNumber: tracking,
      trackingUrl: `https://track.example.uz/${tracking}`,
    });
    return (shipped.shipments as Json[]).at(-1)!.id as string;
  }

  async function deliver(part: { id: string; seller: Session }, n: number): Promise<void> {
    const parcel = await ship(part, n);
    await call('POST', `/shipments/${parcel}/delivered`, part.seller);
  }

  async function requestReturn(orderId: string): Promise<{ ret: Json; seller: Session }> {
    const order = await getOrder(orderId);
    const so = (order.sellerOrders as Json[])[0]!;
    const items = (order.items as Json[]).filter((i) => i.sellerId === so.sellerId).slice(0, 1);
    const ret = await call(
      'POST',
      '/returns',
      customer,
      { orderId, sellerOrderId: so.id, items: items.map((i) => ({ orderItemId: i.id, quantity: 1 })), reason: 'Rangi rasmdagidan boshqacha' },
      key(),
    );
    return { ret, seller: sellerById.get(so.sellerId as string)! };
  }

  const made: DemoOrder[] = [];
  for (const [n, scenario] of DEMO_ORDER_SCENARIOS.entries()) {
    const twoSellers = scenario === 'partially_shipped' || scenario === 'seller_order_cancelled';
    const region = n % 3 === 2 ? 'UZ-SA' : 'UZ-TK';
    const orderSellers = nextSellers(twoSellers ? 2 : 1);
    // Partially shipped: the first seller has two lines and ships one of them.
    const order = await place(scenario === 'partially_shipped' ? [orderSellers[0]!, ...orderSellers] : orderSellers, region, n);
    const id = order.id as string;
    if (scenario === 'cancelled_unpaid') await call('DELETE', `/orders/${id}`, customer);
    if (scenario !== 'pending_payment' && scenario !== 'cancelled_unpaid') {
      await pay(order);
      const [first, second] = await parts(id, orderSellers);
      if (scenario === 'processing') await call('POST', `/seller-orders/${first!.id}/status`, first!.seller, { status: 'processing' });
      if (scenario === 'partially_shipped') await ship(first!, n, true);
      if (scenario === 'shipped') await ship(first!, n);
      if (scenario === 'delivered' || scenario.startsWith('return_')) await deliver(first!, n);
      if (scenario === 'seller_order_cancelled') await call('POST', `/orders/${id}/seller-orders/${second!.id}/cancel`, customer, undefined, key());
      if (scenario.startsWith('return_')) {
        const { ret, seller } = await requestReturn(id);
        if (scenario === 'return_refunded') {
          await call('POST', `/returns/${ret.id}/approve`, seller);
          const items = (ret.items as Json[]).map((i) => ({ returnItemId: i.id, restockable: true }));
          await call('POST', `/returns/${ret.id}/refund`, seller, { items }, key());
        }
      }
    }
    const now = await getOrder(id);
    made.push({ scenario, orderId: id, number: now.number as string, status: now.status as string });
    options.log?.(`demo orders: ${now.number as string} ${scenario} (order ${now.status as string})`);
  }
  const reviews = await seedDemoReviews(api, customer, sellers, made);
  options.log?.(`demo orders: ${reviews} reviews of delivered products`);
  return made;
}
