import type { Bindings } from '../shared/env';

/**
 * The only place that names inventory objects: one per SKU, `sku:<SKU>`.
 * Every RPC takes the SKU too, so a new object knows which SKU it holds.
 */
export function inventoryFor(env: Pick<Bindings, 'INVENTORY'>, sku: string) {
  const stub = env.INVENTORY.get(env.INVENTORY.idFromName(`sku:${sku}`));
  return {
    level: () => stub.level(sku),
    setOnHand: (onHand: number, actor: string) => stub.setOnHand(sku, onHand, actor),
    adjust: (delta: number, reason: string, actor: string) => stub.adjust(sku, delta, reason, actor),
    /** `adjust` once per `adjustmentId`: a repeat with the same id moves nothing. */
    adjustOnce: (adjustmentId: string, delta: number, reason: string, actor: string) => stub.adjustOnce(sku, adjustmentId, delta, reason, actor),
    reserve: (reservationId: string, qty: number, ttlSeconds: number) => stub.reserve(sku, reservationId, qty, ttlSeconds),
    hold: (holdId: string, qty: number, ttlSeconds: number) => stub.hold(sku, holdId, qty, ttlSeconds),
    commit: (reservationId: string, options?: { takeIfExpired?: number; actor?: string }) => stub.commit(sku, reservationId, options),
    release: (reservationId: string) => stub.release(sku, reservationId),
    reservations: () => stub.reservations(sku),
    movements: (before: number | null, limit: number) => stub.movements(sku, before, limit),
    stub,
  };
}

export type InventoryClient = ReturnType<typeof inventoryFor>;
