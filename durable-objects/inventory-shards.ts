/**
 * Stock shards: how a SKU's units are split over several InventoryDO objects.
 * Shared by the objects (which call each other to move units) and the client
 * (which routes calls); see docs/cart-and-inventory.md.
 */

/** Most shards one SKU may have (the admin route's limit). */
export const MAX_SHARDS = 64;

/**
 * Which object a call is for and the shard count the caller routed with. Every
 * shard checks `count` against its own configuration, so a caller holding an
 * outdated count is told (`Misrouted`) instead of being served by the wrong shard.
 */
export interface ShardTarget {
  sku: string;
  shard: number;
  count: number;
}

/** An RPC's answer when the caller routed with an outdated shard count, or while the SKU is being resharded. */
export interface Misrouted {
  misrouted: true;
  /** The count to route with now (null: ask the primary object). */
  count: number | null;
  /** The SKU is being resharded: retry shortly. */
  resharding: boolean;
}

export const isMisrouted = (value: unknown): value is Misrouted =>
  typeof value === 'object' && value !== null && (value as { misrouted?: unknown }).misrouted === true;

/** A plain SKU (the pre-shard calling convention) is shard 0 of one. */
export const targetOf = (target: string | ShardTarget): ShardTarget =>
  typeof target === 'string' ? { sku: target, shard: 0, count: 1 } : target;

/** Shard 0 keeps today's name, so an unsharded SKU's object and its data stay where they are. */
export const shardName = (sku: string, shard: number): string => (shard === 0 ? `sku:${sku}` : `sku:${sku}#${shard}`);

/**
 * The shard a reservation lives on: a hash of its id (FNV-1a), so commit,
 * release and expiry find it from the id alone, with no mapping to look up.
 */
export function homeShard(reservationId: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < reservationId.length; i++) {
    hash ^= reservationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/**
 * How a move is sized by the donor: `refill` (a shard ran dry) gives what is
 * asked or half the donor's spare when that is more, so the next dry spell
 * comes later; `exact` gives what is asked (spreading stock after a reshard);
 * `all` gives every spare unit (gathering stock before one). Never more than
 * the donor's spare: reserved units never move.
 */
export type MoveMode = 'refill' | 'exact' | 'all';

export function grantFor(spare: number, want: number, mode: MoveMode): number {
  const asked = mode === 'all' ? spare : mode === 'exact' ? want : Math.max(want, Math.ceil(spare / 2));
  return Math.max(0, Math.min(spare, asked));
}
