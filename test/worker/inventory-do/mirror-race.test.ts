import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import type { StockChangeResult } from '../../../durable-objects/inventory-types';
import type { Deps } from '../../../shared/context';
import { fireAlarm, inventory, mirrorRow } from './helpers';

/** The coalescing delay in durable-objects/inventory.ts (MIRROR_DELAY_MS), with room for a slow machine. */
const MIRROR_SOON_MS = 2_000;

type Internals = { withDeps<T>(task: (deps: Deps) => Promise<T>): Promise<T> };

/**
 * A change that lands while the alarm is mirroring (the alarm awaits Postgres,
 * Redis and the connection's close, and calls run meanwhile) must still reach
 * the read copy shortly: the alarm's own rescheduling must not push back the
 * alarm that change asked for.
 */
describe('InventoryDO mirror and concurrent changes', () => {
  for (const phase of ['write', 'close'] as const) {
    it(`a change made while the mirror is in its ${phase} phase is mirrored soon after`, async () => {
      const inv = inventory();
      await inv.setOnHand(10, 'admin');
      await inv.reserve('long', 1, 3_600); // an active reservation: the alarm has a "next expiry" to go back to
      await fireAlarm(inv.stub);

      const result = await runInDurableObject(inv.stub, async (instance: InventoryDO, state) => {
        const internals = instance as unknown as Internals;
        const original = internals.withDeps;
        let reached!: () => void;
        let proceed!: () => void;
        const reachedP = new Promise<void>((r) => (reached = r));
        const proceedP = new Promise<void>((r) => (proceed = r));
        // Pause the mirror at the chosen await, as a slow network would.
        internals.withDeps = function <T>(this: InventoryDO, task: (deps: Deps) => Promise<T>) {
          return original.call(this, (deps: Deps) => task(slowed(deps)));
        } as Internals['withDeps'];
        const slowed = (deps: Deps): Deps => {
          if (phase === 'write') {
            const db = deps.db;
            const execute = db.execute.bind(db);
            (db as { execute: unknown }).execute = async (...args: Parameters<typeof execute>) => {
              reached();
              await proceedP;
              return execute(...args);
            };
          } else {
            const dispose = deps.dispose.bind(deps);
            deps.dispose = async () => {
              reached();
              await proceedP;
              return dispose();
            };
          }
          return deps;
        };
        try {
          await instance.adjust(inv.sku, 1, 'restock', 'admin'); // dirty: the alarm will mirror
          await state.storage.deleteAlarm(); // as during a real alarm run: getAlarm() answers null
          const running = instance.alarm();
          await reachedP;
          internals.withDeps = original;
          const changedAt = Date.now();
          const during = (await instance.adjust(inv.sku, 2, 'restock', 'admin')) as StockChangeResult;
          proceed();
          await running;
          return { changedAt, version: during.level.version, alarm: await state.storage.getAlarm() };
        } finally {
          internals.withDeps = original;
          proceed();
        }
      });

      expect(result.alarm, 'an alarm is scheduled for the unmirrored change').not.toBeNull();
      expect(result.alarm! - result.changedAt).toBeLessThanOrEqual(MIRROR_SOON_MS);
      await fireAlarm(inv.stub);
      expect(await mirrorRow(inv.sku)).toMatchObject({ onHand: 13, version: (await inv.level()).version });
      expect((await mirrorRow(inv.sku))!.version).toBeGreaterThanOrEqual(result.version);
    });
  }
});
