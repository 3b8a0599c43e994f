import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments, providerTransactions, sellerOrders } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { PaymentGateway, PaymentState } from '../../shared/payments';
import { localGateway, lockLocalPayment } from './local-gateway';

/**
 * Cash on delivery (docs/cash-on-delivery.md): a payment whose truth is the
 * cash each seller (or its courier) collected at the door. There is no
 * checkout page. Each seller order's collection is one provider transaction
 * (state 2, `external_id` = the seller order id), so the payment's received
 * amount is the sum of the parts collected.
 */
export function cashGateway(deps: Deps): PaymentGateway {
  const local = localGateway(deps, 'cash');
  return {
    ...local,
    async retrievePayment(paymentId) {
      return cashState(await local.retrievePayment(paymentId));
    },
    /**
     * Closes an uncollected cash payment, as the local gateway does, and also
     * refuses (409) once a parcel of the order has left: those units cannot
     * come back by a cancel. A shipment of a cash order holds the payment row
     * `FOR SHARE` while it ships (workers/orders/fulfilment.ts), so a shipment
     * and this close serialise: whichever comes second sees the other.
     */
    async cancelPayment(paymentId) {
      await deps.db.transaction(async (tx) => {
        const payment = await lockLocalPayment(tx, paymentId);
        if (!payment || payment.closedAt) return;
        const blocking = await tx.execute<{ collected: boolean; sent: boolean }>(sql`
          select
            exists (select 1 from ${providerTransactions} t where t.payment_id = ${paymentId} and t.state in (2, -2)) as collected,
            exists (select 1 from ${sellerOrders} s where s.order_id = ${payment.orderId}::uuid
              and s.status in ('partially_shipped', 'shipped', 'delivered')) as sent`);
        const row = blocking.rows[0];
        if (row?.collected) throw new Conflict('Cash was collected for this order meanwhile.');
        if (row?.sent) throw new Conflict('A parcel of this cash order is on its way; it can no longer be cancelled.');
        await tx.update(payments).set({ closedAt: sql`now()`, status: 'canceled', updatedAt: sql`now()` }).where(eq(payments.paymentIntentId, paymentId));
      });
    },
  };
}

/**
 * The order counts as paid only when every part is collected: until then a
 * partly collected payment is `processing` (the order waits; nothing is
 * committed or booked, and the expiry sweep leaves it).
 */
export function cashState(state: PaymentState): PaymentState {
  if (state.status === 'succeeded' && state.amountReceived < state.amount) return { ...state, status: 'processing' };
  return state;
}

export interface CashCollection {
  /** The order's cash payment (`cash_…`). */
  paymentId: string;
  orderId: string;
  /** Whose part was collected: one collection per seller order. */
  sellerOrderId: string;
  /** Minor units, equal to the seller order's total (checked by the caller). */
  amount: number;
  /** Who recorded it (the seller or an admin). */
  actor: string;
  /** The clock (tests inject one). */
  now?: number;
}

/**
 * Records one seller order's cash as collected: a `cash` provider
 * transaction in state 2, under the payment row's lock (so it serialises with
 * the buyer's cancel, which closes the payment under the same lock). A
 * repeated collection of the same seller order records nothing new and
 * answers true; a payment closed meanwhile (the order was cancelled) is 409.
 * The caller then applies `retrievePayment` through `deps.applyPaymentState`.
 */
export async function recordCashCollected(deps: Deps, input: CashCollection): Promise<{ recorded: boolean }> {
  const now = input.now ?? Date.now();
  return deps.db.transaction(async (tx) => {
    const payment = await lockLocalPayment(tx, input.paymentId);
    if (!payment || payment.orderId !== input.orderId) throw new NotFound('payment', input.paymentId);
    const inserted = await tx
      .insert(providerTransactions)
      .values({
        id: newId(),
        provider: 'cash',
        externalId: input.sellerOrderId,
        paymentId: input.paymentId,
        orderId: input.orderId,
        amount: input.amount,
        state: 2,
        createTime: now,
        performTime: now,
        details: { sellerOrderId: input.sellerOrderId, collectedBy: input.actor },
      })
      .onConflictDoNothing()
      .returning({ id: providerTransactions.id });
    if (inserted.length) {
      // Checked after the insert, under the lock: a closed payment takes no cash (the insert is rolled back).
      if (payment.closedAt) throw new Conflict('The order was cancelled; no cash can be recorded for it.');
      const received = await tx.execute<{ total: string | number }>(
        sql`select coalesce(sum(amount), 0) as total from ${providerTransactions} where payment_id = ${input.paymentId} and state = 2`,
      );
      if (Number(received.rows[0]?.total ?? 0) > payment.amount) throw new Conflict('More cash than the order costs would be recorded.');
    }
    return { recorded: inserted.length > 0 };
  });
}
