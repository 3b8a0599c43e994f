import { describe, expect, inject, it } from 'vitest';
import type { ReserveResult } from '../../../durable-objects/inventory-types';
import { inventory, newSku } from '../inventory-do/helpers';
import { mirrorRow, settle, shardLevels, sqlRows } from './helpers';

const UNITS = 100;
const SHARDS = 8;
const BUYERS = 1_000;
/** Buyers who walk away hold their unit this long; the shards' own alarms expire it (no test hook). */
const ABANDON_TTL_SECONDS = 2;

const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 240; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * The flash sale of DESIGN §4 at scale: one SKU, 100 units over 8 stock
 * shards, 1,000 buyers at once. Every tenth winner walks away (a short hold
 * that lapses on its own); the others pay at once. Buyers who got nothing try
 * again, all together, once the lapsed holds are back, until the stock is gone.
 */
describe(`one hot SKU: ${BUYERS} concurrent buyers for ${UNITS} units over ${SHARDS} shards${realPostgres ? ' (real Postgres)' : ''}`, () => {
  it('sells exactly the units there are, loses none, and the read table agrees with the shards', { timeout: 120_000 }, async () => {
    const inv = inventory(newSku('HOT'));
    await inv.setOnHand(UNITS, 'admin');
    expect(await inv.reshard(SHARDS)).toMatchObject({ ok: true, count: SHARDS, level: { onHand: UNITS } });

    const sold = new Set<string>();
    const abandoned = new Set<string>();
    let waiting = Array.from({ length: BUYERS }, (_, i) => i);
    for (let wave = 0; waiting.length && wave < 10; wave++) {
      const answers = await Promise.all(
        waiting.map(async (buyer) => {
          const id = `order:${buyer}:${wave}`;
          const walksAway = buyer % 10 === 0;
          const held: ReserveResult = await inv.reserve(id, 1, walksAway ? ABANDON_TTL_SECONDS : 600);
          if (!held.ok) return { buyer, got: false };
          if (walksAway) abandoned.add(id);
          else {
            const paid = await inv.commit(id, { actor: `order:${buyer}` });
            expect(paid).toMatchObject({ ok: true, qty: 1 });
            sold.add(id);
          }
          return { buyer, got: true };
        }),
      );
      waiting = answers.filter((a) => !a.got && a.buyer % 10 !== 0).map((a) => a.buyer);
      const level = await inv.level();
      // Nothing oversold, nothing lost: every unit is sold, held or for sale.
      expect(level.onHand).toBe(UNITS - sold.size);
      expect(sold.size + level.reserved + level.available).toBe(UNITS);
      if (level.onHand === 0) break;
      // The walked-away holds lapse; their units come back for the next wave.
      await until(() => inv.level(), (l) => l.reserved === 0, 'the abandoned holds to lapse');
      expect(await inv.level()).toMatchObject({ onHand: UNITS - sold.size, available: UNITS - sold.size });
    }

    expect(sold.size).toBe(UNITS);
    expect(abandoned.size).toBeGreaterThan(0);
    expect(await inv.level()).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    // One sale per sold reservation across the shards, no more.
    const sales = (await inv.movements(null, 10_000)).filter((m) => m.reason === 'sale');
    expect(sales.map((m) => m.reservationId).sort()).toEqual([...sold].sort());
    // Every move landed exactly once: what each donor sent is what a shard received.
    const received = new Map<string, number>();
    const sent = new Map<string, number>();
    for (let shard = 0; shard < SHARDS; shard++) {
      const stub = inv.shardStub(shard);
      for (const m of await sqlRows<{ id: string; granted: number; status: string }>(stub, 'SELECT id, granted, status FROM moves_in')) {
        expect(m.status).toBe('done');
        received.set(m.id, m.granted);
      }
      for (const m of await sqlRows<{ id: string; qty: number }>(stub, 'SELECT id, qty FROM moves_out')) sent.set(m.id, m.qty);
    }
    expect(received).toEqual(sent);
    expect((await shardLevels(inv, SHARDS)).reduce((n, s) => n + s.onHand, 0)).toBe(0);

    // The read table: the shards' alarms tell the primary, whose alarm writes the sum (run now rather than waited for).
    await settle(inv, SHARDS);
    expect(await mirrorRow(inv.sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
  });
});
