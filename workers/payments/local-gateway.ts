import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { payments, providerRefunds, providerTransactions } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { CreatePaymentInput, PaymentGateway, PaymentState, ProviderName } from '../../shared/payments';

/** A database transaction (drizzle's `tx`). */
export type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

/** A payment whose truth lives in our tables, as its provider's code sees it. */
export interface LocalPayment {
  /** Our payment id (`payme_…`, `click_…`, `cash_…`). */
  paymentId: string;
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  /** When our side closed it (its order was cancelled or expired); null while payable. */
  closedAt: Date | null;
}

export interface LocalProviderOptions {
  /** The buyer's checkout page for a new payment (Payme, Click); null when there is none (cash). */
  checkoutUrl?(payment: { paymentId: string; orderId: string; amount: number; currency: string }): string | null;
  /**
   * Gives `amount` back through the provider's API (Click's reversal), when it
   * can for this amount; undefined when it cannot, and the refund is then
   * recorded as paid back by the operator (`manual`). Throws
   * `DependencyUnavailable` when the provider cannot be reached: nothing is
   * recorded and the caller may retry.
   */
  reverse?(payment: LocalPayment & { received: number; refunded: number }, amount: number): Promise<{ id: string } | undefined>;
  /** How long a created transaction stays payable (Payme: 12 hours); older ones count as abandoned. */
  pendingTimeoutMs?: number;
  /** The clock (tests inject one). */
  now?: () => number;
}

/** The payment id a provider's payment for an order gets: one per order and provider, so a retried checkout names the same one. */
export const localPaymentId = (provider: ProviderName, orderId: string) => `${provider}_${orderId}`;

interface StateRow extends Record<string, unknown> {
  order_id: string;
  user_id: string;
  amount: string | number;
  currency: string;
  closed_at: string | Date | null;
  received: string | number;
  cancelled_after: string | number;
  pending: string | number;
  refunds: string | number;
}

/**
 * The state of a local provider's payment, computed from its transactions
 * and refunds: received = what performed transactions brought in; refunded
 * = refunds booked here, or everything when a performed transaction was
 * cancelled at the provider (Payme's state -2), never more than received.
 * `succeeded` once money came in; otherwise `canceled` when our side closed
 * it, `processing` while a transaction younger than the timeout is open,
 * else `requires_payment_method` (the order stays payable).
 */
export async function localPaymentState(db: Deps['db'] | Tx, paymentId: string, options: LocalProviderOptions = {}): Promise<PaymentState> {
  const now = (options.now ?? Date.now)();
  const openSince = options.pendingTimeoutMs === undefined ? 0 : now - options.pendingTimeoutMs;
  const { rows } = await db.execute<StateRow>(sql`
    select p.order_id, p.user_id, p.amount, p.currency, p.closed_at,
      coalesce(sum(t.amount) filter (where t.state in (2, -2)), 0) as received,
      coalesce(sum(t.amount) filter (where t.state = -2), 0) as cancelled_after,
      count(t.id) filter (where t.state = 1 and t.create_time >= ${openSince}) as pending,
      (select coalesce(sum(r.amount), 0) from ${providerRefunds} r where r.payment_id = p.payment_intent_id) as refunds
    from ${payments} p left join ${providerTransactions} t on t.payment_id = p.payment_intent_id
    where p.payment_intent_id = ${paymentId}
    group by p.id`);
  const row = rows[0];
  if (!row) throw new NotFound('payment', paymentId);
  const received = Number(row.received);
  const refunded = Math.min(received, Number(row.refunds) + Number(row.cancelled_after));
  const status = received > 0 ? 'succeeded' : row.closed_at ? 'canceled' : Number(row.pending) > 0 ? 'processing' : 'requires_payment_method';
  return {
    id: paymentId,
    status,
    amount: Number(row.amount),
    amountReceived: received,
    amountRefunded: refunded,
    currency: row.currency,
    clientSecret: null,
    checkoutUrl:
      status === 'requires_payment_method'
        ? (options.checkoutUrl?.({ paymentId, orderId: row.order_id, amount: Number(row.amount), currency: row.currency }) ?? null)
        : null,
    orderId: row.order_id,
    userId: row.user_id,
    lastError: null,
  };
}

/**
 * Locks a local payment's row for the rest of the transaction `tx` and
 * returns it. Every change to a local payment's transactions happens under
 * this lock: a provider's perform/complete and our cancel serialise on it,
 * so a payment is never both paid and closed.
 */
export async function lockLocalPayment(tx: Tx, paymentId: string): Promise<LocalPayment | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.paymentIntentId, paymentId)).for('update');
  if (!row) return undefined;
  return { paymentId, orderId: row.orderId, userId: row.userId, amount: row.amount, currency: row.currency, closedAt: row.closedAt };
}

/**
 * The payments seam for a provider whose payments live in our tables
 * (Payme, Click, cash on delivery): the provider calls us (or the seller
 * records cash), its handlers move `provider_transactions` under the
 * payment's lock, then hand the computed state to `deps.applyPaymentState`.
 */
export function localGateway(deps: Deps, provider: ProviderName, options: LocalProviderOptions = {}): PaymentGateway {
  const state = (paymentId: string) => localPaymentState(deps.db, paymentId, options);
  return {
    provider,

    // The payments row is inserted with the order (one statement); the id alone is what the order needs now.
    async createPayment(input: CreatePaymentInput) {
      const paymentId = localPaymentId(provider, input.orderId);
      return {
        id: paymentId,
        status: 'requires_payment_method',
        amount: input.amount,
        amountReceived: 0,
        amountRefunded: 0,
        currency: input.currency,
        clientSecret: null,
        checkoutUrl: options.checkoutUrl?.({ paymentId, orderId: input.orderId, amount: input.amount, currency: input.currency }) ?? null,
        orderId: input.orderId,
        userId: input.userId,
        lastError: null,
      };
    },

    async cancelPayment(paymentId) {
      await deps.db.transaction(async (tx) => {
        const payment = await lockLocalPayment(tx, paymentId);
        if (!payment || payment.closedAt) return;
        const [performed] = await tx
          .select({ id: providerTransactions.id })
          .from(providerTransactions)
          .where(and(eq(providerTransactions.paymentId, paymentId), sql`${providerTransactions.state} in (2, -2)`))
          .limit(1);
        if (performed) throw new Conflict('The payment was made meanwhile.');
        await tx.update(payments).set({ closedAt: sql`now()`, status: 'canceled', updatedAt: sql`now()` }).where(eq(payments.paymentIntentId, paymentId));
      });
    },

    async refundPayment(input, idempotencyKey) {
      const booked = async () => {
        const [row] = await deps.db.select().from(providerRefunds).where(eq(providerRefunds.idempotencyKey, idempotencyKey));
        return row && { id: row.id, amount: row.amount };
      };
      const earlier = await booked();
      if (earlier) return earlier;
      return deps.db.transaction(async (tx) => {
        const payment = await lockLocalPayment(tx, input.paymentId);
        if (!payment) throw new NotFound('payment', input.paymentId);
        const [again] = await tx.select().from(providerRefunds).where(eq(providerRefunds.idempotencyKey, idempotencyKey));
        if (again) return { id: again.id, amount: again.amount };
        const now = await localPaymentState(tx, input.paymentId, options);
        const refundable = now.amountReceived - now.amountRefunded;
        if (input.amount <= 0 || input.amount > refundable) throw new Conflict(`At most ${refundable} can be refunded.`, { refundable });
        const reversed = options.reverse ? await options.reverse({ ...payment, received: now.amountReceived, refunded: now.amountRefunded }, input.amount) : undefined;
        const id = newId();
        await tx.insert(providerRefunds).values({
          id,
          paymentId: input.paymentId,
          amount: input.amount,
          idempotencyKey,
          method: reversed ? 'api' : 'manual',
          externalId: reversed?.id ?? null,
        });
        return { id, amount: input.amount };
      });
    },

    retrievePayment: state,
  };
}
