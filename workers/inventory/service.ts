import { and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inventoryFor } from '../../durable-objects/inventory-client';
import type { Deps, Principal } from '../../shared/context';
import { inventoryLevels, products, productVariants } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { decodeCursor, paginate } from '../../shared/pagination';
import type { LowStockQuery, ReconcileInput } from './schemas';

async function skuOwner(deps: Deps, sku: string) {
  const [row] = await deps.db
    .select({ sellerId: products.sellerId, status: products.status })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(eq(productVariants.sku, sku), isNull(products.deletedAt)));
  return row;
}

const manages = (principal: Principal | undefined, sellerId: string) =>
  principal?.role === 'admin' || (principal?.role === 'seller' && principal.userId === sellerId);

/** The SKU if the caller may manage its stock; 404 otherwise (someone else's is not revealed). */
async function assertManages(deps: Deps, auth: Principal, sku: string): Promise<void> {
  if (auth.role === 'customer') throw new Forbidden('Only sellers and admins manage stock.');
  const owner = await skuOwner(deps, sku);
  if (!owner || !manages(auth, owner.sellerId)) throw new NotFound('sku', sku);
}

/** Public: what can be bought. Owner and admin: the whole picture, with active holds. */
export async function getStock(deps: Deps, principal: Principal | undefined, sku: string) {
  const owner = await skuOwner(deps, sku);
  const full = owner && manages(principal, owner.sellerId);
  if (!owner || (!full && owner.status !== 'published')) throw new NotFound('sku', sku);
  const inventory = inventoryFor(deps.env, sku);
  const level = await inventory.level();
  const base = { sku, available: level.available, inStock: level.available > 0 };
  if (!full) return base;
  return { ...base, onHand: level.onHand, reserved: level.reserved, reservations: await inventory.reservations() };
}

function changeOrConflict(result: Awaited<ReturnType<ReturnType<typeof inventoryFor>['setOnHand']>>) {
  if (!result.ok) {
    throw new Conflict(`${result.level.reserved} units are reserved; on hand cannot go below that.`, {
      reserved: result.level.reserved,
      onHand: result.level.onHand,
    });
  }
  const { level } = result;
  return { sku: level.sku, onHand: level.onHand, reserved: level.reserved, available: level.available, inStock: level.available > 0 };
}

export async function setStock(deps: Deps, auth: Principal, sku: string, onHand: number) {
  await assertManages(deps, auth, sku);
  return changeOrConflict(await inventoryFor(deps.env, sku).setOnHand(onHand, auth.userId));
}

export async function adjustStock(deps: Deps, auth: Principal, sku: string, delta: number, reason: string) {
  await assertManages(deps, auth, sku);
  return changeOrConflict(await inventoryFor(deps.env, sku).adjust(delta, reason, auth.userId));
}

/**
 * Splits a SKU's stock over `count` shards (admin only: how the platform
 * carries a sale is not the seller's stock to manage). Refused with 409 while
 * reservations are active or units are moving between shards.
 */
export async function setShards(deps: Deps, auth: Principal, sku: string, count: number) {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin sets stock shards.');
  if (!(await skuOwner(deps, sku))) throw new NotFound('sku', sku);
  const result = await inventoryFor(deps.env, sku).reshard(count);
  if (!result.ok) {
    const why = {
      active_reservations: `${result.reserved} units are reserved; shards can change only while nothing is reserved.`,
      moves_in_flight: 'Units are moving between shards; try again in a few seconds.',
      busy: 'The shards of this SKU are being changed; try again in a few seconds.',
    }[result.reason];
    throw new Conflict(why, { reason: result.reason, reserved: result.reserved });
  }
  const { level } = result;
  return { sku, shards: result.count, onHand: level.onHand, reserved: level.reserved, available: level.available, inStock: level.available > 0 };
}

const SeqCursor = z.object({ seq: z.number().int().positive() });

export async function listMovements(deps: Deps, auth: Principal, sku: string, limit: number, cursor?: string) {
  await assertManages(deps, auth, sku);
  const before = decodeCursor(cursor, SeqCursor)?.seq ?? null;
  const rows = await inventoryFor(deps.env, sku).movements(before, limit + 1);
  return paginate(rows, limit, (m) => ({ seq: m.seq }));
}

const SkuCursor = z.object({ sku: z.string() });

/** The caller's SKUs (all, for an admin) whose available stock is at or below the threshold, from the read table. */
export async function listLowStock(deps: Deps, auth: Principal, query: LowStockQuery) {
  if (auth.role === 'customer') throw new Forbidden('Only sellers and admins see stock reports.');
  const after = decodeCursor(query.cursor, SkuCursor);
  const rows = await deps.db
    .select({
      sku: productVariants.sku,
      productId: products.id,
      productName: products.name,
      onHand: sql<number>`coalesce(${inventoryLevels.onHand}, 0)`.mapWith(Number),
      reserved: sql<number>`coalesce(${inventoryLevels.reserved}, 0)`.mapWith(Number),
      available: sql<number>`coalesce(${inventoryLevels.available}, 0)`.mapWith(Number),
    })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .leftJoin(inventoryLevels, eq(inventoryLevels.sku, productVariants.sku))
    .where(
      and(
        isNull(products.deletedAt),
        auth.role === 'admin' ? undefined : eq(products.sellerId, auth.userId),
        lte(sql`coalesce(${inventoryLevels.available}, 0)`, query.lowStock),
        after ? gt(productVariants.sku, after.sku) : undefined,
      ),
    )
    .orderBy(asc(productVariants.sku))
    .limit(query.limit + 1);
  return paginate(rows, query.limit, (r) => ({ sku: r.sku }));
}

/**
 * Compares each SKU's Durable Object (the authority) with the Postgres read
 * table and repairs the table. Works in batches: call again with nextCursor.
 */
export async function reconcile(deps: Deps, auth: Principal, input: ReconcileInput) {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin reconciles inventory.');
  const after = decodeCursor(input.cursor, SkuCursor);
  const rows = await deps.db
    .select({
      sku: productVariants.sku,
      onHand: inventoryLevels.onHand,
      reserved: inventoryLevels.reserved,
      available: inventoryLevels.available,
    })
    .from(productVariants)
    .leftJoin(inventoryLevels, eq(inventoryLevels.sku, productVariants.sku))
    .where(and(after ? gt(productVariants.sku, after.sku) : undefined, input.skus ? inArray(productVariants.sku, input.skus) : undefined))
    .orderBy(asc(productVariants.sku))
    .limit(input.limit + 1);
  const page = paginate(rows, input.limit, (r) => ({ sku: r.sku }));
  const levels = await Promise.all(page.data.map((r) => inventoryFor(deps.env, r.sku).level()));
  const repaired = [];
  for (const [i, row] of page.data.entries()) {
    const level = levels[i];
    if (!level) continue;
    const same = row.onHand === level.onHand && row.reserved === level.reserved && row.available === level.available;
    if (same) continue;
    await deps.db
      .insert(inventoryLevels)
      .values({ sku: level.sku, onHand: level.onHand, reserved: level.reserved, available: level.available, version: level.version })
      .onConflictDoUpdate({
        target: inventoryLevels.sku,
        set: { onHand: level.onHand, reserved: level.reserved, available: level.available, version: level.version, updatedAt: sql`now()` },
      });
    repaired.push({
      sku: row.sku,
      table: row.onHand === null ? null : { onHand: row.onHand, reserved: row.reserved ?? 0, available: row.available ?? 0 },
      actual: { onHand: level.onHand, reserved: level.reserved, available: level.available },
    });
  }
  return { checked: page.data.length, repaired, nextCursor: page.nextCursor };
}

