import { eq, sql } from 'drizzle-orm';
import { orderItems, orders, payments, refundAllocations, sellerOrders, users } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { withDb } from '../../support/users';
import { expectedCommission } from './helpers';

/**
 * The facts the ledger is derived from, written straight into the tables
 * (what checkout, payment and refundPart leave behind), so a property test can
 * run hundreds of steps without paying for HTTP, Stripe and stock each time.
 */
export async function insertUser(role: 'customer' | 'seller'): Promise<string> {
  const id = newId();
  await withDb((db) => db.insert(users).values({ id, email: `ledger-${id}@example.test`, name: 'Ledger', passwordHash: 'x', role }));
  return id;
}

export interface FactOrder {
  orderId: string;
  paymentId: string;
  total: number;
  sellerOrders: Array<{ id: string; sellerId: string; total: number; commission: number }>;
}

export async function insertOrder(buyerId: string, parts: Array<{ sellerId: string; total: number; bps: number }>, currency = 'USD'): Promise<FactOrder> {
  const orderId = newId();
  const paymentId = newId();
  const total = parts.reduce((a, p) => a + p.total, 0);
  const sos = parts.map((p) => ({ id: newId(), sellerId: p.sellerId, total: p.total, commission: expectedCommission(p.total, p.bps), bps: p.bps }));
  await withDb(async (db) => {
    await db.insert(orders).values({
      id: orderId,
      userId: buyerId,
      currency,
      subtotal: total,
      tax: 0,
      shipping: 0,
      total,
      shippingAddress: { recipientName: 'X', phone: '+998901234567', country: 'UZ', city: 'Toshkent', street: 'Y' },
      reservationExpiresAt: new Date(Date.now() + 3_600_000),
    });
    await db.insert(sellerOrders).values(
      sos.map((so) => ({ id: so.id, orderId, sellerId: so.sellerId, currency, subtotal: so.total, tax: 0, shipping: 0, total: so.total, commissionBps: so.bps, commission: so.commission })),
    );
    // One line per seller order, of a SKU no other test stocks (every order has items: the checkout invariants check it).
    await db.insert(orderItems).values(
      sos.map((so) => ({
        id: newId(),
        orderId,
        sellerOrderId: so.id,
        productId: newId(),
        sellerId: so.sellerId,
        sku: `LEDGER-FACT-${so.id}`,
        name: 'Ledger fact',
        quantity: 1,
        unitPrice: so.total,
        lineTotal: so.total,
        currency,
        reservationId: `order:${orderId}:LEDGER-FACT-${so.id}`,
      })),
    );
    await db.insert(payments).values({ id: paymentId, orderId, userId: buyerId, paymentIntentId: `pi_fact_${paymentId}`, status: 'requires_payment_method', amount: total, currency });
  });
  return { orderId, paymentId, total, sellerOrders: sos };
}

/** The provider captured the whole amount and the order became paid. */
export const markPaid = (o: FactOrder) =>
  withDb(async (db) => {
    await db.update(orders).set({ status: 'paid', paidAt: sql`now()` }).where(eq(orders.id, o.orderId));
    await db.update(payments).set({ status: 'succeeded', amountReceived: o.total }).where(eq(payments.id, o.paymentId));
  });

/** Part of a seller order's money went back through the provider, booked as refundPart books it. */
export const markRefunded = (o: FactOrder, sellerOrderId: string, amount: number, source: string) =>
  withDb(async (db) => {
    await db.insert(refundAllocations).values({ id: newId(), source, paymentId: o.paymentId, orderId: o.orderId, sellerOrderId, amount, currency: 'USD' });
    await db
      .update(payments)
      .set({ amountRefunded: sql`${payments.amountRefunded} + ${amount}` })
      .where(eq(payments.id, o.paymentId));
  });
