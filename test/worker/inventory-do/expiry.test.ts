import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { expire, fireAlarm, inventory, reservationRow } from './helpers';

/** Reservations lapse on time: before the alarm runs (by their expiry) and after it (by status). */
describe('InventoryDO expiry', () => {
  it('a 1 s reservation stops counting once its time has passed, before any alarm', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('short', 3, 1);
    expect(await inv.level()).toMatchObject({ reserved: 3, available: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await inv.level()).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect(await inv.reservations()).toEqual([]);
  });

  it('an expiry moved into the past counts at once; the alarm then marks it expired', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('gone', 3, 600);
    await inv.reserve('kept', 1, 600);
    await expire(inv.stub, ['gone']);

    // Not marked yet, but no longer counted anywhere.
    expect((await reservationRow(inv.stub, 'gone'))?.status).toBe('active');
    const before = await inv.level();
    expect(before).toMatchObject({ onHand: 5, reserved: 1, available: 4 });
    expect((await inv.reservations()).map((r) => r.id)).toEqual(['kept']);
    // Nor does it hold back a stock change.
    expect(await inv.setOnHand(1, 'admin')).toMatchObject({ ok: true, level: { onHand: 1, reserved: 1, available: 0 } });
    expect(await inv.reserve('gone', 3, 600)).toEqual({ ok: false, reason: 'expired', available: 0 });

    await fireAlarm(inv.stub);
    expect((await reservationRow(inv.stub, 'gone'))?.status).toBe('expired');
    expect((await reservationRow(inv.stub, 'kept'))?.status).toBe('active');
    const after = await inv.level();
    expect(after).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
    expect(after.version).toBeGreaterThan(before.version);
    expect(await inv.reserve('gone', 3, 600)).toEqual({ ok: false, reason: 'expired', available: 0 });
  });

  it('after running, the alarm is set for the next expiry', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('late', 1, 900);
    const soon = await inv.reserve('soon', 1, 120);
    if (!soon.ok) throw new Error('reserve failed');
    await fireAlarm(inv.stub);
    const alarm = await runInDurableObject(inv.stub, (_i: InventoryDO, state) => state.storage.getAlarm());
    expect(alarm).toBe(soon.expiresAt);
  });

  it('commit of an expired reservation is refused and sells nothing', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('before-alarm', 2, 600);
    await inv.reserve('after-alarm', 2, 600);
    await expire(inv.stub);
    expect(await inv.commit('before-alarm')).toMatchObject({ ok: false, reason: 'expired', level: { onHand: 5, available: 5 } });
    await fireAlarm(inv.stub);
    expect(await inv.commit('after-alarm')).toMatchObject({ ok: false, reason: 'expired', level: { onHand: 5, available: 5 } });
    expect(await inv.level()).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await inv.movements(null, 10)).filter((m) => m.reason === 'sale')).toEqual([]);
  });

  it('takeIfExpired commits a lapsed reservation late when the stock is still there', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('late-pay', 3, 1);
    await expire(inv.stub);
    await fireAlarm(inv.stub);
    const result = await inv.commit('late-pay', { takeIfExpired: 3, actor: 'webhook' });
    expect(result).toMatchObject({ ok: true, qty: 3, late: true, level: { onHand: 2, reserved: 0, available: 2 } });
    expect((await inv.movements(null, 1))[0]).toMatchObject({ delta: -3, reason: 'sale', reservationId: 'late-pay', actor: 'webhook' });
    expect((await reservationRow(inv.stub, 'late-pay'))?.status).toBe('committed');
    // A retried webhook does not take the units again.
    expect(await inv.commit('late-pay', { takeIfExpired: 3 })).toMatchObject({ ok: true, qty: 3, level: { onHand: 2 } });
    expect(await inv.release('late-pay')).toEqual({ ok: false, status: 'committed' });
    expect((await inv.level()).onHand).toBe(2);
  });

  it('takeIfExpired also works before the alarm has marked the reservation', async () => {
    const inv = inventory();
    await inv.setOnHand(4, 'admin');
    await inv.reserve('r', 4, 600);
    await expire(inv.stub);
    expect(await inv.commit('r', { takeIfExpired: 4 })).toMatchObject({ ok: true, late: true, level: { onHand: 0, available: 0 } });
  });

  it('takeIfExpired fails with out_of_stock when someone else took the units', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    await inv.reserve('slow', 5, 600);
    await expire(inv.stub);
    expect(await inv.reserve('fast', 4, 600)).toMatchObject({ ok: true });
    const refused = await inv.commit('slow', { takeIfExpired: 5 });
    expect(refused).toMatchObject({ ok: false, reason: 'out_of_stock', level: { onHand: 5, reserved: 4, available: 1 } });
    expect(await inv.level()).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
    expect((await inv.movements(null, 10)).filter((m) => m.reason === 'sale')).toEqual([]);
    // The other buyer's reservation is untouched and still sells.
    expect(await inv.commit('fast')).toMatchObject({ ok: true, level: { onHand: 1, available: 1 } });
  });

  it('an expired hold is renewed by hold() when stock allows', async () => {
    const inv = inventory();
    await inv.setOnHand(3, 'admin');
    await inv.hold('cart', 2, 600);
    await expire(inv.stub);
    await fireAlarm(inv.stub);
    expect(await inv.hold('cart', 3, 600)).toMatchObject({ ok: true, qty: 3, status: 'active' });
    expect(await inv.level()).toMatchObject({ reserved: 3, available: 0 });
    expect(await inv.release('cart')).toEqual({ ok: true, status: 'released' });
    expect(await inv.level()).toMatchObject({ reserved: 0, available: 3 });
  });
});
