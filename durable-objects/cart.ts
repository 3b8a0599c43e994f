import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../shared/env';

/** One object per cart: its lines, strongly consistent (DESIGN §4). */
export class CartDO extends DurableObject<Bindings> {
  async ping(): Promise<{ ok: true; storageBytes: number }> {
    return { ok: true, storageBytes: this.ctx.storage.sql.databaseSize };
  }
}
