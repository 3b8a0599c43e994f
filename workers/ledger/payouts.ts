import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, Principal } from '../../shared/context';
import { ledgerEntries, payouts, users, type Payout } from '../../shared/db/schema';
import { isUniqueViolation } from '../../shared/db/errors';
import { Conflict, InsufficientBalance, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { publishAfterResponse, recordEvents } from '../../shared/outbox';
import { decodeCursor, paginate } from '../../shared/pagination';
import { assertAdmin, ledgerScope } from './access';
import { balancesOf } from './balance';
import type { CreatePayoutInput, ListPayoutsQuery } from './schemas';

export const payoutJson = (p: Payout) => ({
  id: p.id,
  sellerId: p.sellerId,
  amount: p.amount,
  currency: p.currency,
  reference: p.reference,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
});

/**
 * An admin pays a seller out of its available balance. Payouts of one
 * seller take turns (a transaction-scoped advisory lock on the seller), and
 * each reads the balance after the one before it committed, so racing
 * payouts never add up to more than was available. The Idempotency-Key is
 * also kept on the payout: a retry finds it even if Redis forgot the key.
 */
export async function createPayout(deps: Deps, auth: Principal, input: CreatePayoutInput, idempotencyKey: string) {
  assertAdmin(auth, 'creates payouts');
  const earlierWithKey = async (db: Pick<Deps['db'], 'select'>) => {
    const [earlier] = await db
      .select()
      .from(payouts)
      .where(and(eq(payouts.createdBy, auth.userId), eq(payouts.idempotencyKey, idempotencyKey)));
    // The key names one payout: asked again for another seller, amount or currency, it is refused.
    if (earlier && (earlier.sellerId !== input.sellerId || earlier.amount !== input.amount || earlier.currency !== input.currency)) {
      throw new Conflict('This Idempotency-Key was used for another payout.', { payoutId: earlier.id });
    }
    return earlier;
  };
  const placed = deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ledger:seller:${input.sellerId}`}, 0))`);
    const earlier = await earlierWithKey(tx);
    if (earlier) return { payout: earlier, events: [] };
    const [seller] = await tx.select({ role: users.role }).from(users).where(eq(users.id, input.sellerId));
    if (seller?.role !== 'seller') throw new NotFound('seller', input.sellerId);
    const [balance] = await balancesOf(tx, input.sellerId, deps.config.LEDGER_HOLD_DAYS, input.currency);
    const available = balance?.available ?? 0;
    if (input.amount > available) throw new InsufficientBalance(input.amount, available, input.currency);
    const id = newId();
    const [row] = await tx
      .insert(payouts)
      .values({ id, sellerId: input.sellerId, amount: input.amount, currency: input.currency, reference: input.reference, createdBy: auth.userId, idempotencyKey })
      .returning();
    await tx.insert(ledgerEntries).values({
      id: newId(),
      key: `payout:${id}`,
      sellerId: input.sellerId,
      currency: input.currency,
      amount: -input.amount,
      kind: 'payout',
      payoutId: id,
    });
    const recorded = await recordEvents(tx, [
      { type: 'payout.created', payload: { payoutId: id, sellerId: input.sellerId, userId: input.sellerId, amount: input.amount, currency: input.currency, reference: input.reference } },
    ]);
    return { payout: row as Payout, events: recorded };
  });
  const { payout, events } = await placed.catch(async (err: unknown) => {
    // The same key raced in for another seller (another lock): the winner's payout decides.
    if (!isUniqueViolation(err)) throw err;
    const earlier = await earlierWithKey(deps.db);
    if (!earlier) throw err;
    return { payout: earlier, events: [] };
  });
  publishAfterResponse(deps, events);
  return payoutJson(payout);
}

/** A seller: its own payouts; an admin: everyone's, or one seller's. Newest first. */
export async function listPayouts(deps: Deps, auth: Principal, query: ListPayoutsQuery) {
  const sellerId = ledgerScope(auth, query.sellerId);
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }))?.id;
  const where: SQL[] = [];
  if (sellerId) where.push(eq(payouts.sellerId, sellerId));
  if (query.currency) where.push(eq(payouts.currency, query.currency));
  if (after) where.push(lt(payouts.id, after));
  const rows = await deps.db
    .select()
    .from(payouts)
    .where(and(...where))
    .orderBy(desc(payouts.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map(payoutJson), nextCursor: page.nextCursor };
}
