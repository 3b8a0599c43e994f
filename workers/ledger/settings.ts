import { eq, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { sellerSettings, users } from '../../shared/db/schema';
import { NotFound } from '../../shared/errors';
import { assertAdmin, ledgerScope } from './access';

async function assertSeller(deps: Deps, sellerId: string): Promise<void> {
  const [row] = await deps.db.select({ role: users.role }).from(users).where(eq(users.id, sellerId));
  if (row?.role !== 'seller') throw new NotFound('seller', sellerId);
}

/** The seller's commission override (null: its categories' or the default rate applies). */
export async function getSellerCommission(deps: Deps, auth: Principal, sellerId: string) {
  ledgerScope(auth, sellerId);
  const [row] = await deps.db
    .select({ role: users.role, commissionBps: sellerSettings.commissionBps })
    .from(users)
    .leftJoin(sellerSettings, eq(sellerSettings.sellerId, users.id))
    .where(eq(users.id, sellerId));
  if (row?.role !== 'seller') throw new NotFound('seller', sellerId);
  return { sellerId, commissionBps: row.commissionBps ?? null, defaultBps: deps.config.COMMISSION_BPS };
}

/** Admin: sets or clears a seller's commission override; orders placed from now on use it. */
export async function setSellerCommission(deps: Deps, auth: Principal, sellerId: string, commissionBps: number | null) {
  assertAdmin(auth, 'sets commissions');
  await assertSeller(deps, sellerId);
  await deps.db
    .insert(sellerSettings)
    .values({ sellerId, commissionBps })
    .onConflictDoUpdate({ target: sellerSettings.sellerId, set: { commissionBps, updatedAt: sql`now()` } });
  return { sellerId, commissionBps, defaultBps: deps.config.COMMISSION_BPS };
}

const vatStatus = (deps: Deps, sellerId: string, vatPayer: boolean) => ({
  sellerId,
  vatPayer,
  vatPercent: vatPayer ? deps.config.TAX_RATE_BPS / 100 : 0,
});

/** Whether the seller pays VAT (docs/vat-and-receipts.md); a seller with no settings row is a VAT payer. */
export async function getSellerVat(deps: Deps, auth: Principal, sellerId: string) {
  ledgerScope(auth, sellerId);
  const [row] = await deps.db
    .select({ role: users.role, vatPayer: sellerSettings.vatPayer })
    .from(users)
    .leftJoin(sellerSettings, eq(sellerSettings.sellerId, users.id))
    .where(eq(users.id, sellerId));
  if (row?.role !== 'seller') throw new NotFound('seller', sellerId);
  return vatStatus(deps, sellerId, row.vatPayer ?? true);
}

/** An admin, or the seller itself: sets whether it pays VAT; orders placed from now on use it. */
export async function setSellerVat(deps: Deps, auth: Principal, sellerId: string, vatPayer: boolean) {
  ledgerScope(auth, sellerId);
  await assertSeller(deps, sellerId);
  await deps.db
    .insert(sellerSettings)
    .values({ sellerId, vatPayer })
    .onConflictDoUpdate({ target: sellerSettings.sellerId, set: { vatPayer, updatedAt: sql`now()` } });
  return vatStatus(deps, sellerId, vatPayer);
}
