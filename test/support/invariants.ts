import { inArray, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { inventoryFor } from '../../durable-objects/inventory-client';
import { payments } from '../../shared/db/schema';
import { checkInvariants, type OrderSnapshot, type SkuSnapshot } from '../../scripts/load/invariant-rules';
import { testEnv } from './app';
import { stripeEvents } from './stripe';
import { withDb } from './users';

/** A SKU's InventoryDO as the invariants see it: level, active reservations and the whole movement log. */
export async function skuSnapshot(sku: string): Promise<SkuSnapshot> {
  const inventory = inventoryFor(testEnv, sku);
  const [level, reservations] = await Promise.all([inventory.level(), inventory.reservations()]);
  const movements: SkuSnapshot['movements'] = [];
  for (let before: number | null = null; ; ) {
    const page = await inventory.movements(before, 100);
    movements.push(...page.map((m) => ({ delta: m.delta, reason: m.reason, reservationId: m.reservationId })));
    if (page.length < 100) break;
    before = page[page.length - 1]?.seq ?? null;
  }
  return { ...level, reservations: reservations.map((r) => ({ id: r.id, qty: r.qty })), movements };
}

async function ordersOf(skus: string[]) {
  return withDb(async (db) => {
    const rows = await db.execute<{ id: string; status: string; payment_intent_id: string | null; sku: string; quantity: number; reservation_id: string }>(sql`
      select o.id, o.status, o.payment_intent_id, i.sku, i.quantity, i.reservation_id
      from orders o join order_items i on i.order_id = o.id
      where o.id in (select order_id from order_items where sku in (${sql.join(skus.map((s) => sql`${s}`), sql`, `)}))`);
    const empty = await db.execute<{ id: string }>(sql`
      select o.id from orders o left join order_items i on i.order_id = o.id where i.id is null`);
    const orders = new Map<string, OrderSnapshot & { intent: string | null }>();
    for (const r of rows.rows) {
      const order = orders.get(r.id) ?? { id: r.id, status: r.status, intent: r.payment_intent_id, items: [] };
      order.items.push({ sku: r.sku, quantity: Number(r.quantity), reservationId: r.reservation_id });
      orders.set(r.id, order);
    }
    const ids = [...orders.keys()];
    const paymentRows = ids.length ? await db.select({ orderId: payments.orderId }).from(payments).where(inArray(payments.orderId, ids)) : [];
    const paymentsPerOrder = new Map<string, number>();
    for (const p of paymentRows) paymentsPerOrder.set(p.orderId, (paymentsPerOrder.get(p.orderId) ?? 0) + 1);
    return { orders: [...orders.values()], ordersWithoutItems: empty.rows.map((r) => r.id), paymentsPerOrder };
  });
}

/** Successful charges per PaymentIntent, from the webhooks the Stripe stand-in sent (each event once). */
async function chargesOf(intents: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const intent of intents) {
    const events = await stripeEvents(intent);
    counts.set(intent, new Set(events.filter((e) => e.type === 'charge.succeeded').map((e) => e.id)).size);
  }
  return counts;
}

/**
 * The invariants of DESIGN §4 over the SKUs a scenario touched (and every
 * order holding one of them): stock conserved, each paid order committed
 * exactly once, no reservation left without a pending order, no order
 * without items, no PaymentIntent charged twice. Returns the violations.
 */
export async function invariantViolations(skus: string[], extraIntents: string[] = []): Promise<string[]> {
  const [snapshots, found] = await Promise.all([Promise.all(skus.map(skuSnapshot)), ordersOf(skus)]);
  const intents = [...new Set([...found.orders.map((o) => o.intent).filter((i): i is string => i !== null), ...extraIntents])];
  return checkInvariants({ skus: snapshots, ...found, chargesPerIntent: await chargesOf(intents) });
}

/** Fails the test with every broken invariant listed. */
export async function expectInvariants(skus: string[], extraIntents: string[] = []): Promise<void> {
  expect(await invariantViolations(skus, extraIntents)).toEqual([]);
}
