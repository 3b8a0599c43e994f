import { sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { ledgerEntries, type LedgerEntryKind } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { allocate } from '../../shared/money';

interface SellerOrderFact {
  id: string;
  sellerId: string;
  currency: string;
  total: number;
  commission: number;
  /** The platform-funded part of the seller order's discount, paid to the seller (0 for orders without one). */
  platformDiscount?: number;
  sold: boolean;
}
interface AllocationFact {
  id: string;
  sellerOrderId: string;
  amount: number;
}
interface BookedEntry {
  key: string;
  kind: LedgerEntryKind;
  sellerOrderId: string | null;
  amount: number;
}
interface OrderFacts {
  sellerOrders: SellerOrderFact[] | null;
  allocations: AllocationFact[] | null;
  booked: BookedEntry[] | null;
}

export interface NewEntry {
  key: string;
  kind: LedgerEntryKind;
  sellerId: string;
  currency: string;
  amount: number;
  sellerOrderId: string;
  refundAllocationId: string | null;
}

/**
 * The commission that goes back with `refunded` of a seller order's `total`:
 * the commission's share of the refunded part, rounded once (largest
 * remainder via `allocate`). Booking the difference between this for the
 * refunds so far and what was booked before makes the shares telescope: a
 * seller order refunded in full gives back exactly its whole commission.
 */
export function commissionRefunded(commission: number, total: number, refunded: number): number {
  if (total <= 0) return 0;
  const part = Math.min(Math.max(refunded, 0), total);
  return allocate(commission, [part, total - part])[0] as number;
}

/**
 * The entries an order's facts call for that are not booked yet, pure so the
 * rules can be tested alone: a sold seller order books `sale` (+total) and
 * `commission` (−commission); each refund allocation books `refund`
 * (−amount) and `commission_refund` (+its share of the commission, see
 * `commissionRefunded`), in the allocations' order. A seller order with a
 * platform-funded discount also books `promotion_subsidy` (+that discount)
 * when sold, and `promotion_subsidy_refund` (−its share) with each refund,
 * shared the same way: a seller order refunded in full gives it all back.
 */
export function missingEntries(facts: OrderFacts): NewEntry[] {
  const booked = new Map((facts.booked ?? []).map((e) => [e.key, e]));
  const allocations = facts.allocations ?? [];
  const out: NewEntry[] = [];
  for (const so of facts.sellerOrders ?? []) {
    const own = allocations.filter((a) => a.sellerOrderId === so.id);
    if (!so.sold && !own.length) continue;
    const base = { sellerId: so.sellerId, currency: so.currency, sellerOrderId: so.id, refundAllocationId: null };
    if (!booked.has(`sale:${so.id}`)) out.push({ ...base, key: `sale:${so.id}`, kind: 'sale', amount: so.total });
    if (!booked.has(`commission:${so.id}`)) out.push({ ...base, key: `commission:${so.id}`, kind: 'commission', amount: -so.commission });
    const subsidy = Number(so.platformDiscount ?? 0);
    if (subsidy > 0 && !booked.has(`promotion_subsidy:${so.id}`)) out.push({ ...base, key: `promotion_subsidy:${so.id}`, kind: 'promotion_subsidy', amount: subsidy });
    // What earlier postings booked for this seller order's refunds: the next share continues from there.
    let refunded = 0;
    let commissionBack = 0;
    let subsidyBack = 0;
    for (const e of facts.booked ?? []) {
      if (e.sellerOrderId !== so.id) continue;
      if (e.kind === 'refund') refunded -= e.amount;
      if (e.kind === 'commission_refund') commissionBack += e.amount;
      if (e.kind === 'promotion_subsidy_refund') subsidyBack -= e.amount;
    }
    for (const a of own) {
      if (booked.has(`refund:${a.id}`)) continue;
      refunded += a.amount;
      const share = commissionRefunded(so.commission, so.total, refunded) - commissionBack;
      commissionBack += share;
      const ref = { ...base, refundAllocationId: a.id };
      out.push({ ...ref, key: `refund:${a.id}`, kind: 'refund', amount: -a.amount });
      out.push({ ...ref, key: `commission_refund:${a.id}`, kind: 'commission_refund', amount: share });
      if (subsidy > 0) {
        const subsidyShare = commissionRefunded(subsidy, so.total, refunded) - subsidyBack;
        subsidyBack += subsidyShare;
        if (subsidyShare > 0) out.push({ ...ref, key: `promotion_subsidy_refund:${a.id}`, kind: 'promotion_subsidy_refund', amount: -subsidyShare });
      }
    }
  }
  return out;
}

const factsOf = (orderId: string) => sql`
  select
    (select json_agg(json_build_object('id', so.id, 'sellerId', so.seller_id, 'currency', so.currency, 'total', so.total,
             'commission', so.commission, 'platformDiscount', so.platform_discount, 'sold', coalesce(so.paid_at, o.paid_at) is not null) order by so.id)
       from seller_orders so join orders o on o.id = so.order_id where so.order_id = ${orderId}) as "sellerOrders",
    (select json_agg(json_build_object('id', ra.id, 'sellerOrderId', ra.seller_order_id, 'amount', ra.amount) order by ra.created_at, ra.id)
       from refund_allocations ra where ra.order_id = ${orderId}) as "allocations",
    (select json_agg(json_build_object('key', e.key, 'kind', e.kind, 'sellerOrderId', e.seller_order_id, 'amount', e.amount))
       from ledger_entries e where e.order_id = ${orderId}) as "booked"`;

async function insertEntries(db: Pick<Database, 'insert'>, orderId: string, entries: NewEntry[]): Promise<number> {
  if (!entries.length) return 0;
  const inserted = await db
    .insert(ledgerEntries)
    .values(entries.map((e) => ({ id: newId(), orderId, ...e })))
    .onConflictDoNothing({ target: ledgerEntries.key })
    .returning({ id: ledgerEntries.id });
  return inserted.length;
}

/**
 * Brings one order's ledger entries up to date with its facts (paid seller
 * orders, refund allocations). Safe to run any number of times, at once or
 * in any order: every entry's unique key makes a second insert a no-op.
 * Sales and commissions follow from their seller order alone, so they are
 * inserted straight away (two round trips: read, insert). A refund's
 * commission share continues from what earlier refunds booked, so refunds
 * are booked with the order's postings taking turns (a transaction-scoped
 * advisory lock) and the facts read again under it. Returns how many
 * entries this call added.
 *
 * Call it after anything that changes those facts: payment, refunds,
 * cancellation, returns. The cron catch-up posts what a failed call missed.
 */
export async function postLedger(deps: Deps, orderId: string): Promise<number> {
  const first = await deps.db.execute(factsOf(orderId));
  const missing = missingEntries(first.rows[0] as unknown as OrderFacts);
  if (!missing.length) return 0;
  if (missing.every((e) => e.kind === 'sale' || e.kind === 'commission' || e.kind === 'promotion_subsidy')) return insertEntries(deps.db, orderId, missing);
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ledger:order:${orderId}`}, 0))`);
    const result = await tx.execute(factsOf(orderId));
    return insertEntries(tx, orderId, missingEntries(result.rows[0] as unknown as OrderFacts));
  });
}

/**
 * Cron catch-up: orders of the last `days` with a fact the ledger has not
 * booked (a paid seller order without its sale, a refund allocation without
 * its refund), posted one by one. Returns how many orders it posted.
 */
export async function postPendingLedgers(deps: Deps, options: { days?: number; limit?: number } = {}): Promise<number> {
  const days = options.days ?? 7;
  const limit = options.limit ?? 200;
  const result = await deps.db.execute(sql`
    select distinct order_id from (
      select so.order_id from seller_orders so join orders o on o.id = so.order_id
      where o.paid_at > now() - make_interval(days => ${days})
        and not exists (select 1 from ledger_entries e where e.key = 'sale:' || so.id::text)
      union
      select ra.order_id from refund_allocations ra
      where ra.created_at > now() - make_interval(days => ${days})
        and not exists (select 1 from ledger_entries e where e.key = 'refund:' || ra.id::text)
    ) pending limit ${limit}`);
  let posted = 0;
  for (const row of result.rows as Array<{ order_id: string }>) {
    try {
      await postLedger(deps, row.order_id);
      posted++;
    } catch (err) {
      deps.logger.error('ledger catch-up failed for an order', { orderId: row.order_id, error: String(err) });
    }
  }
  return posted;
}
