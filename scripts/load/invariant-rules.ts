/**
 * The checkout invariants, as pure functions over snapshots: the fault
 * injection tests (test/support/invariants.ts, inside workerd) and the load
 * tool (scripts/load/check.ts, from Node over the API) gather the same facts
 * their own way and judge them here, so both mean the same thing by
 * "conserved" and "committed exactly once".
 */

/** One SKU as its InventoryDO holds it. */
export interface SkuSnapshot {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  /** Active, unexpired reservations. */
  reservations: Array<{ id: string; qty: number }>;
  /** The whole movement log (any order): `import`/`set`/`adjust:*` change the shelf, `sale` is a commit. */
  movements: Array<{ delta: number; reason: string; reservationId: string | null }>;
}

export interface OrderSnapshot {
  id: string;
  status: string;
  items: Array<{ sku: string; quantity: number; reservationId: string }>;
}

export interface InvariantInput {
  skus: SkuSnapshot[];
  /** Every order holding an item of one of these SKUs. */
  orders: OrderSnapshot[];
  /** Ids of orders (anywhere) that have no item: must be empty. */
  ordersWithoutItems: string[];
  /** Payment rows per order id, for the orders above. */
  paymentsPerOrder: Map<string, number>;
  /** Successful charges per PaymentIntent at Stripe (the stand-in's `charge.succeeded` events). */
  chargesPerIntent: Map<string, number>;
}

/** Statuses whose stock has been sold and must stay committed. */
export const SOLD_STATUSES = new Set(['paid', 'processing', 'shipped', 'delivered']);
/** Reservation ids that are not an order's: cart holds (CART_HOLD_MINUTES > 0). */
const CART_HOLD = /^cart:/;

/** Order id of a reservation id: `order:<orderId>:<sku>` (checkout) or `late:<orderId>:<sku>` (a payment after expiry). */
export function orderOfReservation(reservationId: string): string | undefined {
  return /^(?:order|late):([^:]+):/.exec(reservationId)?.[1];
}

/** Every broken invariant, in words; empty when all hold. */
export function checkInvariants(input: InvariantInput): string[] {
  const violations: string[] = [];
  const orders = new Map(input.orders.map((o) => [o.id, o]));

  for (const id of input.ordersWithoutItems) violations.push(`order ${id} has no items`);

  for (const stock of input.skus) {
    const { sku } = stock;
    const logged = stock.movements.reduce((n, m) => n + m.delta, 0);
    if (logged !== stock.onHand) violations.push(`${sku}: movement log sums to ${logged} but onHand is ${stock.onHand}`);
    const held = stock.reservations.reduce((n, r) => n + r.qty, 0);
    if (held !== stock.reserved) violations.push(`${sku}: reserved ${stock.reserved} but active reservations hold ${held}`);
    if (stock.onHand < stock.reserved) violations.push(`${sku}: reserved ${stock.reserved} exceeds onHand ${stock.onHand}`);
    if (stock.available !== Math.max(0, stock.onHand - stock.reserved) || stock.available < 0) {
      violations.push(`${sku}: available ${stock.available} is not onHand ${stock.onHand} - reserved ${stock.reserved}`);
    }

    // Every active reservation belongs to an order still waiting for its payment.
    for (const r of stock.reservations) {
      if (CART_HOLD.test(r.id)) continue;
      const order = orders.get(orderOfReservation(r.id) ?? '');
      if (!order) violations.push(`${sku}: reservation ${r.id} (${r.qty}) belongs to no order`);
      else if (order.status !== 'pending_payment') violations.push(`${sku}: reservation ${r.id} still held by a ${order.status} order`);
    }

    // Sales: each belongs to one order item, at most once, for its quantity.
    const salesByOrder = new Map<string, number[]>();
    for (const m of stock.movements.filter((m) => m.reason === 'sale')) {
      const orderId = orderOfReservation(m.reservationId ?? '') ?? '';
      const item = orders.get(orderId)?.items.find((i) => i.sku === sku);
      if (!item) {
        violations.push(`${sku}: sale of ${-m.delta} under ${m.reservationId} matches no order item`);
        continue;
      }
      if (-m.delta !== item.quantity) violations.push(`${sku}: order ${orderId} sold ${-m.delta}, its item has ${item.quantity}`);
      salesByOrder.set(orderId, [...(salesByOrder.get(orderId) ?? []), -m.delta]);
    }
    let sold = 0;
    for (const order of input.orders) {
      const item = order.items.find((i) => i.sku === sku);
      if (!item) continue;
      const sales = salesByOrder.get(order.id) ?? [];
      sold += sales.reduce((n, q) => n + q, 0);
      if (sales.length > 1) violations.push(`${sku}: order ${order.id} committed ${sales.length} times`);
      if (SOLD_STATUSES.has(order.status) && sales.length === 0) violations.push(`${sku}: ${order.status} order ${order.id} never committed its stock`);
      if (order.status === 'pending_payment' && sales.length > 0) violations.push(`${sku}: unpaid order ${order.id} took stock`);
    }
    // Conservation: what came onto the shelf minus what orders bought is what is there.
    const stocked = stock.movements.filter((m) => m.reason !== 'sale').reduce((n, m) => n + m.delta, 0);
    if (stocked - sold !== stock.onHand) {
      violations.push(`${sku}: stocked ${stocked} - sold to orders ${sold} = ${stocked - sold}, but onHand is ${stock.onHand}`);
    }
  }

  for (const order of input.orders) {
    const rows = input.paymentsPerOrder.get(order.id) ?? 0;
    if (rows > 1) violations.push(`order ${order.id} has ${rows} payment rows`);
  }
  for (const [intent, charges] of input.chargesPerIntent) {
    if (charges > 1) violations.push(`PaymentIntent ${intent} was charged ${charges} times`);
  }
  return violations;
}
