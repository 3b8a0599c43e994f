import { homeShard } from '../../../durable-objects/inventory-shards';
import { expire, fireAlarm, type Inv, inventory, newSku } from '../inventory-do/helpers';

export { expire, fireAlarm, mirrorRow, sqlRows } from '../inventory-do/helpers';

/** A fresh SKU with `onHand` units, split into `count` shards. */
export async function shardedSku(onHand: number, count: number, label = 'SH'): Promise<Inv> {
  const inv = inventory(newSku(label));
  if (onHand) await inv.setOnHand(onHand, 'admin');
  const result = await inv.reshard(count);
  if (!result.ok) throw new Error(`reshard failed: ${JSON.stringify(result)}`);
  return inv;
}

/** `n` reservation ids whose home is `shard` of `count`. */
export function idsOn(shard: number, count: number, n: number, prefix = 'r'): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < n; i++) if (homeShard(`${prefix}-${i}`, count) === shard) ids.push(`${prefix}-${i}`);
  return ids;
}

/** Each shard's own level, as the primary's mirror reads it. */
export function shardLevels(inv: Inv, count: number) {
  return Promise.all(Array.from({ length: count }, (_, shard) => inv.shardStub(shard).shardStatus({ sku: inv.sku, shard, count })));
}

/** Runs every shard's alarm (expiry, and the shards' notes to the primary), then the primary's (the mirror). */
export async function settle(inv: Inv, count: number): Promise<void> {
  for (let shard = count - 1; shard >= 0; shard--) await fireAlarm(inv.shardStub(shard));
}

/** Moves every active reservation of every shard into the past. */
export async function expireAll(inv: Inv, count: number): Promise<void> {
  for (let shard = 0; shard < count; shard++) await expire(inv.shardStub(shard));
}
