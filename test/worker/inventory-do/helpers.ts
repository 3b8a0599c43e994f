import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { inventoryLevels } from '../../../shared/db/schema';
import { testEnv } from '../../support/app';
import { withDb } from '../../support/users';

/** A SKU no other test (or file, or earlier run against the same database) uses. */
export function newSku(label = 'T'): string {
  return `${label}-${crypto.randomUUID()}`;
}

/** The client the application uses, for a fresh SKU unless one is given. */
export function inventory(sku: string = newSku()) {
  return { sku, ...inventoryFor(testEnv, sku) };
}

export type Inv = ReturnType<typeof inventory>;
type Stub = Inv['stub'];

/** Runs SQL inside the object's own storage (what the object itself sees), returning rows. */
export function sqlRows<T extends Record<string, SqlStorageValue>>(stub: Stub, query: string, ...bindings: unknown[]): Promise<T[]> {
  return runInDurableObject(stub, (_instance: InventoryDO, state) => state.storage.sql.exec<T>(query, ...bindings).toArray());
}

export interface ReservationRecord extends Record<string, SqlStorageValue> {
  id: string;
  qty: number;
  expires_at: number;
  status: string;
}

export async function reservationRow(stub: Stub, id: string): Promise<ReservationRecord | undefined> {
  const rows = await sqlRows<ReservationRecord>(stub, 'SELECT id, qty, expires_at, status FROM reservations WHERE id = ?', id);
  return rows[0];
}

/**
 * Moves reservations' expiry into the past (all active ones when `ids` is
 * omitted) without waiting: they stop counting at once, the alarm has not run.
 */
export async function expire(stub: Stub, ids?: string[]): Promise<void> {
  await runInDurableObject(stub, (_instance: InventoryDO, state) => {
    const past = Date.now() - 1_000;
    if (!ids) {
      state.storage.sql.exec(`UPDATE reservations SET expires_at = ? WHERE status = 'active'`, past);
      return;
    }
    for (const id of ids) state.storage.sql.exec('UPDATE reservations SET expires_at = ? WHERE id = ?', past, id);
  });
}

/**
 * Runs the object's alarm now. An alarm is scheduled first when none is (one
 * that already fired on its own leaves none behind), so it always runs.
 */
export async function fireAlarm(stub: Stub): Promise<void> {
  await runInDurableObject(stub, async (_instance: InventoryDO, state) => {
    if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
  });
  if (await runDurableObjectAlarm(stub)) return;
  // The scheduled alarm fired on its own in between and left none behind: run the handler directly.
  await runInDurableObject(stub, (instance: InventoryDO) => instance.alarm());
}

export interface MirrorRow {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}

/** The Postgres read copy of a SKU's level (undefined when there is no row). */
export function mirrorRow(sku: string): Promise<MirrorRow | undefined> {
  return withDb(async (db) => {
    const rows = await db
      .select({
        sku: inventoryLevels.sku,
        onHand: inventoryLevels.onHand,
        reserved: inventoryLevels.reserved,
        available: inventoryLevels.available,
        version: inventoryLevels.version,
      })
      .from(inventoryLevels)
      .where(eq(inventoryLevels.sku, sku));
    return rows[0];
  });
}

/** Writes the read-table row directly, as a bulk import or seed would. */
export function writeMirrorRow(row: MirrorRow): Promise<void> {
  return withDb(async (db) => {
    await db.insert(inventoryLevels).values(row);
  });
}

/**
 * The error message a call fails with, or null. Runs inside the object: a
 * rejecting RPC through a stub leaks an extra unhandled rejection in the
 * vitest integration (cloudflare/workers-sdk#14736), which fails the run.
 */
export function errorOf(stub: Stub, call: (instance: InventoryDO) => Promise<unknown>): Promise<string | null> {
  return runInDurableObject(stub, async (instance: InventoryDO) => {
    try {
      await call(instance);
      return null;
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  });
}
