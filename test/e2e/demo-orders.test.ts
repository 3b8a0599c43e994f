import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDER_SCENARIOS, seedDemoOrders, type DemoOrder } from '../../scripts/stack/demo-orders';
import { DEMO_PICKUP_POINTS, DEMO_ZONES, seedDemoShipping } from '../../scripts/stack/demo-shipping';
import { startStack, type Stack } from '../../scripts/stack/index';
import { DEMO_ACCOUNTS } from '../../scripts/stack/seed';
import { startWorkerRunner, type WorkerRunner } from '../../scripts/stack/workerd-runner';

/** The demo store's shipping setup and its orders in every state, as `npm run dev` makes them, against the bundled Worker. */
let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
let made: DemoOrder[] | null = null;

beforeAll(async () => {
  stack = await startStack({ seed: true, catalogProducts: 40 });
  runner = await startWorkerRunner({
    // Payme's checkout links point at the local sandbox's pages, as in `npm run dev`.
    bindings: { ...stack.bindings, PAYME_CHECKOUT_BASE: stack.payme.checkoutBase, APP_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' },
    outDir: 'test/out/bundle-demo-orders',
  });
  stack.stripe?.setWebhookUrl(`${runner.entryUrl}/api/v1/webhooks/stripe`);
  // The demo orders are paid through the local Payme sandbox, which calls this Worker as `npm run dev` arranges.
  stack.payme.setEndpoint(`${runner.entryUrl}/api/v1/payments/payme`);
  made = await seedDemoOrders(`${runner.entryUrl}/api/v1`);
}, 300_000);

afterAll(async () => {
  await runner?.close();
  await stack?.close();
});

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack!.bindings.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('demo shipping', () => {
  it('has the three regional zones and no whole-country zone, pickup points in Tashkent and Samarkand', async () => {
    const zones = await query<{ name: string; region_codes: string[] }>('select name, region_codes from shipping_zones order by name');
    expect(zones.map((z) => z.name)).toEqual([...DEMO_ZONES.map((z) => z.name)].sort());
    expect(zones.every((z) => z.region_codes.length > 0)).toBe(true);
    const points = await query<{ region_code: string }>('select region_code from pickup_points where active');
    expect(points.filter((p) => p.region_code === 'UZ-TK').length).toBeGreaterThanOrEqual(2);
    expect(points.filter((p) => p.region_code === 'UZ-SA')).toHaveLength(1);
    const methods = await query<{ kind: string; seller_id: string | null; currency: string }>('select kind, seller_id, currency from shipping_methods');
    expect(methods.filter((m) => m.seller_id === null).map((m) => m.kind).sort()).toEqual(['courier', 'pickup', 'post']);
    expect(methods.filter((m) => m.seller_id !== null)).toHaveLength(1);
    expect(new Set(methods.map((m) => m.currency))).toEqual(new Set(['UZS']));
  });

  it('seeding again adds nothing', async () => {
    expect(await seedDemoShipping(stack!.bindings.DATABASE_URL)).toEqual({ created: 0 });
    expect(await query('select id from pickup_points')).toHaveLength(DEMO_PICKUP_POINTS.length);
  });

  it('offers a Tashkent address a choice of methods, and an address without a region none (flat-rate fallback)', async () => {
    const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer')!;
    const login = await fetch(`${runner!.entryUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: customer.email, password: customer.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const products = (await (await fetch(`${runner!.entryUrl}/api/v1/products?inStock=true&limit=20`)).json()) as {
      data: Array<{ variants: Array<{ sku: string; available: number }> }>;
    };
    const sku = products.data.flatMap((p) => p.variants).find((v) => v.available > 0)!.sku;
    const auth = { authorization: `Bearer ${accessToken}` };
    await fetch(`${runner!.entryUrl}/api/v1/cart/items`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 1 }),
    });
    const options = async (qs: string) =>
      ((await (await fetch(`${runner!.entryUrl}/api/v1/shipping/options?${qs}`, { headers: auth })).json()) as {
        groups: Array<{ choiceRequired: boolean; options: Array<{ kind: string }> }>;
      }).groups;
    const tashkent = await options('country=UZ&regionCode=UZ-TK');
    expect(tashkent[0]!.choiceRequired).toBe(true);
    expect(tashkent[0]!.options.map((o) => o.kind)).toEqual(expect.arrayContaining(['courier', 'post', 'pickup']));
    expect((await options('country=UZ')).every((g) => !g.choiceRequired)).toBe(true);
    await fetch(`${runner!.entryUrl}/api/v1/cart`, { method: 'DELETE', headers: auth });
  });
});

describe('demo orders', () => {
  it('makes one order per scenario', () => {
    expect(made?.map((o) => o.scenario)).toEqual([...DEMO_ORDER_SCENARIOS]);
  });

  it('leaves the orders, seller orders and returns in every state', async () => {
    const orderStatus = Object.fromEntries(made!.map((o) => [o.scenario, o.status]));
    expect(orderStatus).toEqual({
      pending_payment: 'pending_payment',
      paid: 'paid',
      processing: 'processing',
      partially_shipped: 'partially_shipped',
      shipped: 'shipped',
      delivered: 'delivered',
      seller_order_cancelled: 'partially_refunded',
      cancelled_unpaid: 'cancelled',
      return_requested: 'delivered',
      return_refunded: 'refunded',
    });
    const sellerOrders = await query<{ status: string }>('select distinct status from seller_orders');
    expect(sellerOrders.map((s) => s.status).sort()).toEqual(
      ['cancelled', 'delivered', 'paid', 'partially_shipped', 'pending_payment', 'processing', 'refunded', 'shipped'].sort(),
    );
    const returns = await query<{ status: string }>('select status from returns');
    expect(returns.map((r) => r.status).sort()).toEqual(['refunded', 'requested']);
    const shipments = await query<{ n: number }>("select count(*)::int as n from shipments where tracking_number like 'UZ%'");
    expect(shipments[0]!.n).toBeGreaterThanOrEqual(5);
  });

  it('does nothing when the demo customer already has orders', async () => {
    expect(await seedDemoOrders(`${runner!.entryUrl}/api/v1`)).toBeNull();
    expect(await query('select id from orders')).toHaveLength(DEMO_ORDER_SCENARIOS.length);
  });
});

describe('demo reviews', () => {
  it('review only delivered products of the demo customer, and the products carry exactly their rating', async () => {
    const reviews = await query<{ product_id: string; delivered: boolean; replied: boolean }>(`
      select r.product_id, r.reply is not null as replied, exists (
        select 1 from order_items i join seller_orders so on so.id = i.seller_order_id join orders o on o.id = i.order_id
        where i.product_id = r.product_id and o.user_id = r.author_id and so.status = 'delivered') as delivered
      from reviews r`);
    expect(reviews.length).toBeGreaterThanOrEqual(2);
    expect(reviews.every((r) => r.delivered)).toBe(true);
    expect(reviews.filter((r) => r.replied)).toHaveLength(1);
    const drift = await query(`
      select p.id from products p left join reviews r on r.product_id = p.id and r.hidden_at is null
      group by p.id having p.rating_count <> count(r.id) or p.rating_sum <> coalesce(sum(r.stars), 0)`);
    expect(drift).toEqual([]);
  });
});
