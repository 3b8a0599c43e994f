import { DurableObject } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { invalidate } from '../shared/cache';
import { type Deps, runWithDeps } from '../shared/context';
import { inventoryLevels } from '../shared/db/schema';
import type { Bindings } from '../shared/env';
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

/** How long changes are coalesced before the Postgres read copy is updated. */
const MIRROR_DELAY_MS = 200;
const MIRROR_RETRY_MS = 5_000;
/** Finished reservations are kept this long so retried calls still get the same answer. */
const FINISHED_RETENTION_MS = 7 * 24 * 3600 * 1000;

interface StockRow extends Record<string, SqlStorageValue> {
  sku: string;
  on_hand: number;
  version: number;
  dirty: number;
  mirrored_in_stock: number | null;
}

interface ReservationRow extends Record<string, SqlStorageValue> {
  id: string;
  qty: number;
  expires_at: number;
  status: string;
}

/**
 * One object per SKU: the authority for its stock (DESIGN §4). `onHand` and
 * reservations live in the object's SQLite storage; available = onHand minus
 * active, unexpired reservations, and never goes below zero. Every method runs
 * its reads and writes without awaiting anything else, so calls never
 * interleave: 500 concurrent reserve(1) against 50 units give exactly 50.
 *
 * Reserve, commit and release are idempotent per reservation id. An alarm
 * expires reservations on time and mirrors the level to Postgres
 * (`inventory_levels`, coalesced, versioned) without delaying callers.
 */
export class InventoryDO extends DurableObject<Bindings> {
  private ready = false;

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
          id TEXT PRIMARY KEY, delta INTEGER NOT NULL, at INTEGER NOT NULL);`);
      this.ready = this.stock() !== undefined;
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
   * import, seed); a SKU with no row there starts at zero. Blocks other calls
   * while it reads, so no call sees an uninitialised object.
   */
  private async ensureReady(sku: string): Promise<void> {
    if (this.ready) return;
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

  // ---- RPC ---------------------------------------------------------------

  /** Answers from inside the object without touching stock: readiness checks use it. */
  async ping(): Promise<{ ok: true; storageBytes: number }> {
    return { ok: true, storageBytes: this.ctx.storage.sql.databaseSize };
  }

  async level(sku: string): Promise<InventoryLevel> {
    await this.ensureReady(sku);
    return this.levelNow();
  }

  /** Sets the count on hand. Refused when it would leave less than what is reserved. */
  async setOnHand(sku: string, onHand: number, actor: string): Promise<StockChangeResult> {
    await this.ensureReady(sku);
    const stock = this.requireStock();
    return this.applyDelta(onHand - stock.on_hand, 'set', actor);
  }

  async adjust(sku: string, delta: number, reason: string, actor: string): Promise<StockChangeResult> {
    await this.ensureReady(sku);
    return this.applyDelta(delta, `adjust:${reason}`, actor);
  }

  /**
   * `adjust`, at most once per `adjustmentId` (a returned line's id): the ids
   * applied are kept in the object's storage, so a retried or duplicated step
   * (a receive or refund called again, a queue message delivered twice) moves
   * nothing the second time. Answers whether this call applied it.
   */
  async adjustOnce(sku: string, adjustmentId: string, delta: number, reason: string, actor: string): Promise<AdjustOnceResult> {
    await this.ensureReady(sku);
    if (!adjustmentId) throw new RangeError('adjustmentId is required');
    // Checked and marked before anything is awaited, so two calls for one id cannot both pass.
    const seen = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM applied_adjustments WHERE id = ?', adjustmentId).one().n;
    if (seen) return { ok: true, applied: false, level: this.levelNow() };
    this.ctx.storage.sql.exec('INSERT INTO applied_adjustments (id, delta, at) VALUES (?, ?, ?)', adjustmentId, delta, Date.now());
    const result = await this.applyDelta(delta, `adjust:${reason}`, actor);
    if (!result.ok) {
      this.ctx.storage.sql.exec('DELETE FROM applied_adjustments WHERE id = ?', adjustmentId);
      return result;
    }
    return { ...result, applied: true };
  }

  private async applyDelta(delta: number, reason: string, actor: string): Promise<StockChangeResult> {
    if (!Number.isSafeInteger(delta)) throw new RangeError('delta must be an integer');
    const before = this.levelNow();
    const onHand = before.onHand + delta;
    if (onHand < before.reserved) {
      return { ok: false, reason: 'below_reserved', level: before };
    }
    if (delta !== 0) {
      this.ctx.storage.sql.exec('UPDATE stock SET on_hand = ?', onHand);
      this.log(delta, reason, actor, null, onHand);
      await this.changed();
    }
    return { ok: true, level: this.levelNow() };
  }

  /**
   * Holds `qty` for `ttlSeconds`. Idempotent: the same id answers what it
   * answered first (or the reservation's current state).
   */
  async reserve(sku: string, reservationId: string, qty: number, ttlSeconds: number): Promise<ReserveResult> {
    await this.ensureReady(sku);
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
    if (level.available < qty) return { ok: false, reason: 'out_of_stock', available: level.available };
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
  async hold(sku: string, holdId: string, qty: number, ttlSeconds: number): Promise<ReserveResult> {
    await this.ensureReady(sku);
    if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError('qty must be a positive integer');
    const now = Date.now();
    const existing = this.reservation(holdId);
    const status = existing ? this.effectiveStatus(existing, now) : 'missing';
    if (!existing || status !== 'active') {
      // A released or lapsed hold starts over; a committed one stays sold (reserve answers with it).
      if (status === 'released' || status === 'expired') this.ctx.storage.sql.exec('DELETE FROM reservations WHERE id = ?', holdId);
      return this.reserve(sku, holdId, qty, ttlSeconds);
    }
    const available = this.levelNow().available;
    if (qty - existing.qty > available) return { ok: false, reason: 'out_of_stock', available: available + existing.qty };
    const expiresAt = now + ttlSeconds * 1000;
    this.ctx.storage.sql.exec('UPDATE reservations SET qty = ?, expires_at = ?, updated_at = ? WHERE id = ?', qty, expiresAt, now, holdId);
    await this.changed();
    return { ok: true, reservationId: holdId, qty, expiresAt, status: 'active' };
  }

  /**
   * Turns a reservation into a sale: onHand goes down by its quantity.
   * Idempotent. A reservation that already expired or was released is
   * committed anyway when `takeIfExpired` and the stock is still there (a late
   * payment); otherwise the answer says it could not be.
   */
  async commit(sku: string, reservationId: string, options: { takeIfExpired?: number; actor?: string } = {}): Promise<CommitResult> {
    await this.ensureReady(sku);
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
      if (available < wanted) return { ok: false, reason: 'out_of_stock', level: this.levelNow() };
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
  async release(sku: string, reservationId: string): Promise<ReleaseResult> {
    await this.ensureReady(sku);
    const row = this.reservation(reservationId);
    if (!row) return { ok: true, status: 'missing' };
    if (row.status === 'committed') return { ok: false, status: 'committed' };
    if (row.status === 'active') {
      this.ctx.storage.sql.exec(`UPDATE reservations SET status = 'released', updated_at = ? WHERE id = ?`, Date.now(), reservationId);
      await this.changed();
    }
    return { ok: true, status: 'released' };
  }

  async reservations(sku: string): Promise<ReservationView[]> {
    await this.ensureReady(sku);
    return this.ctx.storage.sql
      .exec<ReservationRow>(`SELECT id, qty, expires_at, status FROM reservations WHERE status = 'active' AND expires_at > ? ORDER BY expires_at`, Date.now())
      .toArray()
      .map((r) => ({ id: r.id, qty: r.qty, expiresAt: new Date(r.expires_at).toISOString() }));
  }

  /** The movement log, newest first, `before` a sequence number. */
  async movements(sku: string, before: number | null, limit: number): Promise<Movement[]> {
    await this.ensureReady(sku);
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

    let retry = false;
    if (this.requireStock().dirty) retry = !(await this.mirror());

    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>(`SELECT MIN(expires_at) AS at FROM reservations WHERE status = 'active'`)
      .one().at;
    // getAlarm() is null during the handler unless a call made while we awaited the mirror asked for a run: keep it.
    const requested = await this.ctx.storage.getAlarm();
    const candidates = [next, retry ? Date.now() + MIRROR_RETRY_MS : null, requested].filter((t): t is number => t !== null);
    if (candidates.length) await this.ctx.storage.setAlarm(Math.min(...candidates));
  }

  /** Writes the current level to the read table; true when it is up to date. */
  private async mirror(): Promise<boolean> {
    const level = this.levelNow();
    const wasInStock = this.requireStock().mirrored_in_stock;
    return this.withDeps(async (deps) => {
      try {
        await deps.db.execute(sql`
          insert into ${inventoryLevels} (sku, on_hand, reserved, available, version, updated_at)
          values (${level.sku}, ${level.onHand}, ${level.reserved}, ${level.available}, ${level.version}, now())
          on conflict (sku) do update set on_hand = excluded.on_hand, reserved = excluded.reserved,
            available = excluded.available, version = excluded.version, updated_at = excluded.updated_at
          where ${inventoryLevels.version} < excluded.version`);
        const inStock = level.available > 0 ? 1 : 0;
        // Listings filter on stock: their cache is outdated only when the SKU flips in or out of stock.
        if (wasInStock !== inStock) await invalidate(deps, 'catalog');
        // Clean only if nothing changed while we were writing.
        this.ctx.storage.sql.exec(
          'UPDATE stock SET dirty = CASE WHEN version = ? THEN 0 ELSE dirty END, mirrored_in_stock = ?',
          level.version,
          inStock,
        );
        return this.requireStock().dirty === 0;
      } catch (err) {
        deps.logger.warn('inventory mirror failed; will retry', { sku: level.sku, error: String(err) });
        return false;
      }
    });
  }
}
