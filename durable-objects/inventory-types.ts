/** Shapes crossing the InventoryDO RPC boundary (structured-clonable). */

export interface InventoryLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  /** Increases with every change (mirrors use it to stay in order). */
  version: number;
}

export type ReserveResult =
  | { ok: true; reservationId: string; qty: number; expiresAt: number; status: 'active' | 'committed' }
  | { ok: false; reason: 'out_of_stock' | 'released' | 'expired'; available: number };

export type CommitResult =
  | { ok: true; qty: number; level: InventoryLevel; late: boolean }
  | { ok: false; reason: 'expired' | 'released' | 'missing' | 'out_of_stock'; level: InventoryLevel };

export type ReleaseResult = { ok: true; status: 'released' | 'missing' } | { ok: false; status: 'committed' };

export type StockChangeResult = { ok: true; level: InventoryLevel } | { ok: false; reason: 'below_reserved'; level: InventoryLevel };

/** `adjustOnce`: `applied` is false when this adjustment id was applied before (nothing moved this time). */
export type AdjustOnceResult = { ok: true; applied: boolean; level: InventoryLevel } | { ok: false; reason: 'below_reserved'; level: InventoryLevel };

export interface ReservationView {
  id: string;
  qty: number;
  expiresAt: string;
}

export interface Movement {
  seq: number;
  at: string;
  delta: number;
  reason: string;
  actor: string;
  reservationId: string | null;
  onHand: number;
}
