import { describe, expect, it } from 'vitest';
import { fireAlarm, inventory, mirrorRow, newSku, writeMirrorRow } from './helpers';

/**
 * A read-table row can carry a version written by an earlier object for the
 * same SKU (its storage was reset, the class migrated, a staging copy). The
 * object that adopts the row's stock must continue after that version, or
 * every later mirror is an "older version", silently dropped, and the read
 * copy stays frozen while the object believes it is clean.
 */
describe('InventoryDO adopting a row mirrored by an earlier object', () => {
  it('keeps mirroring its changes over the adopted row', async () => {
    const sku = newSku('IMPV');
    await writeMirrorRow({ sku, onHand: 7, reserved: 2, available: 5, version: 50 });
    const inv = inventory(sku);
    const first = await inv.level();
    expect(first).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect(first.version).toBeGreaterThan(50);

    await inv.adjust(-3, 'recount', 'admin');
    await inv.reserve('r', 1, 600);
    await fireAlarm(inv.stub);
    const level = await inv.level();
    expect(await mirrorRow(sku)).toEqual({ sku, onHand: 4, reserved: 1, available: 3, version: level.version });
  });
});
