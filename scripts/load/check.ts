/**
 * The invariants after `npm run load`, gathered from outside the Worker: each
 * SKU's InventoryDO through the inventory API (as its owner: level,
 * reservations, the movement log), orders and payments straight from
 * Postgres, charges from the Stripe stand-in's events. Judged by the same
 * rules as the fault injection tests (scripts/load/invariant-rules.ts).
 */
import pg from 'pg';
import { callOk } from '../bench/fixtures';
import type { StripeStandin } from '../stack/stripe-standin';
import { checkInvariants, type OrderSnapshot, type SkuSnapshot } from './invariant-rules';

interface StockBody {
  onHand: number;
  reserved: number;
  available: number;
  reservations?: Array<{ id: string; qty: number }>;
}

interface MovementPage {
  data: Array<{ delta: number; reason: string; reservationId: string | null }>;
  nextCursor: string | null;
}

async function skuSnapshot(baseUrl: string, token: string, sku: string): Promise<SkuSnapshot> {
  const path = `/api/v1/inventory/${encodeURIComponent(sku)}`;
  const { body: stock } = await callOk<StockBody>(baseUrl, 'GET', path, { token });
  const movements: SkuSnapshot['movements'] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { body: page } = await callOk<MovementPage>(baseUrl, 'GET', `${path}/movements${query}`, { token });
    movements.push(...page.data.map((m) => ({ delta: m.delta, reason: m.reason, reservationId: m.reservationId })));
    cursor = page.nextCursor;
  } while (cursor);
  return {
    sku,
    onHand: stock.onHand,
    reserved: stock.reserved,
    available: stock.available,
    reservations: (stock.reservations ?? []).map((r) => ({ id: r.id, qty: r.qty })),
    movements,
  };
}

async function ordersOf(databaseUrl: string, skus: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const items = await client.query<{ id: string; status: string; sku: string; quantity: number; reservation_id: string }>(
      `select o.id, o.status, i.sku, i.quantity, i.reservation_id from orders o join order_items i on i.order_id = o.id
       where o.id in (select order_id from order_items where sku = any($1))`,
      [skus],
    );
    const empty = await client.query<{ id: string }>('select o.id from orders o left join order_items i on i.order_id = o.id where i.id is null');
    const payments = await client.query<{ order_id: string; n: number }>('select order_id, count(*)::int as n from payments group by order_id');
    const orders = new Map<string, OrderSnapshot>();
    for (const r of items.rows) {
      const order = orders.get(r.id) ?? { id: r.id, status: r.status, items: [] };
      order.items.push({ sku: r.sku, quantity: Number(r.quantity), reservationId: r.reservation_id });
      orders.set(r.id, order);
    }
    return {
      orders: [...orders.values()],
      ordersWithoutItems: empty.rows.map((r) => r.id),
      paymentsPerOrder: new Map(payments.rows.map((r) => [r.order_id, Number(r.n)])),
    };
  } finally {
    await client.end();
  }
}

/** Successful charges per PaymentIntent: the stand-in's `charge.succeeded` events. */
function chargesPerIntent(stripe: StripeStandin | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of stripe?.events() ?? []) {
    if (event.type !== 'charge.succeeded') continue;
    const intent = (event.data.object as { payment_intent?: string | null }).payment_intent;
    if (intent) counts.set(intent, (counts.get(intent) ?? 0) + 1);
  }
  return counts;
}

export async function checkAfterLoad(options: { baseUrl: string; ownerToken: string; databaseUrl: string; skus: string[]; stripe?: StripeStandin }) {
  const skus = await Promise.all(options.skus.map((sku) => skuSnapshot(options.baseUrl, options.ownerToken, sku)));
  const found = await ordersOf(options.databaseUrl, options.skus);
  const violations = checkInvariants({ skus, ...found, chargesPerIntent: chargesPerIntent(options.stripe) });
  const paidOrders = found.orders.filter((o) => o.status === 'paid').length;
  return { violations, checkedSkus: skus.length, checkedOrders: found.orders.length, paidOrders };
}
