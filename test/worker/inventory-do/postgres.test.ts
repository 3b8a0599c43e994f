import { runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { inventoryLevels } from '../../../shared/db/schema';
import { withDb } from '../../support/users';
import { fireAlarm, inventory, mirrorRow, newSku, sqlRows, writeMirrorRow } from './helpers';

const HUGE_VERSION = 1_000_000_000_000;

/** The Postgres read table: adopted once on first use, then kept up to date by the alarm, in version order. */
describe('InventoryDO and inventory_levels', () => {
  it('the first call adopts the imported level and logs it as an import', async () => {
    const sku = newSku('IMP');
    await writeMirrorRow({ sku, onHand: 7, reserved: 0, available: 7, version: 0 });
    const inv = inventory(sku);
    expect(await inv.level()).toEqual({ sku, onHand: 7, reserved: 0, available: 7, version: 1 });
    const log = await inv.movements(null, 10);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ delta: 7, reason: 'import', actor: 'system', reservationId: null, onHand: 7 });
    // Adopted once: later edits of the read copy are not the authority.
    await withDb((db) => db.update(inventoryLevels).set({ onHand: 100, available: 100 }).where(eq(inventoryLevels.sku, sku)));
    expect((await inv.level()).onHand).toBe(7);
  });

  it('a mutation as the very first call applies on top of the imported level', async () => {
    const sku = newSku('IMP');
    await writeMirrorRow({ sku, onHand: 7, reserved: 0, available: 7, version: 0 });
    const inv = inventory(sku);
    expect(await inv.reserve('first', 5, 600)).toMatchObject({ ok: true });
    expect(await inv.level()).toMatchObject({ onHand: 7, reserved: 5, available: 2 });
    expect(await inv.adjust(-2, 'damaged', 'admin')).toMatchObject({ ok: true, level: { onHand: 5, available: 0 } });
    expect((await inv.movements(null, 10)).map((m) => [m.reason, m.delta])).toEqual([
      ['adjust:damaged', -2],
      ['import', 7],
    ]);
  });

  it('a SKU without a row starts at zero with no movements', async () => {
    const sku = newSku('NEW');
    expect(await mirrorRow(sku)).toBeUndefined();
    const inv = inventory(sku);
    expect(await inv.level()).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(await inv.movements(null, 10)).toEqual([]);
  });

  it('the alarm writes the level to inventory_levels with its version', async () => {
    const inv = inventory();
    await inv.setOnHand(12, 'admin');
    await inv.reserve('r', 5, 600);
    await fireAlarm(inv.stub);
    const level = await inv.level();
    expect(level).toMatchObject({ onHand: 12, reserved: 5, available: 7 });
    expect(await mirrorRow(inv.sku)).toEqual({ sku: inv.sku, onHand: 12, reserved: 5, available: 7, version: level.version });
    expect(await sqlRows(inv.stub, 'SELECT dirty, mirrored_in_stock FROM stock')).toEqual([{ dirty: 0, mirrored_in_stock: 1 }]);

    await inv.commit('r');
    await inv.adjust(-7, 'recount', 'admin');
    await fireAlarm(inv.stub);
    const after = await inv.level();
    expect(after).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(after.version).toBeGreaterThan(level.version);
    expect(await mirrorRow(inv.sku)).toEqual({ sku: inv.sku, onHand: 0, reserved: 0, available: 0, version: after.version });
    expect(await sqlRows(inv.stub, 'SELECT dirty, mirrored_in_stock FROM stock')).toEqual([{ dirty: 0, mirrored_in_stock: 0 }]);
  });

  it('an imported row is replaced by the object’s first mirror', async () => {
    const sku = newSku('IMP');
    await writeMirrorRow({ sku, onHand: 9, reserved: 4, available: 5, version: 0 });
    const inv = inventory(sku);
    await inv.level();
    await fireAlarm(inv.stub);
    expect(await mirrorRow(sku)).toEqual({ sku, onHand: 9, reserved: 0, available: 9, version: 1 });
  });

  it('the mirror follows a change on its own, shortly after, without the test running the alarm', async () => {
    const inv = inventory();
    await inv.level();
    await fireAlarm(inv.stub); // initialised and mirrored: nothing is scheduled any more
    expect(await runInDurableObject(inv.stub, (_i: InventoryDO, state) => state.storage.getAlarm())).toBeNull();
    await inv.setOnHand(3, 'admin');
    const { version } = await inv.level();
    const deadline = Date.now() + 10_000;
    let row = await mirrorRow(inv.sku);
    while ((row?.version ?? 0) < version && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      row = await mirrorRow(inv.sku);
    }
    expect(row).toEqual({ sku: inv.sku, onHand: 3, reserved: 0, available: 3, version });
  });

  it('an older version never overwrites a newer row', async () => {
    const inv = inventory();
    await inv.setOnHand(4, 'admin');
    await fireAlarm(inv.stub);
    expect((await mirrorRow(inv.sku))?.onHand).toBe(4);

    const newer = { sku: inv.sku, onHand: 999, reserved: 1, available: 998, version: HUGE_VERSION };
    await withDb((db) =>
      db
        .update(inventoryLevels)
        .set({ onHand: newer.onHand, reserved: newer.reserved, available: newer.available, version: newer.version })
        .where(eq(inventoryLevels.sku, inv.sku)),
    );
    await inv.adjust(5, 'restock', 'admin');
    await inv.reserve('r', 2, 600);
    await fireAlarm(inv.stub);
    expect(await inv.level()).toMatchObject({ onHand: 9, reserved: 2, available: 7 });
    expect(await mirrorRow(inv.sku)).toEqual(newer);
  });

  it('a mirror with a newer version replaces an older row, whatever it holds', async () => {
    const inv = inventory();
    await inv.setOnHand(6, 'admin');
    await fireAlarm(inv.stub);
    const { version } = await inv.level();
    await withDb((db) =>
      db.update(inventoryLevels).set({ onHand: 1, reserved: 1, available: 0, version: version - 1 }).where(eq(inventoryLevels.sku, inv.sku)),
    );
    await inv.adjust(1, 'restock', 'admin');
    await fireAlarm(inv.stub);
    const now = await inv.level();
    expect(await mirrorRow(inv.sku)).toEqual({ sku: inv.sku, onHand: 7, reserved: 0, available: 7, version: now.version });
    // Nothing left to do: no alarm stays behind when no reservation is active and the copy is clean.
    expect(await runInDurableObject(inv.stub, (_i: InventoryDO, state) => state.storage.getAlarm())).toBeNull();
  });
});
