import { orderItems, orders, sellerOrders, users } from '../../../shared/db/schema';
import { allocate } from '../../../shared/money';
import { newId } from '../../../shared/ids';
import { uniqueEmail, withDb } from '../../support/users';

/**
 * A known set of orders, written straight into the database in a year of its
 * own: random per run (so reruns against a kept Postgres never meet earlier
 * rows), far from the present (so no other suite's orders or users fall in
 * it), non-leap with 1 January on a Monday (so week and month buckets are
 * the same every run).
 */
function pickYear(): number {
  for (;;) {
    const year = 2200 + Math.floor(Math.random() * 7_700);
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (!leap && new Date(Date.UTC(year, 0, 1)).getUTCDay() === 1) return year;
  }
}

export const YEAR = pickYear();
/** `at('01-02 10:00')` → that instant of YEAR in UTC; `at('12-15', -1)` the year before. */
export const at = (when: string, yearOffset = 0) => new Date(`${YEAR + yearOffset}-${when.replace(' ', 'T')}${when.includes(' ') ? ':00' : 'T00:00:00'}Z`);
export const day = (mmdd: string, yearOffset = 0) => `${YEAR + yearOffset}-${mmdd}`;

type Role = 'customer' | 'seller';
interface Line {
  product: string;
  seller: string;
  qty: number;
  unit: number;
  name?: string;
}
interface OrderSpec {
  buyer: string;
  status: (typeof orders.$inferInsert)['status'];
  paidAt: Date | null;
  createdAt?: Date;
  currency?: string;
  tax?: number;
  shipping?: number;
  refunded?: number;
  lines: Line[];
}

async function insertUser(role: Role, createdAt: Date): Promise<string> {
  const id = newId();
  await withDb((db) => db.insert(users).values({ id, email: uniqueEmail(`an-${role}`), name: `Analytics ${role}`, passwordHash: 'x', role, createdAt, updatedAt: createdAt }));
  return id;
}

async function insertOrder(spec: OrderSpec): Promise<string> {
  const id = newId();
  const subtotal = spec.lines.reduce((sum, l) => sum + l.qty * l.unit, 0);
  const [tax, shipping] = [spec.tax ?? 0, spec.shipping ?? 0];
  const created = spec.createdAt ?? new Date((spec.paidAt?.getTime() ?? 0) - 3_600_000);
  const currency = spec.currency ?? 'USD';
  await withDb(async (db) => {
    await db.insert(orders).values({
      id,
      userId: spec.buyer,
      status: spec.status,
      currency,
      subtotal,
      tax,
      shipping,
      total: subtotal + tax + shipping,
      refundedAmount: spec.refunded ?? 0,
      shippingAddress: { recipientName: 'A', phone: '+998901234567', country: 'UZ', city: 'Toshkent', street: 'Amir Temur' },
      // Far in the future: the expiry sweep never picks these up.
      reservationExpiresAt: new Date(Date.UTC(YEAR + 1, 0, 1)),
      paidAt: spec.paidAt,
      createdAt: created,
      updatedAt: created,
    });
    // One seller order per seller, sharing the order's tax, shipping and refunds as checkout does.
    const sellers = [...new Set(spec.lines.map((l) => l.seller))].sort();
    const subtotals = sellers.map((s) => spec.lines.filter((l) => l.seller === s).reduce((sum, l) => sum + l.qty * l.unit, 0));
    const [taxes, shippings, refunds] = [tax, shipping, spec.refunded ?? 0].map((amount) => allocate(amount, subtotals));
    const sellerOrderIds = new Map(sellers.map((s) => [s, newId()]));
    const sellerStatus = spec.status === 'partially_refunded' ? 'delivered' : spec.status === 'partially_shipped' ? 'shipped' : spec.status;
    await db.insert(sellerOrders).values(
      sellers.map((sellerId, i) => ({
        id: sellerOrderIds.get(sellerId) as string,
        orderId: id,
        sellerId,
        status: sellerStatus,
        currency,
        subtotal: subtotals[i] as number,
        tax: taxes?.[i] as number,
        shipping: shippings?.[i] as number,
        total: (subtotals[i] as number) + (taxes?.[i] as number) + (shippings?.[i] as number),
        refundedAmount: refunds?.[i] as number,
        paidAt: spec.paidAt,
        createdAt: created,
        updatedAt: created,
      })),
    );
    await db.insert(orderItems).values(
      spec.lines.map((l) => ({
        id: newId(),
        orderId: id,
        sellerOrderId: sellerOrderIds.get(l.seller) as string,
        productId: l.product,
        sellerId: l.seller,
        sku: `AN-${l.product.slice(-8)}`,
        name: l.name ?? 'Product',
        quantity: l.qty,
        unitPrice: l.unit,
        lineTotal: l.qty * l.unit,
        currency,
        reservationId: `analytics:${id}:${l.product}`,
      })),
    );
  });
  return id;
}

/**
 * The figures each test expects are worked out by hand from this table in
 * figures.test.ts. Q1 of YEAR is the main range.
 */
export async function seedKnownOrders() {
  const [sellerA, sellerB] = [await insertUser('seller', at('01-01')), await insertUser('seller', at('01-01'))];
  const c0 = await insertUser('customer', at('11-01', -1));
  const c1 = await insertUser('customer', at('01-01'));
  const c2 = await insertUser('customer', at('01-09'));
  const c3 = await insertUser('customer', at('01-08'));
  await insertUser('customer', at('03-31 23:59')); // no orders, still a new customer
  await insertUser('customer', at('04-01')); // just after Q1
  const [pA1, pA2, pB1] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const A1 = (qty: number) => ({ product: pA1, seller: sellerA, qty, unit: 1000, name: 'Atlas scarf' });
  const A2 = (qty: number, name = 'Clay bowl', unit = 500) => ({ product: pA2, seller: sellerA, qty, unit, name });
  const B1 = (qty: number, unit = 3000) => ({ product: pB1, seller: sellerB, qty, unit, name: 'Suzani cushion' });

  const o = {
    O1: await insertOrder({ buyer: c1, status: 'delivered', paidAt: at('01-02 10:00'), tax: 600, shipping: 400, lines: [A1(2), B1(1)] }),
    O2: await insertOrder({ buyer: c1, status: 'paid', paidAt: at('01-02 23:30'), lines: [A2(1)] }),
    O3: await insertOrder({ buyer: c2, status: 'refunded', paidAt: at('01-10 12:00'), refunded: 1000, lines: [A1(1)] }),
    O4: await insertOrder({ buyer: c3, status: 'partially_refunded', paidAt: at('02-15 08:00'), tax: 1000, refunded: 2000, lines: [A1(1), B1(2)] }),
    O5: await insertOrder({ buyer: c2, status: 'pending_payment', paidAt: null, createdAt: at('01-15'), lines: [A1(5)] }),
    O6: await insertOrder({ buyer: c3, status: 'cancelled', paidAt: null, createdAt: at('01-20'), lines: [B1(3)] }),
    O7: await insertOrder({ buyer: c1, status: 'delivered', paidAt: at('01-03 09:00'), currency: 'EUR', lines: [B1(1, 2500)] }),
    O8: await insertOrder({ buyer: c0, status: 'delivered', paidAt: at('12-15 12:00', -1), lines: [A1(1)] }),
    O9: await insertOrder({ buyer: c0, status: 'shipped', paidAt: at('03-01 00:00'), lines: [B1(1)] }),
    O10: await insertOrder({ buyer: c2, status: 'delivered', paidAt: new Date(at('04-01').getTime() - 1_000), lines: [A2(3, 'Clay bowl, glazed')] }),
    O11: await insertOrder({ buyer: c1, status: 'paid', paidAt: at('04-01 00:00'), lines: [A2(1, 'Clay bowl, large', 700)] }),
    O12: await insertOrder({ buyer: c3, status: 'cancelled', paidAt: at('01-09 15:00'), refunded: 2000, lines: [A2(4)] }),
  };
  return { sellerA, sellerB, customers: { c0, c1, c2, c3 }, products: { pA1, pA2, pB1 }, orders: o };
}

export type Known = Awaited<ReturnType<typeof seedKnownOrders>>;
