import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, orders, returnItems, returns, sellerOrders } from '../../shared/db/schema';
import { AppError, Conflict, DependencyUnavailable, ValidationFailed } from '../../shared/errors';
import { refundPart } from '../payments/public';
import { refundFor } from './amount';
import { eventPayload, loadReturn, refOf } from './queries';
import type { ReceiveLineInput, Return } from './schemas';
import { currentStatus, returnToHandle } from './service';
import { moveReturn } from './transitions';

/** A claim of the refund step older than this is taken to have died half-way and may be resumed. */
const STALE_CLAIM = sql`interval '2 minutes'`;

/**
 * The seller has the parcel back: each line marked restockable or not
 * (every line of the return, once). `approved → received`; restockable units
 * go back to their SKU's stock once (keyed by the return line's id). Called
 * again with the same marks (a retry) it answers the return as it is and
 * finishes any restock left undone; with other marks, 409.
 */
export async function receiveReturn(deps: Deps, auth: Principal, id: string, lines: ReceiveLineInput[]): Promise<Return> {
  const found = await returnToHandle(deps, auth, id);
  await receive(deps, auth, found, lines);
  return (await loadReturn(deps, id)) as Return;
}

async function receive(deps: Deps, auth: Principal, found: Return, lines: ReceiveLineInput[]): Promise<void> {
  const ours = new Set(found.items.map((i) => i.id));
  const problems = lines.flatMap((l, i) => (ours.has(l.returnItemId) ? [] : [{ path: `items.${i}.returnItemId`, message: 'not a line of this return' }]));
  const given = new Set(lines.map((l) => l.returnItemId));
  for (const item of found.items) if (!given.has(item.id)) problems.push({ path: 'items', message: `line ${item.id} is missing` });
  if (problems.length) throw new ValidationFailed(problems, 'Mark every line of the return, each once.');

  const marks = JSON.stringify(lines.map((l) => ({ id: l.returnItemId, restockable: l.restockable })));
  const moved = await moveReturn(deps, found.id, ['approved'], 'received', auth.userId, {
    set: [sql`received_at = now()`],
    with: [
      sql`marks as (
        update ${returnItems} ri set restockable = x.restockable
        from json_to_recordset(${marks}::json) as x(id uuid, restockable boolean), changed
        where ri.id = x.id and ri.return_id = changed.id)`,
    ],
  });
  if (!moved) {
    // A retry of a receive that went through: the same marks are fine, others are a conflict.
    const now = (await loadReturn(deps, found.id)) as Return;
    if (now.status !== 'received' && now.status !== 'refunded') throw new Conflict(`A ${now.status} return cannot be received.`, { status: now.status });
    const mark = new Map(now.items.map((i) => [i.id, i.restockable]));
    if (lines.some((l) => mark.get(l.returnItemId) !== l.restockable)) {
      throw new Conflict('This return was already received with other restockable marks.', { status: now.status });
    }
  }
  await restockReturn(deps, found.id);
}

/**
 * Puts the restockable units of a received return back in stock. Each line
 * goes through `adjustOnce` keyed by its id, so running this again — a
 * retried receive, a refund, a duplicate call — never adds a unit twice.
 * `restocked_at` records it for readers; the Durable Object is the guard.
 */
export async function restockReturn(deps: Deps, returnId: string): Promise<void> {
  const pending = await deps.db
    .select({ id: returnItems.id, sku: returnItems.sku, quantity: returnItems.quantity })
    .from(returnItems)
    .where(and(eq(returnItems.returnId, returnId), eq(returnItems.restockable, true), isNull(returnItems.restockedAt)));
  if (!pending.length) return;
  const done: string[] = [];
  const results = await Promise.allSettled(
    pending.map(async (item) => {
      const result = await inventoryFor(deps.env, item.sku).adjustOnce(`return-item:${item.id}`, item.quantity, 'returned', `return:${returnId}`);
      if (result.ok) done.push(item.id);
    }),
  );
  if (done.length) await deps.db.update(returnItems).set({ restockedAt: sql`now()` }).where(inArray(returnItems.id, done));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason instanceof AppError ? failed.reason : new DependencyUnavailable('Inventory', failed.reason);
}

/**
 * Refunds a received return through the payment provider, exactly once: the
 * step is claimed by a conditional update that also fixes the amount (the
 * seller order's row locked while it is computed), then `refundPart` refunds
 * it keyed by `return:<id>` (a repeat answers the first refund), then one
 * conditional statement marks the return refunded and writes
 * `return.refunded` (the seller order's `refunded_amount` follows from the
 * refund's allocation, booked by refundPart). A racing
 * second call finds the step claimed (409); a call after a crash half-way
 * (the claim older than two minutes) resumes it with the same amount.
 * With `items`, an approved return is received first (see receiveReturn).
 */
export async function refundReturn(deps: Deps, auth: Principal, id: string, input: { items?: ReceiveLineInput[] }): Promise<Return> {
  let found = await returnToHandle(deps, auth, id);
  if (input.items) {
    await receive(deps, auth, found, input.items);
    found = (await loadReturn(deps, id)) as Return;
  }
  if (found.status !== 'received') {
    const hint = found.status === 'approved' ? '; receive it first (or pass items)' : '';
    throw new Conflict(`A ${found.status} return cannot be refunded${hint}.`, { status: found.status });
  }
  const amount = await claimRefund(deps, found);
  if (amount === undefined) {
    throw new Conflict('The refund of this return is already under way or done.', { status: (await currentStatus(deps, id)) ?? found.status });
  }
  const refunded = await refundPart(deps, found.orderId, { source: `return:${id}`, sellerOrderId: found.sellerOrderId, amount, actor: auth.userId });
  await moveReturn(deps, id, ['received'], 'refunded', auth.userId, {
    note: `refunded ${refunded} ${found.currency}`,
    set: [sql`refunded_at = now()`, sql`refunded_amount = ${refunded}`],
    event: { type: 'return.refunded', payload: { ...eventPayload(refOf(found)), amount: refunded, currency: found.currency } },
  });
  await restockReturn(deps, id);
  return (await loadReturn(deps, id)) as Return;
}

/** Claims the refund step and fixes its amount; undefined when another call holds a fresh claim or the return moved on. */
async function claimRefund(deps: Deps, found: Return): Promise<number | undefined> {
  return deps.db.transaction(async (tx) => {
    const [so] = await tx
      .select({
        tax: sellerOrders.tax,
        shipping: sellerOrders.shipping,
        total: sellerOrders.total,
        refundedAmount: sellerOrders.refundedAmount,
        pricesIncludeTax: sql<boolean>`(select o.prices_include_tax from ${orders} o where o.id = ${sellerOrders.orderId})`,
      })
      .from(sellerOrders)
      .where(eq(sellerOrders.id, found.sellerOrderId))
      .for('update');
    if (!so) return undefined;
    const lines = await tx
      .select({ id: orderItems.id, quantity: orderItems.quantity, lineTotal: orderItems.lineTotal })
      .from(orderItems)
      .where(eq(orderItems.sellerOrderId, found.sellerOrderId))
      .orderBy(orderItems.id);
    // Units of this seller order already refunded, or being refunded, by other returns.
    const prior = await tx.execute<{ order_item_id: string; units: number }>(sql`
      select ri.order_item_id, sum(ri.quantity)::int as units from ${returnItems} ri join ${returns} r on r.id = ri.return_id
      where r.seller_order_id = ${found.sellerOrderId}::uuid and r.id <> ${found.id}::uuid
        and (r.status = 'refunded' or r.refund_claimed_at is not null)
      group by ri.order_item_id`);
    const { amount } = refundFor(
      so,
      lines,
      new Map(prior.rows.map((p) => [p.order_item_id, Number(p.units)])),
      new Map(found.items.map((i) => [i.orderItemId, i.quantity])),
    );
    const claimed = await tx.execute<{ refund_amount: number }>(sql`
      update ${returns} set refund_amount = coalesce(refund_amount, ${amount}), refund_claimed_at = now(), updated_at = now()
      where id = ${found.id}::uuid and status = 'received' and (refund_claimed_at is null or refund_claimed_at < now() - ${STALE_CLAIM})
      returning refund_amount`);
    const row = claimed.rows[0];
    return row ? Number(row.refund_amount) : undefined;
  });
}
