import { describe, expect, it } from 'vitest';
import { errorOf, inventory, sqlRows } from './helpers';

/** Every InventoryDO method through the stub the application uses: happy paths and refusals. */
describe('InventoryDO methods', () => {
  it('a new SKU starts at 0/0/0', async () => {
    const inv = inventory();
    expect(await inv.level()).toEqual({ sku: inv.sku, onHand: 0, reserved: 0, available: 0, version: 1 });
    expect(await inv.reservations()).toEqual([]);
    expect(await inv.movements(null, 10)).toEqual([]);
  });

  it('setOnHand sets the count and logs the difference', async () => {
    const inv = inventory();
    const r1 = await inv.setOnHand(10, 'admin-1');
    expect(r1).toEqual({ ok: true, level: { sku: inv.sku, onHand: 10, reserved: 0, available: 10, version: 2 } });
    const r2 = await inv.setOnHand(4, 'admin-2');
    expect(r2).toMatchObject({ ok: true, level: { onHand: 4, available: 4, version: 3 } });
    // Setting the same count again changes nothing and logs nothing.
    expect(await inv.setOnHand(4, 'admin-3')).toMatchObject({ ok: true, level: { onHand: 4, version: 3 } });
    const log = await inv.movements(null, 10);
    expect(log.map((m) => [m.delta, m.reason, m.actor, m.onHand, m.reservationId])).toEqual([
      [-6, 'set', 'admin-2', 4, null],
      [10, 'set', 'admin-1', 10, null],
    ]);
    expect(await errorOf(inv.stub, (o) => o.setOnHand(inv.sku, 1.5, 'x'))).toBe('RangeError: delta must be an integer');
    expect((await inv.level()).onHand).toBe(4);
  });

  it('adjust adds and removes units and logs the reason', async () => {
    const inv = inventory();
    expect(await inv.adjust(7, 'restock', 'alice')).toMatchObject({ ok: true, level: { onHand: 7, available: 7 } });
    expect(await inv.adjust(-3, 'damaged', 'bob')).toMatchObject({ ok: true, level: { onHand: 4, available: 4 } });
    const [last, first] = await inv.movements(null, 10);
    expect(first).toMatchObject({ delta: 7, reason: 'adjust:restock', actor: 'alice', onHand: 7, reservationId: null });
    expect(last).toMatchObject({ delta: -3, reason: 'adjust:damaged', actor: 'bob', onHand: 4 });
    expect(Date.parse(last!.at)).not.toBeNaN();
    expect(await errorOf(inv.stub, (o) => o.adjust(inv.sku, 0.5, 'oops', 'bob'))).toBe('RangeError: delta must be an integer');
    await expect(inv.adjust(-5, 'too many', 'bob')).resolves.toMatchObject({ ok: false, reason: 'below_reserved' });
    expect((await inv.level()).onHand).toBe(4);
  });

  it('setOnHand and adjust below what is reserved are refused and change nothing', async () => {
    const inv = inventory();
    await inv.setOnHand(12, 'admin');
    expect(await inv.reserve('r1', 8, 600)).toMatchObject({ ok: true });
    const before = await inv.level();
    expect(before).toMatchObject({ onHand: 12, reserved: 8, available: 4 });
    const logBefore = await inv.movements(null, 100);

    expect(await inv.setOnHand(7, 'admin')).toEqual({ ok: false, reason: 'below_reserved', level: before });
    expect(await inv.adjust(-5, 'shrink', 'admin')).toEqual({ ok: false, reason: 'below_reserved', level: before });
    expect(await inv.setOnHand(-1, 'admin')).toMatchObject({ ok: false, reason: 'below_reserved' });
    expect(await inv.level()).toEqual(before);
    expect(await inv.movements(null, 100)).toEqual(logBefore);

    // Exactly what is reserved is allowed: nothing left to sell.
    expect(await inv.adjust(-4, 'shrink', 'admin')).toMatchObject({ ok: true, level: { onHand: 8, reserved: 8, available: 0 } });
  });

  it('reserve takes units when they are available and refuses with the available count otherwise', async () => {
    const inv = inventory();
    await inv.setOnHand(5, 'admin');
    const t0 = Date.now();
    const ok = await inv.reserve('a', 3, 600);
    expect(ok).toMatchObject({ ok: true, reservationId: 'a', qty: 3, status: 'active' });
    if (!ok.ok) throw new Error('unreachable');
    expect(ok.expiresAt).toBeGreaterThanOrEqual(t0 + 600_000 - 5_000);
    expect(ok.expiresAt).toBeLessThanOrEqual(Date.now() + 600_000 + 5_000);
    expect(await inv.reserve('b', 3, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 2 });
    expect(await inv.reserve('c', 2, 600)).toMatchObject({ ok: true, qty: 2 });
    expect(await inv.level()).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    expect(await inv.reserve('d', 1, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 0 });
    // Reservations do not touch onHand or the movement log.
    expect(await inv.movements(null, 10)).toHaveLength(1);
    for (const bad of [0, -1, 1.5]) {
      expect(await errorOf(inv.stub, (o) => o.reserve(inv.sku, `bad-${bad}`, bad, 600))).toBe('RangeError: qty must be a positive integer');
    }
    expect(await inv.reservations()).toHaveLength(2);
  });

  it('hold creates, grows, shrinks and extends a renewable hold', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    const created = await inv.hold('cart-1', 3, 60);
    expect(created).toMatchObject({ ok: true, reservationId: 'cart-1', qty: 3, status: 'active' });
    expect(await inv.level()).toMatchObject({ reserved: 3, available: 7 });

    expect(await inv.hold('cart-1', 9, 60)).toMatchObject({ ok: true, qty: 9 });
    expect(await inv.level()).toMatchObject({ reserved: 9, available: 1 });

    expect(await inv.hold('cart-1', 2, 60)).toMatchObject({ ok: true, qty: 2 });
    expect(await inv.level()).toMatchObject({ reserved: 2, available: 8 });

    const extended = await inv.hold('cart-1', 2, 3_600);
    if (!extended.ok || !created.ok) throw new Error(JSON.stringify(extended));
    expect(extended.expiresAt - created.expiresAt).toBeGreaterThanOrEqual(3_540_000 - 5_000);
    const [view] = await inv.reservations();
    expect(view).toEqual({ id: 'cart-1', qty: 2, expiresAt: new Date(extended.expiresAt).toISOString() });
    expect((await inv.level()).onHand).toBe(10);
  });

  it('hold cannot grow beyond what is available and then stays as it was', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.hold('cart', 2, 600);
    await inv.reserve('other', 6, 600);
    // 2 more are free; growing by 3 is refused; the answer says how large the hold could be.
    expect(await inv.hold('cart', 5, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 4 });
    expect(await inv.reservations()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'cart', qty: 2 }), expect.objectContaining({ id: 'other', qty: 6 })]),
    );
    expect(await inv.level()).toMatchObject({ reserved: 8, available: 2 });
    expect(await inv.hold('cart', 4, 600)).toMatchObject({ ok: true, qty: 4 });
    expect(await inv.level()).toMatchObject({ reserved: 10, available: 0 });
    // A new hold is a reservation: refused when there is not enough.
    expect(await inv.hold('cart-2', 1, 600)).toEqual({ ok: false, reason: 'out_of_stock', available: 0 });
  });

  it('commit turns a reservation into a sale', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('order-1', 4, 600);
    await inv.reserve('order-2', 1, 600);
    const result = await inv.commit('order-1', { actor: 'payment-webhook' });
    expect(result).toMatchObject({ ok: true, qty: 4, late: false, level: { onHand: 6, reserved: 1, available: 5 } });
    expect((await inv.movements(null, 1))[0]).toMatchObject({
      delta: -4,
      reason: 'sale',
      actor: 'payment-webhook',
      reservationId: 'order-1',
      onHand: 6,
    });
    expect(await inv.commit('order-2')).toMatchObject({ ok: true, qty: 1, level: { onHand: 5, reserved: 0, available: 5 } });
    expect((await inv.movements(null, 1))[0]).toMatchObject({ actor: 'checkout', reservationId: 'order-2', delta: -1 });
    expect(await inv.reservations()).toEqual([]);
    expect(await inv.commit('never-reserved')).toMatchObject({ ok: false, reason: 'missing', level: { onHand: 5 } });
  });

  it('release gives the units back', async () => {
    const inv = inventory();
    await inv.setOnHand(10, 'admin');
    await inv.reserve('r', 4, 600);
    expect(await inv.level()).toMatchObject({ reserved: 4, available: 6 });
    expect(await inv.release('r')).toEqual({ ok: true, status: 'released' });
    expect(await inv.level()).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect(await inv.release('unknown')).toEqual({ ok: true, status: 'missing' });
    expect(await inv.movements(null, 10)).toHaveLength(1);
  });

  it('reservations() lists active, unexpired reservations only, soonest expiry first', async () => {
    const inv = inventory();
    await inv.setOnHand(20, 'admin');
    await inv.reserve('late', 1, 900);
    await inv.reserve('soon', 2, 60);
    await inv.hold('mid', 3, 300);
    await inv.reserve('released', 4, 600);
    await inv.release('released');
    await inv.reserve('sold', 5, 600);
    await inv.commit('sold');
    const list = await inv.reservations();
    expect(list.map((r) => [r.id, r.qty])).toEqual([
      ['soon', 2],
      ['mid', 3],
      ['late', 1],
    ]);
    for (const r of list) expect(new Date(r.expiresAt).toISOString()).toBe(r.expiresAt);
  });

  it('movements() pages newest first with a `before` cursor', async () => {
    const inv = inventory();
    for (let i = 1; i <= 7; i++) await inv.adjust(i, `step-${i}`, 'pager');
    const all = await inv.movements(null, 100);
    expect(all.map((m) => m.delta)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(all.map((m) => m.onHand)).toEqual([28, 21, 15, 10, 6, 3, 1]);
    for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBeLessThan(all[i - 1]!.seq);

    const pages: number[][] = [];
    let cursor: number | null = null;
    for (;;) {
      const page = await inv.movements(cursor, 3);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(3);
      pages.push(page.map((m) => m.delta));
      cursor = page[page.length - 1]!.seq;
    }
    expect(pages).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(await inv.movements(all[0]!.seq, 2)).toEqual(all.slice(1, 3));
  });

  it('ping answers without initialising stock', async () => {
    const inv = inventory();
    const pong = await inv.stub.ping();
    expect(pong.ok).toBe(true);
    expect(pong.storageBytes).toBeGreaterThan(0);
    expect(await sqlRows(inv.stub, 'SELECT * FROM stock')).toEqual([]);
    await inv.level();
    expect(await sqlRows(inv.stub, 'SELECT sku, on_hand FROM stock')).toEqual([{ sku: inv.sku, on_hand: 0 }]);
  });
});
