import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { InventoryDO } from '../../../durable-objects/inventory';
import { expire, fireAlarm, inventory, type Inv } from './helpers';
import { InventoryModel, mulberry32, type Status } from './model';

const STEPS = 1_000;
const SEEDS = [0x5eed0001, 0x2545f491];

interface Snapshot {
  onHand: number;
  reservedActive: number;
  movementSum: number;
  lastMovementOnHand: number | null;
  movementCount: number;
  rows: Array<{ id: string; qty: number; status: string }>;
}

/** Reads the object's tables directly: the independent side of every check. */
function snapshot(inv: Inv): Promise<Snapshot> {
  return runInDurableObject(inv.stub, (_i: InventoryDO, state) => {
    const sql = state.storage.sql;
    const now = Date.now();
    const stock = sql.exec<{ on_hand: number }>('SELECT on_hand FROM stock').one();
    const reserved = sql
      .exec<{ n: number }>(`SELECT COALESCE(SUM(qty), 0) AS n FROM reservations WHERE status = 'active' AND expires_at > ?`, now)
      .one();
    const moves = sql.exec<{ s: number; c: number }>('SELECT COALESCE(SUM(delta), 0) AS s, COUNT(*) AS c FROM movements').one();
    const last = sql.exec<{ on_hand: number }>('SELECT on_hand FROM movements ORDER BY seq DESC LIMIT 1').toArray()[0];
    const rows = sql.exec<{ id: string; qty: number; status: string }>('SELECT id, qty, status FROM reservations ORDER BY id').toArray();
    return {
      onHand: stock.on_hand,
      reservedActive: reserved.n,
      movementSum: moves.s,
      lastMovementOnHand: last?.on_hand ?? null,
      movementCount: moves.c,
      rows: rows.map((r) => ({ id: r.id, qty: r.qty, status: r.status })),
    };
  });
}

type Op =
  | { kind: 'setOnHand'; onHand: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'reserve'; id: string; qty: number }
  | { kind: 'hold'; id: string; qty: number }
  | { kind: 'commit'; id: string; takeIfExpired?: number }
  | { kind: 'release'; id: string }
  | { kind: 'expire'; ids: string[] };

function nextOp(rand: () => number, model: InventoryModel, step: number): Op {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  const known = [...model.reservations.keys()];
  const id = (): string => (rand() < 0.7 && known.length ? pick(known)! : `r-${step}`);
  const withStatus = (s: Status) => known.filter((k) => model.reservations.get(k)?.status === s);
  const r = rand();
  if (r < 0.08) return { kind: 'setOnHand', onHand: int(0, 25) };
  if (r < 0.18) return { kind: 'adjust', delta: int(-6, 8) };
  if (r < 0.46) return { kind: 'reserve', id: id(), qty: int(1, 6) };
  if (r < 0.6) {
    // A committed id is never held again here: hold-safety.test.ts covers that case.
    const holdable = known.filter((k) => model.reservations.get(k)?.status !== 'committed');
    return { kind: 'hold', id: rand() < 0.7 && holdable.length ? pick(holdable)! : `h-${step}`, qty: int(1, 6) };
  }
  if (r < 0.78) {
    const lapsed = [...withStatus('expired'), ...(rand() < 0.2 ? [`gone-${step}`] : [])];
    if (rand() < 0.35 && lapsed.length) return { kind: 'commit', id: pick(lapsed)!, takeIfExpired: int(1, 5) };
    const target = pick([withStatus('active'), withStatus('active'), withStatus('released'), withStatus('expired')]) ?? [];
    return { kind: 'commit', id: rand() < 0.7 && target.length ? pick(target)! : id() };
  }
  const active = withStatus('active');
  if (r < 0.92) return { kind: 'release', id: rand() < 0.6 && active.length ? pick(active)! : id() };
  return { kind: 'expire', ids: active.filter(() => rand() < 0.5).slice(0, 3) };
}

async function apply(inv: Inv, model: InventoryModel, op: Op): Promise<{ actual: unknown; expected: unknown; outcome: string }> {
  switch (op.kind) {
    case 'setOnHand': {
      const actual = await inv.setOnHand(op.onHand, 'fuzz');
      return { actual, expected: model.change(op.onHand), outcome: actual.ok ? 'set' : actual.reason };
    }
    case 'adjust': {
      const actual = await inv.adjust(op.delta, 'fuzz', 'fuzz');
      return { actual, expected: model.change(model.onHand + op.delta), outcome: actual.ok ? 'adjust' : actual.reason };
    }
    case 'reserve': {
      const actual = await inv.reserve(op.id, op.qty, 600);
      const expected = model.reserve(op.id, op.qty, actual.ok ? actual.expiresAt : null);
      return { actual, expected, outcome: actual.ok ? `reserve:${actual.status}` : `reserve:${actual.reason}` };
    }
    case 'hold': {
      const actual = await inv.hold(op.id, op.qty, 600);
      const expected = model.hold(op.id, op.qty, actual.ok ? actual.expiresAt : null);
      return { actual, expected, outcome: actual.ok ? 'hold' : `hold:${actual.reason}` };
    }
    case 'commit': {
      const actual = await inv.commit(op.id, op.takeIfExpired ? { takeIfExpired: op.takeIfExpired } : {});
      const outcome = actual.ok ? (actual.late ? 'commit:late' : 'commit') : `commit:${actual.reason}`;
      return { actual, expected: model.commit(op.id, op.takeIfExpired), outcome };
    }
    case 'release': {
      const actual = await inv.release(op.id);
      return { actual, expected: model.release(op.id), outcome: `release:${actual.status}` };
    }
    case 'expire': {
      await expire(inv.stub, op.ids);
      await fireAlarm(inv.stub);
      model.expire(op.ids);
      return { actual: null, expected: null, outcome: 'expire' };
    }
  }
}

describe('InventoryDO invariants under a random operation sequence', () => {
  for (const seed of SEEDS) {
    it(`holds every invariant over ${STEPS} operations (seed 0x${seed.toString(16)})`, { timeout: 180_000 }, async () => {
      const rand = mulberry32(seed);
      const inv = inventory(`FUZZ-${seed.toString(16)}-${crypto.randomUUID()}`);
      const model = new InventoryModel();
      const outcomes = new Map<string, number>();
      let lastVersion = (await inv.level()).version;

      for (let step = 0; step < STEPS; step++) {
        const op = nextOp(rand, model, step);
        const where = `seed 0x${seed.toString(16)} step ${step}: ${JSON.stringify(op)}`;
        const { actual, expected, outcome } = await apply(inv, model, op);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(actual, where).toEqual(expected);

        const level = await inv.level();
        const snap = await snapshot(inv);
        expect(level.available, where).toBeGreaterThanOrEqual(0);
        expect(level.onHand, where).toBeGreaterThanOrEqual(0);
        expect(level.onHand, where).toBe(snap.onHand);
        expect(level.reserved, where).toBe(snap.reservedActive);
        expect(level.available, where).toBe(Math.max(0, snap.onHand - snap.reservedActive));
        expect(snap.movementSum, where).toBe(snap.onHand);
        expect(snap.lastMovementOnHand ?? 0, where).toBe(snap.onHand);
        expect(level.version, where).toBeGreaterThanOrEqual(lastVersion);
        lastVersion = level.version;
        expect({ onHand: level.onHand, reserved: level.reserved, available: level.available }, where).toEqual(model.level());
        const modelRows = [...model.reservations]
          .map(([id, r]) => ({ id, qty: r.qty, status: r.status as string }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(snap.rows, where).toEqual(modelRows);
      }

      // The movement log pages back to the same history the sums were checked against.
      const log: number[] = [];
      for (let before: number | null = null; ; ) {
        const page = await inv.movements(before, 97);
        if (!page.length) break;
        log.push(...page.map((m) => m.delta));
        before = page[page.length - 1]!.seq;
      }
      expect(log.reduce((a, b) => a + b, 0)).toBe(model.onHand);

      // The sequence really exercised every branch the invariants are about.
      const summary = Object.fromEntries([...outcomes].sort());
      console.log(`seed 0x${seed.toString(16)} outcomes`, JSON.stringify(summary));
      for (const needed of [
        'set', 'adjust', 'below_reserved', 'reserve:active', 'reserve:committed', 'reserve:out_of_stock', 'reserve:released',
        'reserve:expired', 'hold', 'hold:out_of_stock', 'commit', 'commit:late', 'commit:out_of_stock', 'commit:expired',
        'commit:released', 'commit:missing', 'release:released', 'release:missing', 'release:committed', 'expire',
      ]) {
        expect(outcomes.get(needed) ?? 0, `outcome ${needed} never happened`).toBeGreaterThan(0);
      }
    });
  }
});
