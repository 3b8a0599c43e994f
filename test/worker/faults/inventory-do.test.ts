import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { inventoryFor } from '../../../durable-objects/inventory-client';
import { testEnv } from '../../support/app';
import { invariantViolations, expectInvariants } from '../../support/invariants';
import { failNextStripeCalls } from '../../support/stripe';
import { level, placeOrder } from '../../support/checkout';
import { buyerWithCart, expectNothingTaken, expectUnavailable, ordersOfUser } from './helpers';

/**
 * Makes a SKU's InventoryDO fail one kind of call from inside its storage: a
 * SQLite trigger aborts the write (a new reservation, or a release), so the
 * RPC throws even if the object is evicted and restarted meanwhile. The
 * returned function removes it.
 */
async function failInventoryWrites(sku: string, what: 'reserve' | 'release'): Promise<() => Promise<void>> {
  const { stub } = inventoryFor(testEnv, sku);
  const name = `fault_${what}`;
  const when = what === 'reserve' ? 'BEFORE INSERT ON reservations' : `BEFORE UPDATE ON reservations WHEN NEW.status = 'released'`;
  await inventoryFor(testEnv, sku).level(); // the object exists (and adopted its stock) before the trigger
  await runInDurableObject(stub, async (_i: InventoryDO, state) => {
    state.storage.sql.exec(`CREATE TRIGGER ${name} ${when} BEGIN SELECT RAISE(ABORT, 'injected: ${what} failed'); END`);
  });
  return () => runInDurableObject(stub, async (_i: InventoryDO, state) => void state.storage.sql.exec(`DROP TRIGGER IF EXISTS ${name}`));
}

/** Attempts the Stripe SDK makes (maxNetworkRetries 2). */
const ATTEMPTS = 3;

/** Active reservations of a SKU as its object holds them. */
const activeReservations = (sku: string) => inventoryFor(testEnv, sku).reservations();

describe('a Durable Object call failing between reserve and order insert', { timeout: 90_000 }, () => {
  it("the second SKU's reserve throws: 503, the first SKU's reservation is released, no order", async () => {
    const { buyer, skus } = await buyerWithCart([1000, 2000], 5, [2, 1]);
    const [a, b] = skus as [string, string];
    const restore = await failInventoryWrites(b, 'reserve');
    try {
      await expectUnavailable(await placeOrder(buyer));
    } finally {
      await restore();
    }
    await expectNothingTaken(buyer, { [a]: 5, [b]: 5 });
    await expectInvariants([a, b]);
  });

  it('the release after a failed payment step fails too: the reservation lapses at its expiry (the alarm is the sweep)', async () => {
    const { buyer, skus } = await buyerWithCart([1000, 2000], 5, [2, 1]);
    const [a, b] = skus as [string, string];
    // Both SKUs get reserved, then PaymentIntent creation fails, then A's release fails.
    const restore = await failInventoryWrites(a, 'release');
    await failNextStripeCalls(ATTEMPTS, '500', buyer.id);
    try {
      await expectUnavailable(await placeOrder(buyer));
    } finally {
      await restore();
    }

    // B was released; A's release failed, so its units stay held, by no order, until the reservation expires.
    expect(await ordersOfUser(buyer.id)).toEqual([]);
    expect(await level(b)).toMatchObject({ reserved: 0, available: 5 });
    const held = await activeReservations(a);
    expect(held.map((r) => r.qty)).toEqual([2]);
    expect(await invariantViolations([a, b])).toEqual([`${a}: reservation ${held[0]?.id} (2) belongs to no order`]);

    // Time passes: the object's alarm expires the reservation; nothing else is needed.
    const { stub } = inventoryFor(testEnv, a);
    await runInDurableObject(stub, async (_i: InventoryDO, state) => {
      state.storage.sql.exec(`UPDATE reservations SET expires_at = ? WHERE status = 'active'`, Date.now() - 1_000);
      if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
    });
    await runDurableObjectAlarm(stub);
    await expectNothingTaken(buyer, { [a]: 5, [b]: 5 });
    await expectInvariants([a, b]);
  });
});
