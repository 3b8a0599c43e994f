import { expect } from 'vitest';
import type { CommitResult, ReleaseResult, ReserveResult, StockChangeResult } from '../../../durable-objects/inventory-types';

/** A small seeded PRNG (mulberry32): the same seed gives the same operation sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Status = 'active' | 'committed' | 'released' | 'expired';

export interface ModelReservation {
  qty: number;
  status: Status;
  /** null when the object chose it and the model cannot know it (a late commit of an unknown id). */
  expiresAt: number | null;
}

/**
 * What InventoryDO should answer, computed independently of it. The random
 * test only expires reservations by moving their expiry into the past and
 * running the alarm at once, so a stored 'active' reservation is unexpired.
 */
export class InventoryModel {
  onHand = 0;
  readonly reservations = new Map<string, ModelReservation>();

  get reserved(): number {
    let sum = 0;
    for (const r of this.reservations.values()) if (r.status === 'active') sum += r.qty;
    return sum;
  }

  get available(): number {
    return Math.max(0, this.onHand - this.reserved);
  }

  level() {
    return { onHand: this.onHand, reserved: this.reserved, available: this.available };
  }

  activeIds(): string[] {
    return [...this.reservations].filter(([, r]) => r.status === 'active').map(([id]) => id);
  }

  /** setOnHand and adjust: refused when onHand would drop below what is reserved. */
  change(newOnHand: number): StockChangeResult {
    if (newOnHand < this.reserved) return { ok: false, reason: 'below_reserved', level: this.levelWithAnyVersion() };
    this.onHand = newOnHand;
    return { ok: true, level: this.levelWithAnyVersion() };
  }

  /**
   * The answer `reserve` should give. `seenExpiry` is the expiry the object
   * answered with (its clock, not the model's): kept for later idempotent answers.
   */
  reserve(id: string, qty: number, seenExpiry: number | null): ReserveResult {
    const existing = this.reservations.get(id);
    if (existing) {
      if (existing.status === 'active' || existing.status === 'committed') {
        return { ok: true, reservationId: id, qty: existing.qty, expiresAt: existing.expiresAt ?? anyNumber(), status: existing.status };
      }
      return { ok: false, reason: existing.status, available: this.available };
    }
    if (this.available < qty) return { ok: false, reason: 'out_of_stock', available: this.available };
    this.reservations.set(id, { qty, status: 'active', expiresAt: seenExpiry });
    return { ok: true, reservationId: id, qty, expiresAt: anyNumber(), status: 'active' };
  }

  /** The answer for `hold` (never called for a committed id: see hold-safety.test.ts). */
  hold(id: string, qty: number, seenExpiry: number | null): ReserveResult {
    const existing = this.reservations.get(id);
    if (!existing || existing.status !== 'active') {
      this.reservations.delete(id);
      return this.reserve(id, qty, seenExpiry);
    }
    const available = this.available;
    if (qty - existing.qty > available) return { ok: false, reason: 'out_of_stock', available: available + existing.qty };
    this.reservations.set(id, { qty, status: 'active', expiresAt: seenExpiry });
    return { ok: true, reservationId: id, qty, expiresAt: anyNumber(), status: 'active' };
  }

  commit(id: string, takeIfExpired?: number): CommitResult {
    const existing = this.reservations.get(id);
    const status = existing?.status ?? 'missing';
    if (status === 'committed') return { ok: true, qty: existing!.qty, level: this.levelWithAnyVersion(), late: false };
    if (status === 'active') {
      this.onHand -= existing!.qty;
      existing!.status = 'committed';
      return { ok: true, qty: existing!.qty, level: this.levelWithAnyVersion(), late: false };
    }
    if (!takeIfExpired) return { ok: false, reason: status, level: this.levelWithAnyVersion() };
    if (this.available < takeIfExpired) return { ok: false, reason: 'out_of_stock', level: this.levelWithAnyVersion() };
    this.onHand -= takeIfExpired;
    this.reservations.set(id, { qty: takeIfExpired, status: 'committed', expiresAt: existing?.expiresAt ?? null });
    return { ok: true, qty: takeIfExpired, level: this.levelWithAnyVersion(), late: true };
  }

  release(id: string): ReleaseResult {
    const existing = this.reservations.get(id);
    if (!existing) return { ok: true, status: 'missing' };
    if (existing.status === 'committed') return { ok: false, status: 'committed' };
    if (existing.status === 'active') existing.status = 'released';
    return { ok: true, status: 'released' };
  }

  expire(ids: string[]): void {
    for (const id of ids) {
      const r = this.reservations.get(id);
      if (r?.status !== 'active') continue;
      r.status = 'expired';
      r.expiresAt = null; // moved into the past by the test, at a time the model does not know
    }
  }

  private levelWithAnyVersion() {
    return { sku: anyString(), ...this.level(), version: anyNumber() };
  }
}

/** Matchers typed as values so expected answers keep the result types. */
function anyNumber(): number {
  return expect.any(Number) as unknown as number;
}
function anyString(): string {
  return expect.any(String) as unknown as string;
}
