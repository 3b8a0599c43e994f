import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../shared/env';

export interface CartLine {
  id: string;
  sku: string;
  quantity: number;
  /** The unit price when the line was added (to tell the shopper it changed). */
  addedPrice: number;
  currency: string;
  /** When the stock hold for this line lapses (carts with holds only). */
  holdExpiresAt: number | null;
  createdAt: number;
}

/** What `contents()` answers: the lines and the entered discount codes. */
export interface CartContents {
  lines: CartLine[];
  codes: string[];
}

export interface CartLimits {
  maxLines: number;
  maxQuantity: number;
}

export type LineChange =
  | { ok: true; line: CartLine; previousQuantity: number }
  | { ok: false; reason: 'line_limit' | 'quantity_limit' | 'not_found'; limit?: number };

export interface MergeReport {
  merged: number;
  capped: string[];
  skipped: string[];
}

interface LineRow extends Record<string, SqlStorageValue> {
  id: string;
  sku: string;
  quantity: number;
  added_price: number;
  currency: string;
  hold_expires_at: number | null;
  created_at: number;
}

const toLine = (r: LineRow): CartLine => ({
  id: r.id,
  sku: r.sku,
  quantity: r.quantity,
  addedPrice: r.added_price,
  currency: r.currency,
  holdExpiresAt: r.hold_expires_at,
  createdAt: r.created_at,
});

function newLineId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `ln_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * One object per cart (`cart:user:<id>` or `cart:anon:<id>`): its lines,
 * strongly consistent. Pricing and stock live elsewhere; the cart stores what
 * the shopper chose and the price it saw.
 */
export class CartDO extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`
        CREATE TABLE IF NOT EXISTS lines (
          id TEXT PRIMARY KEY, sku TEXT NOT NULL UNIQUE, quantity INTEGER NOT NULL, added_price INTEGER NOT NULL,
          currency TEXT NOT NULL, hold_expires_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, added_at INTEGER NOT NULL);`);
    });
  }

  private bump(): void {
    this.ctx.storage.sql.exec(`INSERT INTO meta (k, v) VALUES ('revision', 1) ON CONFLICT (k) DO UPDATE SET v = v + 1`);
  }

  private rows(): LineRow[] {
    return this.ctx.storage.sql.exec<LineRow>('SELECT * FROM lines ORDER BY created_at, id').toArray();
  }

  private row(where: 'id' | 'sku', value: string): LineRow | undefined {
    return this.ctx.storage.sql.exec<LineRow>(`SELECT * FROM lines WHERE ${where} = ?`, value).toArray()[0];
  }

  /** Increases with every change; 0 for a cart that was never used. */
  async revision(): Promise<number> {
    return this.ctx.storage.sql.exec<{ v: number }>(`SELECT v FROM meta WHERE k = 'revision'`).toArray()[0]?.v ?? 0;
  }

  async lines(): Promise<CartLine[]> {
    return this.rows().map(toLine);
  }

  /** The lines and the discount codes the shopper entered (in the order entered), in one call. */
  async contents(): Promise<CartContents> {
    return { lines: this.rows().map(toLine), codes: this.codeList() };
  }

  private codeList(): string[] {
    return this.ctx.storage.sql.exec<{ code: string }>('SELECT code FROM codes ORDER BY added_at, code').toArray().map((r) => r.code);
  }

  /** Keeps a discount code with the cart (once; at most `max` codes). */
  async addCode(code: string, max: number): Promise<{ ok: true; codes: string[] } | { ok: false; reason: 'code_limit'; limit: number }> {
    const codes = this.codeList();
    if (!codes.includes(code)) {
      if (codes.length >= max) return { ok: false, reason: 'code_limit', limit: max };
      this.ctx.storage.sql.exec('INSERT INTO codes (code, added_at) VALUES (?, ?)', code, Date.now());
      this.bump();
    }
    return { ok: true, codes: this.codeList() };
  }

  /** Forgets a discount code; false when the cart did not have it. */
  async removeCode(code: string): Promise<boolean> {
    const removed = this.ctx.storage.sql.exec('DELETE FROM codes WHERE code = ?', code).rowsWritten > 0;
    if (removed) this.bump();
    return removed;
  }

  /** Adds units of a SKU (to its existing line, if any) within the limits. */
  async addItem(item: { sku: string; quantity: number; price: number; currency: string }, limits: CartLimits): Promise<LineChange> {
    const now = Date.now();
    const existing = this.row('sku', item.sku);
    if (existing) {
      const quantity = existing.quantity + item.quantity;
      if (quantity > limits.maxQuantity) return { ok: false, reason: 'quantity_limit', limit: limits.maxQuantity };
      this.ctx.storage.sql.exec('UPDATE lines SET quantity = ?, updated_at = ? WHERE id = ?', quantity, now, existing.id);
      this.bump();
      return { ok: true, line: toLine({ ...existing, quantity }), previousQuantity: existing.quantity };
    }
    if (item.quantity > limits.maxQuantity) return { ok: false, reason: 'quantity_limit', limit: limits.maxQuantity };
    const count = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM lines').one().n;
    if (count >= limits.maxLines) return { ok: false, reason: 'line_limit', limit: limits.maxLines };
    const row: LineRow = {
      id: newLineId(),
      sku: item.sku,
      quantity: item.quantity,
      added_price: item.price,
      currency: item.currency,
      hold_expires_at: null,
      created_at: now,
    };
    this.ctx.storage.sql.exec(
      'INSERT INTO lines (id, sku, quantity, added_price, currency, hold_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
      row.id,
      row.sku,
      row.quantity,
      row.added_price,
      row.currency,
      now,
      now,
    );
    this.bump();
    return { ok: true, line: toLine(row), previousQuantity: 0 };
  }

  async setQuantity(lineId: string, quantity: number, limits: CartLimits): Promise<LineChange> {
    const existing = this.row('id', lineId);
    if (!existing) return { ok: false, reason: 'not_found' };
    if (quantity > limits.maxQuantity) return { ok: false, reason: 'quantity_limit', limit: limits.maxQuantity };
    this.ctx.storage.sql.exec('UPDATE lines SET quantity = ?, updated_at = ? WHERE id = ?', quantity, Date.now(), lineId);
    this.bump();
    return { ok: true, line: toLine({ ...existing, quantity }), previousQuantity: existing.quantity };
  }

  async removeLine(lineId: string): Promise<CartLine | null> {
    const existing = this.row('id', lineId);
    if (!existing) return null;
    this.ctx.storage.sql.exec('DELETE FROM lines WHERE id = ?', lineId);
    this.bump();
    return toLine(existing);
  }

  /** Empties the cart (its lines and codes) and returns the lines it held. */
  async clear(): Promise<CartLine[]> {
    const removed = this.rows().map(toLine);
    const codes = this.ctx.storage.sql.exec('DELETE FROM codes').rowsWritten;
    if (removed.length) this.ctx.storage.sql.exec('DELETE FROM lines');
    if (removed.length || codes) this.bump();
    return removed;
  }

  async setHoldExpiry(sku: string, expiresAt: number | null): Promise<void> {
    this.ctx.storage.sql.exec('UPDATE lines SET hold_expires_at = ? WHERE sku = ?', expiresAt, sku);
  }

  /** The price the shopper has now seen (after accepting a price change). */
  async acknowledgePrices(prices: Record<string, number>): Promise<void> {
    for (const [sku, price] of Object.entries(prices)) {
      this.ctx.storage.sql.exec('UPDATE lines SET added_price = ? WHERE sku = ?', price, sku);
    }
  }

  /**
   * Adds another cart's lines: quantities of the same SKU are summed up to the
   * per-line limit, new SKUs are added while there is room. Idempotent per
   * source revision, so a retried merge adds nothing twice.
   */
  async mergeLines(sourceKey: string, sourceRevision: number, incoming: CartLine[], limits: CartLimits): Promise<MergeReport> {
    const marker = `merged:${sourceKey}`;
    const done = this.ctx.storage.sql.exec<{ v: number }>('SELECT v FROM meta WHERE k = ?', marker).toArray()[0];
    const report: MergeReport = { merged: 0, capped: [], skipped: [] };
    if (done && done.v >= sourceRevision) return report;
    for (const line of incoming) {
      const existing = this.row('sku', line.sku);
      const wanted = (existing?.quantity ?? 0) + line.quantity;
      const quantity = Math.min(wanted, limits.maxQuantity);
      if (quantity < wanted) report.capped.push(line.sku);
      if (existing) {
        this.ctx.storage.sql.exec('UPDATE lines SET quantity = ?, updated_at = ? WHERE id = ?', quantity, Date.now(), existing.id);
        report.merged++;
        continue;
      }
      const result = await this.addItem({ sku: line.sku, quantity, price: line.addedPrice, currency: line.currency }, limits);
      if (result.ok) report.merged++;
      else report.skipped.push(line.sku);
    }
    this.ctx.storage.sql.exec('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', marker, sourceRevision);
    this.bump();
    return report;
  }

  /**
   * Claims the cart for one checkout at a time (a lease that lapses after
   * `ttlMs`, so a checkout that died never blocks the cart for long). The
   * checkout's per-customer limits are counted in Postgres while the lease is
   * held, so two checkouts of one customer cannot both pass them.
   */
  async beginCheckout(ttlMs: number): Promise<{ ok: true; token: number } | { ok: false; retryInMs: number }> {
    const now = Date.now();
    const until = this.ctx.storage.sql.exec<{ v: number }>(`SELECT v FROM meta WHERE k = 'checkout_until'`).toArray()[0]?.v ?? 0;
    if (until > now) return { ok: false, retryInMs: until - now };
    const token = crypto.getRandomValues(new Uint32Array(1))[0] ?? now;
    this.ctx.storage.sql.exec(
      `INSERT INTO meta (k, v) VALUES ('checkout_until', ?), ('checkout_token', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
      now + ttlMs,
      token,
    );
    return { ok: true, token };
  }

  /** Ends the lease `token` holds (a lapsed lease taken over by another checkout is left alone). */
  async endCheckout(token: number): Promise<void> {
    const held = this.ctx.storage.sql.exec<{ v: number }>(`SELECT v FROM meta WHERE k = 'checkout_token'`).toArray()[0]?.v;
    if (held === token) this.ctx.storage.sql.exec(`DELETE FROM meta WHERE k IN ('checkout_until', 'checkout_token')`);
  }

  async ping(): Promise<{ ok: true; storageBytes: number }> {
    return { ok: true, storageBytes: this.ctx.storage.sql.databaseSize };
  }
}
