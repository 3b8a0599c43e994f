import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../../shared/context';
import { providerTransactions, type ProviderTransaction } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { lockLocalPayment, type Tx } from '../local-gateway';
import { paymeDetail, type PaymeDetail } from './detail';
import type { PaymeOrder, PaymeStore, PaymeTransaction } from './merchant';
import type { PaymeState } from './protocol';

const PROVIDER = 'payme';

function fromRow(row: ProviderTransaction): PaymeTransaction {
  return {
    id: row.id,
    externalId: row.externalId,
    paymentId: row.paymentId,
    orderId: row.orderId,
    amount: row.amount,
    state: row.state as PaymeState,
    providerTime: row.providerTime ?? row.createTime,
    createTime: row.createTime,
    performTime: row.performTime || null,
    cancelTime: row.cancelTime || null,
    reason: row.reason,
  };
}

interface OrderRow extends Record<string, unknown> {
  id: string;
  status: string;
  total: string | number;
  currency: string;
  payment_provider: string;
  payment_intent_id: string | null;
  closed_at: string | Date | null;
  performed: boolean;
  delivered: boolean;
}

/**
 * The order as the Payme methods see it. Payable: waiting for payment, to be paid with Payme in UZS (tiyin),
 * its payment not closed by us, and no transaction performed for it already (a performed one whose order
 * has not caught up yet must not let a second payment in).
 */
async function readOrder(db: Deps['db'] | Tx, orderId: string): Promise<PaymeOrder | undefined> {
  const { rows } = await db.execute<OrderRow>(sql`
    select o.id, o.status, o.total, o.currency, o.payment_provider, o.payment_intent_id, p.closed_at,
      exists (select 1 from ${providerTransactions} t where t.payment_id = o.payment_intent_id and t.state in (2, -2)) as performed,
      (o.status = 'delivered' or exists (select 1 from seller_orders so where so.order_id = o.id and so.status = 'delivered')) as delivered
    from orders o left join payments p on p.payment_intent_id = o.payment_intent_id
    where o.id = ${orderId}`);
  const row = rows[0];
  if (!row) return undefined;
  const paymentId = row.payment_provider === PROVIDER && row.payment_intent_id?.startsWith(`${PROVIDER}_`) ? row.payment_intent_id : null;
  return {
    id: row.id,
    paymentId,
    amount: Number(row.total),
    payable: Boolean(paymentId) && row.status === 'pending_payment' && row.currency === 'UZS' && !row.closed_at && !row.performed,
    delivered: Boolean(row.delivered),
  };
}

const byExternalId = (externalId: string) => and(eq(providerTransactions.provider, PROVIDER), eq(providerTransactions.externalId, externalId));

/** The Payme methods' state in PostgreSQL (`provider_transactions`), moves under the payment row's lock. */
export function paymeStore(deps: Deps): PaymeStore {
  const db = deps.db;
  const transaction = async (externalId: string) => {
    const [row] = await db.select().from(providerTransactions).where(byExternalId(externalId));
    return row && fromRow(row);
  };
  return {
    order: (orderId) => readOrder(db, orderId),
    transaction,

    async pendingFor(orderId) {
      const [row] = await db
        .select()
        .from(providerTransactions)
        .where(and(eq(providerTransactions.provider, PROVIDER), eq(providerTransactions.orderId, orderId), eq(providerTransactions.state, 1)));
      return row && fromRow(row);
    },

    async insert(t) {
      // Either unique index may refuse it: the same Payme id (a concurrent repeat) or a second open transaction of the order.
      const [row] = await db
        .insert(providerTransactions)
        .values({
          id: newId(),
          provider: PROVIDER,
          externalId: t.externalId,
          paymentId: t.paymentId,
          orderId: t.orderId,
          amount: t.amount,
          state: t.state,
          createTime: t.createTime,
          providerTime: t.providerTime,
        })
        .onConflictDoNothing()
        .returning();
      if (row) return fromRow(row);
      return (await transaction(t.externalId)) ? 'exists' : 'pending';
    },

    async move(externalId, decide) {
      const found = await transaction(externalId);
      if (!found) return undefined;
      return db.transaction(async (tx) => {
        // The lock a buyer's cancel (localGateway.cancelPayment) takes too: whoever comes second sees the other's result.
        await lockLocalPayment(tx, found.paymentId);
        const [locked] = await tx.select().from(providerTransactions).where(byExternalId(externalId)).for('update');
        if (!locked) return undefined;
        const current = fromRow(locked);
        const { change } = decide(current, await readOrder(tx, current.orderId));
        if (!change) return current;
        const [updated] = await tx
          .update(providerTransactions)
          .set({
            ...(change.state === undefined ? {} : { state: change.state }),
            ...(change.performTime ? { performTime: change.performTime } : {}),
            ...(change.cancelTime ? { cancelTime: change.cancelTime } : {}),
            ...(change.reason === undefined ? {} : { reason: change.reason }),
            updatedAt: sql`now()`,
          })
          .where(eq(providerTransactions.id, current.id))
          .returning();
        return updated ? fromRow(updated) : current;
      });
    },

    async statement(from, to) {
      const rows = await db
        .select()
        .from(providerTransactions)
        .where(and(eq(providerTransactions.provider, PROVIDER), between(providerTransactions.providerTime, from, to)))
        .orderBy(asc(providerTransactions.providerTime), asc(providerTransactions.createTime));
      return rows.map(fromRow);
    },

    async detail(orderId): Promise<PaymeDetail> {
      // The receipt comes from the orders domain when it is wired in; without it Payme gets no item list.
      const receipt = deps.wiring.receiptOf ? await deps.receiptOf(orderId) : undefined;
      return paymeDetail(receipt?.lines ?? []);
    },
  };
}
