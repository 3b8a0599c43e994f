import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../shared/env';

/**
 * One object per SKU: the authority for its stock and reservations
 * (DESIGN §4). Storage is SQLite-backed (migration tag v1 in wrangler.toml).
 */
export class InventoryDO extends DurableObject<Bindings> {
  /** Answers from inside the object: readiness checks use it to prove Durable Objects run. */
  async ping(): Promise<{ ok: true; storageBytes: number }> {
    return { ok: true, storageBytes: this.ctx.storage.sql.databaseSize };
  }
}
