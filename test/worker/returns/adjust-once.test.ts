import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { testEnv } from '../../support/app';

describe('InventoryDO.adjustOnce', () => {
  it('applies an adjustment id once, even when ten copies arrive together; another id applies again', async () => {
    const sku = `AO-${crypto.randomUUID().slice(0, 12)}`;
    const inventory = inventoryFor(testEnv, sku);
    await inventory.setOnHand(5, 'test');

    const copies = await Promise.all(Array.from({ length: 10 }, () => inventory.adjustOnce('return-item:a', 2, 'returned', 'return:r1')));
    expect(copies.filter((r) => r.ok && r.applied)).toHaveLength(1);
    expect(copies.every((r) => r.ok)).toBe(true);
    expect((await inventory.level()).onHand).toBe(7);

    const again = await inventory.adjustOnce('return-item:a', 2, 'returned', 'return:r1');
    expect(again).toMatchObject({ ok: true, applied: false, level: { onHand: 7 } });
    expect(await inventory.adjustOnce('return-item:b', 1, 'returned', 'return:r1')).toMatchObject({ ok: true, applied: true, level: { onHand: 8 } });

    const log = (await inventory.movements(null, 10)).filter((m) => m.reason === 'adjust:returned');
    expect(log.map((m) => m.delta)).toEqual([1, 2]);
  });

  it('a refused adjustment (below what is reserved) is not remembered, so it may be applied later', async () => {
    const sku = `AO-${crypto.randomUUID().slice(0, 12)}`;
    const inventory = inventoryFor(testEnv, sku);
    await inventory.setOnHand(3, 'test');
    expect((await inventory.reserve('hold-1', 3, 600)).ok).toBe(true);
    expect(await inventory.adjustOnce('fix-1', -1, 'damaged', 'test')).toMatchObject({ ok: false, reason: 'below_reserved' });
    await inventory.release('hold-1');
    expect(await inventory.adjustOnce('fix-1', -1, 'damaged', 'test')).toMatchObject({ ok: true, applied: true, level: { onHand: 2 } });
  });
});
