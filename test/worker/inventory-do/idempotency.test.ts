import { describe, expect, it } from 'vitest';
import { inventory, reservationRow } from './helpers';

/** Reserve, commit and release are idempotent per reservation id (DESIGN §4): retries never count twice. */
describe('InventoryDO idempotency', () => {
  it('reserve with the same id twice answers the same and reserves once', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    const first = await inv.reserve('r', 3, 600);
    expect(first).toMatchObject({ ok: true, qty: 3, status: 'active' });
    expect(await inv.reserve('r', 3, 600)).toEqual(first);
    // A retry with other arguments still gets the first answer, not a second reservation.
    expect(await inv.reserve('r', 5, 60)).toEqual(first);
    expect(await inv.level()).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await inv.reservations()).toHaveLength(1);
  });

  it('concurrent duplicates of one reserve count once', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    const answers = await Promise.all(Array.from({ length: 25 }, () => inv.reserve('dup', 2, 600)));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ ok: true, qty: 2 });
    expect(await inv.level()).toMatchObject({ reserved: 2, available: 3 });
  });

  it('a reservation that failed for stock can be retried once units arrive', async () => {
    const inv = inventory();
    expect(await inv.reserve('wait', 2, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 0 });
    await inv.adjust(2, 'restock', 'admin');
    expect(await inv.reserve('wait', 2, 600)).toMatchObject({ ok: true, qty: 2 });
  });

  it('commit twice decrements onHand once', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('order', 4, 600);
    const first = await inv.commit('order');
    expect(first).toMatchObject({ ok: true, qty: 4, level: { onHand: 6, reserved: 0, available: 6 } });
    const second = await inv.commit('order');
    expect(second).toMatchObject({ ok: true, qty: 4, level: { onHand: 6, reserved: 0, available: 6 } });
    expect(await inv.level()).toMatchObject({ onHand: 6 });
    const sales = (await inv.movements(null, 100)).filter((m) => m.reason === 'sale');
    expect(sales).toHaveLength(1);
    // Reserving the committed id again answers with the committed reservation.
    expect(await inv.reserve('order', 4, 600)).toMatchObject({ ok: true, qty: 4, status: 'committed' });
    expect(await inv.level()).toMatchObject({ onHand: 6, reserved: 0 });
  });

  it('concurrent commits of one reservation decrement once', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('order', 3, 600);
    const answers = await Promise.all(Array.from({ length: 20 }, () => inv.commit('order')));
    for (const a of answers) expect(a).toMatchObject({ ok: true, qty: 3 });
    expect(await inv.level()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect((await inv.movements(null, 100)).filter((m) => m.reason === 'sale')).toHaveLength(1);
  });

  it('release twice answers the same and gives the units back once', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('r', 4, 600);
    await inv.reserve('other', 1, 600);
    expect(await inv.release('r')).toEqual({ ok: true, status: 'released' });
    expect(await inv.release('r')).toEqual({ ok: true, status: 'released' });
    expect(await inv.level()).toMatchObject({ onHand: 10, reserved: 1, available: 9 });
    expect((await reservationRow(inv.stub, 'r'))?.status).toBe('released');
  });

  it('release after commit is refused and onHand stays', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('order', 4, 600);
    await inv.commit('order');
    const movements = await inv.movements(null, 100);
    expect(await inv.release('order')).toEqual({ ok: false, status: 'committed' });
    expect(await inv.release('order')).toEqual({ ok: false, status: 'committed' });
    expect(await inv.level()).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    expect(await inv.movements(null, 100)).toEqual(movements);
    // And the sale is still a sale: committing again does not sell twice.
    expect(await inv.commit('order')).toMatchObject({ ok: true, level: { onHand: 6 } });
  });

  it('reserve again after release is refused as released; commit after release too', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('r', 4, 600);
    await inv.release('r');
    expect(await inv.reserve('r', 4, 600)).toEqual({ ok: false, reason: 'released', available: 10 });
    expect(await inv.level()).toMatchObject({ reserved: 0, available: 10 });
    expect(await inv.commit('r')).toMatchObject({ ok: false, reason: 'released', level: { onHand: 10 } });
    expect(await inv.level()).toMatchObject({ onHand: 10, reserved: 0 });
    expect((await inv.movements(null, 100)).filter((m) => m.reason === 'sale')).toEqual([]);
  });
});
