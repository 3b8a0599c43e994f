import { DurableObject } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { invalidate } from '../shared/cache';
import { type Deps, runWithDeps } from '../shared/context';
import { inventoryLevels, wishlistItems } from '../shared/db/schema';
import type { Bindings } from '../shared/env';
import { domainEvent, outboxInsert, publishEvents } from '../shared/outbox';
import type {
  CommitResult,
  InventoryLevel,
  Movement,
  ReleaseResult,
  ReservationView,
  ReserveResult,
  StockChangeResult,
  AdjustOnceResult,
} from './inventory-types';
import { grantFor, MAX_SHARDS, type Misrouted, type MoveMode, type ShardTarget, shardName, targetOf } from './inventory-shards';

/** How long changes are coalesced before the Postgres read copy is updated. */
const MIRROR_DELAY_MS = 200;
const MIRROR_RETRY_MS = 5_000;
/** Finished reservations are kept this long so retried calls still get the same answer. */
const FINISHED_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Pulls one call may wait for before it answers out of stock (each brought units that other calls took first). */
const MAX_REFILLS = 16;

interface StockRow extends Record<string, SqlStorageValue> {
  sku: string;
  on_hand: number;
  version: number;
  dirty: number;
  mirrored_in_stock: number | null;
}

interface ShardConfig {
  shard: number;
  count: number;
  /** Set while the primary reshards the SKU: writes are refused (callers retry shortly). */
  frozen: boolean;
}

/** What the primary asks of every shard before resharding. */
export interface ShardStatus {
  onHand: number;
  reserved: number;
  version: number;
  /** Units pulled from another shard whose credit has not landed yet. */
  pendingMoves: number;
}

export type ReshardResult =
  | { ok: true; count: number; level: InventoryLevel }
  | { ok: false; reason: 'active_reservations' | 'moves_in_flight' | 'busy'; reserved: number };

interface ReservationRow extends Record<string, SqlStorageValue> {
  id: string;
  qty: number;
  expires_at: number;
  status: string;
}

/**
 * One object per SKU — or, for a SKU split into stock shards, one per shard —
 * the authority for its stock (DESIGN §4). `onHand` and
 * reservations live in the object's SQLite storage; available = onHand minus
 * active, unexpired reservations, and never goes below zero. Every method runs
 * its reads and writes without awaiting anything else, so calls never
 * interleave: 500 concurrent reserve(1) against 50 units give exactly 50.
 *
 * Reserve, commit and release are idempotent per reservation id. An alarm
 * expires reservations on time and mirrors the level to Postgres
 * (`inventory_levels`, coalesced, versioned) without delaying callers.
 *
 * Shards (docs/cart-and-inventory.md): shard 0 is the SKU's primary object
 * (`sku:<SKU>`, today's object) and keeps the shard count; shards 1..N-1 start
 * empty. Every call names the shard and count it was routed with and is refused
 * (`Misrouted`) when they are outdated. A shard that runs dry pulls units from
 * the others (`pull`/`giveUnits`, exactly once per move id); only the primary
 * writes the Postgres mirror, from the sum of the shards.
 */
export class InventoryDO extends DurableObject<Bindings> {
  private ready = false;
  private config: ShardConfig | undefined;
  /** The pull in flight, joined by every call that finds this shard dry meanwhile. */
  private refilling: Promise<number> | undefined;
  private resharding = false;
  /** Time reserve and release held this object (their critical section, storage writes included), since the last `holdStats`. */
  private held = { calls: 0, ms: 0 };

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`
        CREATE TABLE IF NOT EXISTS stock (
          id INTEGER PRIMARY KEY CHECK (id = 1), sku TEXT NOT NULL, on_hand INTEGER NOT NULL,
          version INTEGER NOT NULL, dirty INTEGER NOT NULL, mirrored_in_stock INTEGER);
        CREATE TABLE IF NOT EXISTS reservations (
          id TEXT PRIMARY KEY, qty INTEGER NOT NULL, expires_at INTEGER NOT NULL, status TEXT NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS reservations_status ON reservations (status, expires_at);
        CREATE TABLE IF NOT EXISTS movements (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, delta INTEGER NOT NULL,
          reason TEXT NOT NULL, actor TEXT NOT NULL, reservation_id TEXT, on_hand INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS applied_adjustments (
          id TEXT PRIMARY KEY, delta INTEGER NOT NULL, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS shard_config (
          id INTEGER PRIMARY KEY CHECK (id = 1), shard INTEGER NOT NULL, count INTEGER NOT NULL, frozen INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS moves_in (
          id TEXT PRIMARY KEY, donor INTEGER NOT NULL, want INTEGER NOT NULL, mode TEXT NOT NULL,
          granted INTEGER, status TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS moves_out (id TEXT PRIMARY KEY, qty INTEGER NOT NULL, at INTEGER NOT NULL);`);
      this.ready = this.stock() !== undefined;
      const row = ctx.storage.sql.exec<{ shard: number; count: number; frozen: number }>('SELECT shard, count, frozen FROM shard_config').toArray()[0];
      this.config = row && { shard: row.shard, count: row.count, frozen: row.frozen === 1 };
    });
  }

  // ---- state -------------------------------------------------------------

  private stock(): StockRow | undefined {
    return this.ctx.storage.sql.exec<StockRow>('SELECT sku, on_hand, version, dirty, mirrored_in_stock FROM stock').toArray()[0];
  }

  private requireStock(): StockRow {
    const row = this.stock();
    if (!row) throw new Error('inventory not initialised');
    return row;
  }

  private reserved(now: number): number {
    const row = this.ctx.storage.sql
      .exec<{ n: number }>(`SELECT COALESCE(SUM(qty), 0) AS n FROM reservations WHERE status = 'active' AND expires_at > ?`, now)
      .one();
    return row.n;
  }

  private levelNow(): InventoryLevel {
    const stock = this.requireStock();
    const reserved = this.reserved(Date.now());
    return { sku: stock.sku, onHand: stock.on_hand, reserved, available: Math.max(0, stock.on_hand - reserved), version: stock.version };
  }

  /**
   * The first call for a SKU adopts the level imported into Postgres (bulk
   * import, seed); a SKU with no row there starts at zero, and so does every
   * shard but the primary (its units come by moves). Blocks other calls while
   * it reads, so no call sees an uninitialised object.
   */
  private async ensureReady(target: ShardTarget): Promise<void> {
    if (this.ready) return;
    const { sku } = target;
    if (target.shard > 0) {
      if (!this.stock()) this.ctx.storage.sql.exec('INSERT INTO stock (id, sku, on_hand, version, dirty, mirrored_in_stock) VALUES (1, ?, 0, 1, 0, NULL)', sku);
      this.ready = true;
      return;
    }
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.stock()) {
        this.ready = true;
        return;
      }
      await this.withDeps(async (deps) => {
        const rows = await deps.db.execute<{ on_hand: number; version: number | string }>(
          sql`select on_hand, version from ${inventoryLevels} where sku = ${sku}`,
        );
        const onHand = Number(rows.rows[0]?.on_hand ?? 0);
        // Continue after the row's version, or every mirror would be "older" and dropped.
        const version = Number(rows.rows[0]?.version ?? 0) + 1;
        this.ctx.storage.sql.exec(
          'INSERT INTO stock (id, sku, on_hand, version, dirty, mirrored_in_stock) VALUES (1, ?, ?, ?, 1, NULL)',
          sku,
          onHand,
          version,
        );
        if (onHand) this.log(onHand, 'import', 'system', null, onHand);
        this.ready = true;
      });
      await this.scheduleMirror();
    });
  }

  /** Side work against Postgres and Redis (the adopted level, the read-table mirror), with dependencies closed after. */
  private withDeps<T>(task: (deps: Deps) => Promise<T>): Promise<T> {
    return runWithDeps(this.env, { durableObject: 'InventoryDO' }, task);
  }

  private log(delta: number, reason: string, actor: string, reservationId: string | null, onHand: number): void {
    this.ctx.storage.sql.exec(
      'INSERT INTO movements (at, delta, reason, actor, reservation_id, on_hand) VALUES (?, ?, ?, ?, ?, ?)',
      Date.now(),
      delta,
      reason,
      actor,
      reservationId,
      onHand,
    );
  }

  /** Records a change: bumps the version and asks the alarm to mirror it soon. */
  private changed(): Promise<void> {
    this.ctx.storage.sql.exec('UPDATE stock SET version = version + 1, dirty = 1');
    return this.scheduleMirror();
  }

  private async scheduleMirror(delayMs = MIRROR_DELAY_MS): Promise<void> {
    const at = Date.now() + delayMs;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private reservation(id: string): ReservationRow | undefined {
    return this.ctx.storage.sql
      .exec<ReservationRow>('SELECT id, qty, expires_at, status FROM reservations WHERE id = ?', id)
      .toArray()[0];
  }

  /** An active reservation whose time has passed counts as expired even before the alarm marks it. */
  private effectiveStatus(row: ReservationRow, now: number): string {
    return row.status === 'active' && row.expires_at <= now ? 'expired' : row.status;
  }

  // ---- shards --------------------------------------------------------------

  /** The primary without a configuration is shard 0 of 1 (every SKU before sharding); another shard knows nothing until configured. */
  private shardConfig(target: ShardTarget): ShardConfig | undefined {
    return this.config ?? (target.shard === 0 ? { shard: 0, count: 1, frozen: false } : undefined);
  }

  /**
   * Refuses a call routed with an outdated count (the caller refreshes its
   * count and retries), and writes while the SKU is being resharded. One
   * comparison in memory: routing costs no storage read and no round trip.
   */
  private misrouted(target: ShardTarget, writes = true): Misrouted | null {
    const config = this.shardConfig(target);
    if (!config) return { misrouted: true, count: null, resharding: false };
    if (config.shard !== target.shard || config.count !== target.count) return { misrouted: true, count: config.count, resharding: false };
    if (writes && config.frozen) return { misrouted: true, count: config.count, resharding: true };
    return null;
  }

  private shardStub(sku: string, shard: number) {
    return this.env.INVENTORY.get(this.env.INVENTORY.idFromName(shardName(sku, shard)));
  }

  private isSharded(): boolean {
    return (this.config?.count ?? 1) > 1;
  }

  /**
   * Brings units to a shard that ran dry from the others, in turn, until it
   * holds `want` more (or nobody has any); answers how many came. Calls that
   * find the shard dry while a pull is in flight join it rather than starting
   * their own, and try again (pulling again) as long as pulls bring units.
   */
  private async refill(target: ShardTarget, want: number): Promise<number> {
    if (this.refilling) return this.refilling;
    this.refilling = (async () => {
      let brought = 0;
      for (let step = 1; step < target.count && brought < want; step++) {
        const donor = (target.shard + step) % target.count;
        brought += await this.pull(target, donor, want - brought, 'refill');
      }
      return brought;
    })().finally(() => {
      this.refilling = undefined;
    });
    return this.refilling;
  }

  /**
   * One move of units from `donor` to this shard, exactly once: the move is
   * recorded here as pending before the donor is asked; the donor debits at most
   * once per move id (and answers a repeat with the same grant); the credit
   * here marks the move done in the same synchronous step. A move whose answer
   * was lost stays pending, and the alarm asks the donor again with the same
   * id. Until then its units are on no shard's hand: the sum can fall short
   * for a moment, never exceed the total. Returns the units credited.
   */
  private async pull(target: ShardTarget, donor: number, want: number, mode: MoveMode): Promise<number> {
    const moveId = `${target.shard}:${crypto.randomUUID()}`;
    this.ctx.storage.sql.exec(
      `INSERT INTO moves_in (id, donor, want, mode, granted, status, at) VALUES (?, ?, ?, ?, NULL, 'pending', ?)`,
      moveId,
      donor,
      want,
      mode,
      Date.now(),
    );
    try {
      const granted = await this.shardStub(target.sku, donor).giveUnits({ ...target, shard: donor }, moveId, want, mode);
      return await this.credit(moveId, granted);
    } catch (err) {
      // The debit may or may not have happened: the alarm settles the move with the same id.
      await this.scheduleMirror(MIRROR_RETRY_MS);
      console.warn(`inventory move ${moveId} from shard ${donor} left pending: ${String(err)}`);
      return 0;
    }
  }

  private async credit(moveId: string, granted: number): Promise<number> {
    const pending = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM moves_in WHERE id = ? AND status = 'pending'`, moveId).one().n;
    if (!pending) return 0;
    this.ctx.storage.sql.exec(`UPDATE moves_in SET status = 'done', granted = ? WHERE id = ?`, granted, moveId);
    if (granted > 0) {
      const onHand = this.requireStock().on_hand + granted;
      this.ctx.storage.sql.exec('UPDATE stock SET on_hand = ?', onHand);
      this.log(granted, 'move-in', 'system', moveId, onHand);
      await this.changed();
    }
    return granted;
  }

  /**
   * Whether a call that is `want` units short should look again: on a sharded
   * SKU, while pulls bring units (every pull empties part of a finite stock,
   * so this ends; the cap bounds a call that keeps losing the race).
   */
  private async refilled(target: ShardTarget, want: number, refills: number): Promise<boolean> {
    if (target.count <= 1 || refills >= MAX_REFILLS) return false;
    return (await this.refill(target, want)) > 0;
  }

  /** Settles moves whose donor's answer never arrived (alarm). */
  private async settlePendingMoves(sku: string): Promise<boolean> {
    const pending = this.ctx.storage.sql
      .exec<{ id: string; donor: number; want: number; mode: string }>(`SELECT id, donor, want, mode FROM moves_in WHERE status = 'pending'`)
      .toArray();
    let settled = true;
    for (const move of pending) {
      try {
        const target = { sku, shard: move.donor, count: this.config?.count ?? 1 };
        await this.credit(move.id, await this.shardStub(sku, move.donor).giveUnits(target, move.id, move.want, move.mode as MoveMode));
      } catch {
        settled = false;
      }
    }
    return settled;
  }

  /** The sum of every shard's level; the version is the sum of theirs (each only grows, so the sum does). */
  private async totalLevel(sku: string): Promise<InventoryLevel> {
    const count = this.config?.count ?? 1;
    const total = this.levelNow();
    const others = await Promise.all(
      Array.from({ length: count - 1 }, (_, i) => this.shardStub(sku, i + 1).shardStatus({ sku, shard: i + 1, count })),
    );
    let { onHand, reserved, available, version } = total;
    for (const s of others) {
      onHand += s.onHand;
      reserved += s.reserved;
      available += Math.max(0, s.onHand - s.reserved);
      version += s.version;
    }
    return { sku, onHand, reserved, available, version };
  }

  // ---- RPC ---------------------------------------------------------------
  // Every call takes the SKU, or the shard it was routed to (ShardTarget): a
  // plain SKU is shard 0 of 1, today's convention. A call routed with an
  // outdated count answers `Misrouted` (the client refreshes and retries).

  /** Answers from inside the object without touching stock: readiness checks use it. */
  async ping(): Promise<{ ok: true; storageBytes: number }> {
    return { ok: true, storageBytes: this.ctx.storage.sql.databaseSize };
  }

  /** This shard's own level (the client sums the shards of a sharded SKU). */
  async level(target: string | ShardTarget): Promise<InventoryLevel | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t, false);
    if (wrong) return wrong;
    await this.ensureReady(t);
    return this.levelNow();
  }

  /** Sets the count on hand (on the primary; for a sharded SKU, the sum of the shards). Refused when it would leave less than what is reserved. */
  async setOnHand(target: string | ShardTarget, onHand: number, actor: string): Promise<StockChangeResult | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    const current = this.isSharded() ? (await this.totalLevel(t.sku)).onHand : this.requireStock().on_hand;
    return this.applyDelta(t, onHand - current, 'set', actor);
  }

  async adjust(target: string | ShardTarget, delta: number, reason: string, actor: string): Promise<StockChangeResult | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    return this.applyDelta(t, delta, `adjust:${reason}`, actor);
  }

  /**
   * `adjust`, at most once per `adjustmentId` (a returned line's id): the ids
   * applied are kept in the object's storage, so a retried or duplicated step
   * (a receive or refund called again, a queue message delivered twice) moves
   * nothing the second time. Answers whether this call applied it.
   */
  async adjustOnce(target: string | ShardTarget, adjustmentId: string, delta: number, reason: string, actor: string): Promise<AdjustOnceResult | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    if (!adjustmentId) throw new RangeError('adjustmentId is required');
    // Checked and marked before anything is awaited, so two calls for one id cannot both pass.
    const seen = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM applied_adjustments WHERE id = ?', adjustmentId).one().n;
    if (seen) return { ok: true, applied: false, level: this.levelNow() };
    this.ctx.storage.sql.exec('INSERT INTO applied_adjustments (id, delta, at) VALUES (?, ?, ?)', adjustmentId, delta, Date.now());
    const result = await this.applyDelta(t, delta, `adjust:${reason}`, actor);
    if (!result.ok) {
      this.ctx.storage.sql.exec('DELETE FROM applied_adjustments WHERE id = ?', adjustmentId);
      return result;
    }
    return { ...result, applied: true };
  }

  /**
   * Stock changes land on the primary. Removing more than it has spare first
   * gathers every spare unit of the other shards here, so "below reserved" is
   * judged against the whole SKU.
   */
  private async applyDelta(target: ShardTarget, delta: number, reason: string, actor: string): Promise<StockChangeResult> {
    if (!Number.isSafeInteger(delta)) throw new RangeError('delta must be an integer');
    if (delta < 0 && this.isSharded() && this.levelNow().available < -delta) {
      for (let shard = 1; shard < target.count; shard++) await this.pull(target, shard, 0, 'all');
    }
    const before = this.levelNow();
    const onHand = before.onHand + delta;
    if (onHand < before.reserved) {
      return { ok: false, reason: 'below_reserved', level: this.isSharded() ? await this.totalLevel(target.sku) : before };
    }
    if (delta !== 0) {
      this.ctx.storage.sql.exec('UPDATE stock SET on_hand = ?', onHand);
      this.log(delta, reason, actor, null, onHand);
      await this.changed();
    }
    return { ok: true, level: this.isSharded() ? await this.totalLevel(target.sku) : this.levelNow() };
  }

  /**
   * Holds `qty` for `ttlSeconds`. Idempotent: the same id answers what it
   * answered first (or the reservation's current state). A shard that is short
   * pulls units from the others once, then decides.
   */
  async reserve(target: string | ShardTarget, reservationId: string, qty: number, ttlSeconds: number): Promise<ReserveResult | Misrouted> {
    return this.timed(() => this.reserveAt(targetOf(target), reservationId, qty, ttlSeconds, 0));
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.held.calls++;
      this.held.ms += performance.now() - started;
    }
  }

  /** The hold-time counters (the inventory-hot-sku benchmark), reset on read. In memory: they measure, they are not state. */
  async holdStats(): Promise<{ calls: number; ms: number }> {
    const stats = this.held;
    this.held = { calls: 0, ms: 0 };
    return stats;
  }

  private async reserveAt(t: ShardTarget, reservationId: string, qty: number, ttlSeconds: number, refills: number): Promise<ReserveResult | Misrouted> {
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError('qty must be a positive integer');
    const now = Date.now();
    const existing = this.reservation(reservationId);
    if (existing) {
      const status = this.effectiveStatus(existing, now);
      if (status === 'active' || status === 'committed') {
        return { ok: true, reservationId, qty: existing.qty, expiresAt: existing.expires_at, status };
      }
      return { ok: false, reason: status as 'released' | 'expired', available: this.levelNow().available };
    }
    const level = this.levelNow();
    if (level.available < qty) {
      if (!(await this.refilled(t, qty - level.available, refills))) return { ok: false, reason: 'out_of_stock', available: this.levelNow().available };
      // Everything is checked again: other calls ran while the units were on their way.
      return this.reserveAt(t, reservationId, qty, ttlSeconds, refills + 1);
    }
    const expiresAt = now + ttlSeconds * 1000;
    this.ctx.storage.sql.exec(
      `INSERT INTO reservations (id, qty, expires_at, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)`,
      reservationId,
      qty,
      expiresAt,
      now,
      now,
    );
    await this.changed();
    return { ok: true, reservationId, qty, expiresAt, status: 'active' };
  }

  /**
   * Sets a renewable hold (carts): creates it, changes its quantity or extends
   * it. Growing it needs the extra units to be available.
   */
  async hold(target: string | ShardTarget, holdId: string, qty: number, ttlSeconds: number): Promise<ReserveResult | Misrouted> {
    return this.holdAt(targetOf(target), holdId, qty, ttlSeconds, 0);
  }

  private async holdAt(t: ShardTarget, holdId: string, qty: number, ttlSeconds: number, refills: number): Promise<ReserveResult | Misrouted> {
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError('qty must be a positive integer');
    const now = Date.now();
    const existing = this.reservation(holdId);
    const status = existing ? this.effectiveStatus(existing, now) : 'missing';
    if (!existing || status !== 'active') {
      // A released or lapsed hold starts over; a committed one stays sold (reserve answers with it).
      if (status === 'released' || status === 'expired') this.ctx.storage.sql.exec('DELETE FROM reservations WHERE id = ?', holdId);
      return this.reserveAt(t, holdId, qty, ttlSeconds, refills);
    }
    const available = this.levelNow().available;
    if (qty - existing.qty > available) {
      if (!(await this.refilled(t, qty - existing.qty - available, refills))) {
        return { ok: false, reason: 'out_of_stock', available: this.levelNow().available + existing.qty };
      }
      return this.holdAt(t, holdId, qty, ttlSeconds, refills + 1);
    }
    const expiresAt = now + ttlSeconds * 1000;
    this.ctx.storage.sql.exec('UPDATE reservations SET qty = ?, expires_at = ?, updated_at = ? WHERE id = ?', qty, expiresAt, now, holdId);
    await this.changed();
    return { ok: true, reservationId: holdId, qty, expiresAt, status: 'active' };
  }

  /**
   * Turns a reservation into a sale: onHand goes down by its quantity.
   * Idempotent. A reservation that already expired or was released is
   * committed anyway when `takeIfExpired` and the stock is still there (a late
   * payment, pulling from other shards if need be); otherwise the answer says
   * it could not be.
   */
  async commit(target: string | ShardTarget, reservationId: string, options: { takeIfExpired?: number; actor?: string } = {}): Promise<CommitResult | Misrouted> {
    return this.commitAt(targetOf(target), reservationId, options, 0);
  }

  private async commitAt(
    t: ShardTarget,
    reservationId: string,
    options: { takeIfExpired?: number; actor?: string },
    refills: number,
  ): Promise<CommitResult | Misrouted> {
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    const take = options.takeIfExpired;
    if (take !== undefined && (!Number.isSafeInteger(take) || take <= 0)) throw new RangeError('takeIfExpired must be a positive integer');
    const now = Date.now();
    const row = this.reservation(reservationId);
    const status = row ? this.effectiveStatus(row, now) : 'missing';
    if (status === 'committed') return { ok: true, qty: row?.qty ?? 0, level: this.levelNow(), late: false };
    let qty = row?.qty ?? 0;
    let late = false;
    if (status !== 'active') {
      const wanted = options.takeIfExpired;
      if (!wanted) return { ok: false, reason: status as 'expired' | 'released' | 'missing', level: this.levelNow() };
      // The hold lapsed; take the units now if nobody else holds them.
      if (row) this.ctx.storage.sql.exec(`UPDATE reservations SET status = 'expired' WHERE id = ?`, reservationId);
      const available = this.levelNow().available;
      if (available < wanted) {
        if (!(await this.refilled(t, wanted - available, refills))) return { ok: false, reason: 'out_of_stock', level: this.levelNow() };
        return this.commitAt(t, reservationId, options, refills + 1);
      }
      qty = wanted;
      late = true;
    }
    const onHand = this.requireStock().on_hand - qty;
    this.ctx.storage.sql.exec('UPDATE stock SET on_hand = ?', onHand);
    this.ctx.storage.sql.exec(
      `INSERT INTO reservations (id, qty, expires_at, status, created_at, updated_at) VALUES (?, ?, ?, 'committed', ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = 'committed', qty = excluded.qty, updated_at = excluded.updated_at`,
      reservationId,
      qty,
      now,
      now,
      now,
    );
    this.log(-qty, 'sale', options.actor ?? 'checkout', reservationId, onHand);
    await this.changed();
    return { ok: true, qty, level: this.levelNow(), late };
  }

  /** Gives a reservation's units back. Idempotent; a committed reservation is not released. */
  async release(target: string | ShardTarget, reservationId: string): Promise<ReleaseResult | Misrouted> {
    return this.timed(() => this.releaseAt(targetOf(target), reservationId));
  }

  private async releaseAt(t: ShardTarget, reservationId: string): Promise<ReleaseResult | Misrouted> {
    const wrong = this.misrouted(t);
    if (wrong) return wrong;
    await this.ensureReady(t);
    const row = this.reservation(reservationId);
    if (!row) return { ok: true, status: 'missing' };
    if (row.status === 'committed') return { ok: false, status: 'committed' };
    if (row.status === 'active') {
      this.ctx.storage.sql.exec(`UPDATE reservations SET status = 'released', updated_at = ? WHERE id = ?`, Date.now(), reservationId);
      await this.changed();
    }
    return { ok: true, status: 'released' };
  }

  async reservations(target: string | ShardTarget): Promise<ReservationView[] | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t, false);
    if (wrong) return wrong;
    await this.ensureReady(t);
    return this.ctx.storage.sql
      .exec<ReservationRow>(`SELECT id, qty, expires_at, status FROM reservations WHERE status = 'active' AND expires_at > ? ORDER BY expires_at`, Date.now())
      .toArray()
      .map((r) => ({ id: r.id, qty: r.qty, expiresAt: new Date(r.expires_at).toISOString() }));
  }

  /** The movement log, newest first, `before` a sequence number. */
  async movements(target: string | ShardTarget, before: number | null, limit: number): Promise<Movement[] | Misrouted> {
    const t = targetOf(target);
    const wrong = this.misrouted(t, false);
    if (wrong) return wrong;
    await this.ensureReady(t);
    return this.ctx.storage.sql
      .exec<{ seq: number; at: number; delta: number; reason: string; actor: string; reservation_id: string | null; on_hand: number }>(
        'SELECT seq, at, delta, reason, actor, reservation_id, on_hand FROM movements WHERE seq < ? ORDER BY seq DESC LIMIT ?',
        before ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map((m) => ({
        seq: m.seq,
        at: new Date(m.at).toISOString(),
        delta: m.delta,
        reason: m.reason,
        actor: m.actor,
        reservationId: m.reservation_id,
        onHand: m.on_hand,
      }));
  }

  // ---- shard RPC (between the objects of one SKU, and the admin route) ------

  /** The shard count, from the primary: clients route with it (and cache it until a shard says it changed). */
  async shardMap(): Promise<{ count: number }> {
    return { count: this.config?.count ?? 1 };
  }

  /** This shard's figures for the primary (mirror, resharding). Answers whatever count it was asked with. */
  async shardStatus(target: ShardTarget): Promise<ShardStatus> {
    await this.ensureReady(target);
    const level = this.levelNow();
    const pendingMoves = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM moves_in WHERE status = 'pending'`).one().n;
    return { onHand: level.onHand, reserved: level.reserved, version: level.version, pendingMoves };
  }

  /**
   * The donor's half of a move: debits its spare units at most once per move
   * id and answers a repeat with the first grant (kept with the debit, in the
   * same synchronous step). Reserved units never move.
   */
  async giveUnits(target: ShardTarget, moveId: string, want: number, mode: MoveMode): Promise<number> {
    await this.ensureReady(target);
    const done = this.ctx.storage.sql.exec<{ qty: number }>('SELECT qty FROM moves_out WHERE id = ?', moveId).toArray()[0];
    if (done) return done.qty;
    const granted = grantFor(this.levelNow().available, want, mode);
    this.ctx.storage.sql.exec('INSERT INTO moves_out (id, qty, at) VALUES (?, ?, ?)', moveId, granted, Date.now());
    if (granted > 0) {
      const onHand = this.requireStock().on_hand - granted;
      this.ctx.storage.sql.exec('UPDATE stock SET on_hand = ?', onHand);
      this.log(-granted, 'move-out', 'system', moveId, onHand);
      await this.changed();
    }
    return granted;
  }

  /** A shard pulls `want` units from `donor` (the primary spreading stock after a reshard). */
  async pullFrom(target: ShardTarget, donor: number, want: number): Promise<number> {
    await this.ensureReady(target);
    return this.pull(target, donor, want, 'exact');
  }

  /** Tells a shard its place and the count, or freezes it (writes refused) while the primary reshards. */
  async configureShard(target: ShardTarget, frozen: boolean): Promise<void> {
    await this.ensureReady(target);
    this.setConfig({ shard: target.shard, count: target.count, frozen });
  }

  private setConfig(config: ShardConfig): void {
    this.ctx.storage.sql.exec(
      'INSERT INTO shard_config (id, shard, count, frozen) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET shard = excluded.shard, count = excluded.count, frozen = excluded.frozen',
      config.shard,
      config.count,
      config.frozen ? 1 : 0,
    );
    this.config = config;
  }

  /** A shard's level changed (its alarm says so, coalesced): the primary mirrors the sum soon. */
  async shardChanged(): Promise<void> {
    if (this.stock()) await this.changed();
  }

  /**
   * Splits the SKU into `count` shards (1 merges it back), on the primary.
   * Refused while any reservation is active or a move is in flight: a
   * reservation's shard is a function of the count, so changing the count
   * under one would lose track of it. Steps: freeze every shard (writes
   * refused, callers retry), check, gather every unit here by moves, carry
   * the leaving shards' versions (the mirror's version never goes back), set
   * the new count everywhere, then each shard pulls its share. Safe to call
   * again after a failure: it redoes every step.
   */
  async reshard(sku: string, count: number): Promise<ReshardResult> {
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) throw new RangeError(`count must be 1..${MAX_SHARDS}`);
    const old = this.config?.count ?? 1;
    const here: ShardTarget = { sku, shard: 0, count: old };
    await this.ensureReady(here);
    if (this.resharding) return { ok: false, reason: 'busy', reserved: 0 };
    this.resharding = true;
    const others = (n: number) => Array.from({ length: n - 1 }, (_, i) => i + 1);
    const configure = (n: number, upTo: number, frozen: boolean) =>
      Promise.all(others(upTo).map((shard) => this.shardStub(sku, shard).configureShard({ sku, shard, count: n }, frozen)));
    const statuses = () => Promise.all(others(old).map((shard) => this.shardStub(sku, shard).shardStatus({ sku, shard, count: old })));
    let switched = false;
    try {
      this.setConfig({ shard: 0, count: old, frozen: true });
      await configure(old, old, true);
      const before = await statuses();
      const reserved = this.levelNow().reserved + before.reduce((n, s) => n + s.reserved, 0);
      if (reserved > 0) return { ok: false, reason: 'active_reservations', reserved };
      const pendingHere = () => this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM moves_in WHERE status = 'pending'`).one().n;
      if (pendingHere() + before.reduce((n, s) => n + s.pendingMoves, 0) > 0) return { ok: false, reason: 'moves_in_flight', reserved: 0 };
      for (const shard of others(old)) await this.pull(here, shard, 0, 'all');
      if (pendingHere() > 0) return { ok: false, reason: 'moves_in_flight', reserved: 0 };
      const carried = (await statuses()).reduce((n, s) => n + s.version, 0);
      this.ctx.storage.sql.exec('UPDATE stock SET version = version + ?', carried);
      // Shards beyond the new count learn it too: any caller still routing with the old one is told.
      await configure(count, Math.max(old, count), false);
      this.setConfig({ shard: 0, count, frozen: false });
      switched = true;
      const share = Math.floor(this.requireStock().on_hand / count);
      if (share > 0) await Promise.all(others(count).map((shard) => this.shardStub(sku, shard).pullFrom({ sku, shard, count }, 0, share)));
      await this.changed();
      return { ok: true, count, level: await this.totalLevel(sku) };
    } finally {
      if (!switched) {
        await configure(old, old, false);
        this.setConfig({ shard: 0, count: old, frozen: false });
      }
      this.resharding = false;
    }
  }

  // ---- alarm -------------------------------------------------------------

  /** Expires lapsed reservations, mirrors the level to Postgres, and schedules the next run. */
  override async alarm(): Promise<void> {
    if (!this.stock()) return;
    const now = Date.now();
    const expired = this.ctx.storage.sql.exec(
      `UPDATE reservations SET status = 'expired', updated_at = ? WHERE status = 'active' AND expires_at <= ?`,
      now,
      now,
    ).rowsWritten;
    if (expired) this.ctx.storage.sql.exec('UPDATE stock SET version = version + 1, dirty = 1');
    this.ctx.storage.sql.exec(
      `DELETE FROM reservations WHERE status IN ('released', 'expired') AND updated_at < ?`,
      now - FINISHED_RETENTION_MS,
    );

    let retry = !(await this.settlePendingMoves(this.requireStock().sku));
    if (this.requireStock().dirty) retry = !(await ((this.config?.shard ?? 0) > 0 ? this.notifyPrimary() : this.mirror())) || retry;

    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>(`SELECT MIN(expires_at) AS at FROM reservations WHERE status = 'active'`)
      .one().at;
    // getAlarm() is null during the handler unless a call made while we awaited the mirror asked for a run: keep it.
    const requested = await this.ctx.storage.getAlarm();
    const candidates = [next, retry ? Date.now() + MIRROR_RETRY_MS : null, requested].filter((t): t is number => t !== null);
    if (candidates.length) await this.ctx.storage.setAlarm(Math.min(...candidates));
  }

  /** A shard's changes reach Postgres through the primary, which mirrors the sum; true when it was told. */
  private async notifyPrimary(): Promise<boolean> {
    const { sku, version } = this.requireStock();
    try {
      await this.shardStub(sku, 0).shardChanged();
      this.ctx.storage.sql.exec('UPDATE stock SET dirty = CASE WHEN version = ? THEN 0 ELSE dirty END', version);
      return this.requireStock().dirty === 0;
    } catch (err) {
      console.warn(`inventory shard of ${sku} could not reach its primary; will retry: ${String(err)}`);
      return false;
    }
  }

  /** Writes the current level (the sum of the shards, for a sharded SKU) to the read table; true when it is up to date. */
  private async mirror(): Promise<boolean> {
    const { sku, version: ownVersion, mirrored_in_stock: wasInStock } = this.requireStock();
    return this.withDeps(async (deps) => {
      try {
        const level = this.isSharded() ? await this.totalLevel(sku) : this.levelNow();
        const inStock = level.available > 0 ? 1 : 0;
        const upsert = sql`
          insert into ${inventoryLevels} (sku, on_hand, reserved, available, version, updated_at)
          values (${level.sku}, ${level.onHand}, ${level.reserved}, ${level.available}, ${level.version}, now())
          on conflict (sku) do update set on_hand = excluded.on_hand, reserved = excluded.reserved,
            available = excluded.available, version = excluded.version, updated_at = excluded.updated_at
          where ${inventoryLevels.version} < excluded.version`;
        // A flip in or out of stock of a SKU someone wishes is a trigger for the wishlists' fan-out (docs/wishlists.md),
        // written with the mirror row in one statement: only when that row was written, only when someone wishes the SKU.
        const trigger = wasInStock !== inStock ? [domainEvent({ type: 'inventory.stock_changed', payload: { sku, inStock: inStock === 1 } })] : [];
        const written = await deps.db.execute(
          trigger.length
            ? sql`with m as (${upsert} returning sku) ${outboxInsert(trigger, sql`m where exists (select 1 from ${wishlistItems} where ${wishlistItems.sku} = m.sku)`)}`
            : upsert,
        );
        if (trigger.length && written.rowCount) {
          await publishEvents(deps.db, this.env.NOTIFICATIONS, trigger).catch((err: unknown) =>
            deps.logger.warn('stock trigger left for the outbox cron', { sku, error: String(err) }),
          );
        }
        // Listings filter on stock: their cache is outdated only when the SKU flips in or out of stock.
        if (wasInStock !== inStock) await invalidate(deps, 'catalog');
        // Clean only if nothing changed while we were writing (a shard's change bumps this version too).
        this.ctx.storage.sql.exec(
          'UPDATE stock SET dirty = CASE WHEN version = ? THEN 0 ELSE dirty END, mirrored_in_stock = ?',
          ownVersion,
          inStock,
        );
        return this.requireStock().dirty === 0;
      } catch (err) {
        deps.logger.warn('inventory mirror failed; will retry', { sku, error: String(err) });
        return false;
      }
    });
  }
}
