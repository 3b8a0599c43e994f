import type { Bindings } from '../shared/env';
import { DependencyUnavailable } from '../shared/errors';
import { homeShard, isMisrouted, type Misrouted, type ShardTarget, shardName } from './inventory-shards';
/** The most stock shards a SKU may be split into (the admin route validates against it). */
export { MAX_SHARDS } from './inventory-shards';
import type { InventoryLevel, Movement, ReservationView } from './inventory-types';

type Env = Pick<Bindings, 'INVENTORY'>;

/**
 * Each SKU's shard count as this isolate last saw it. Isolate-safe: it is only a
 * routing hint — every shard checks the count it is called with and answers
 * `Misrouted` when it is outdated, so a stale entry costs one retry, never a
 * wrong answer. A SKU not in it is routed as unsharded (count 1), which is what
 * almost every SKU is: unsharded SKUs never pay a round trip for routing.
 */
const shardCounts = new Map<string, number>();
const MAX_CACHED_SKUS = 10_000;
const ATTEMPTS = 6;

function remember(sku: string, count: number): void {
  if (shardCounts.size >= MAX_CACHED_SKUS) shardCounts.clear();
  if (count > 1) shardCounts.set(sku, count);
  else shardCounts.delete(sku);
}

const stubFor = (env: Env, sku: string, shard: number) => env.INVENTORY.get(env.INVENTORY.idFromName(shardName(sku, shard)));

/**
 * Calls the shard(s) `pick` chooses for the current count; when one answers
 * `Misrouted`, takes the count it gives (or asks the primary), waits a little
 * while the SKU is being resharded, and tries again.
 */
type Served<R> = Exclude<R, { misrouted: true }>;

async function routed<R>(env: Env, sku: string, call: (count: number) => Promise<R>): Promise<Served<R>> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const answer = await call(shardCounts.get(sku) ?? 1);
    if (!isMisrouted(answer)) return answer as Served<R>;
    remember(sku, answer.count ?? (await stubFor(env, sku, 0).shardMap()).count);
    if (answer.resharding) await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  throw new DependencyUnavailable('inventory (resharding in progress)');
}

/** Several shards' answers, or the first `Misrouted` among them (the whole call is retried). */
async function all<R>(answers: Array<Promise<R>>): Promise<Array<Served<R>> | Misrouted> {
  const settled = await Promise.all(answers);
  const wrong = settled.find(isMisrouted);
  return wrong ? (wrong as unknown as Misrouted) : (settled as Array<Served<R>>);
}

const shards = (count: number) => Array.from({ length: count }, (_, shard) => shard);

function sumLevels(sku: string, levels: InventoryLevel[]): InventoryLevel {
  return levels.reduce(
    (sum, l) => ({
      sku,
      onHand: sum.onHand + l.onHand,
      reserved: sum.reserved + l.reserved,
      available: sum.available + l.available,
      version: sum.version + l.version,
    }),
    { sku, onHand: 0, reserved: 0, available: 0, version: 0 },
  );
}

/**
 * The only place that names inventory objects, and the router over a SKU's
 * stock shards: shard 0 is `sku:<SKU>` (the one object of an unsharded SKU),
 * shard i is `sku:<SKU>#i`. A reservation lives on the shard its id hashes
 * to, so commit and release find it with no lookup; stock changes go to the
 * primary; reads sum the shards. Every RPC names its shard and the count it
 * routed with (docs/cart-and-inventory.md).
 */
export function inventoryFor(env: Env, sku: string) {
  const at = (shard: number, count: number): ShardTarget => ({ sku, shard, count });
  type Stub = ReturnType<typeof stubFor>;
  const home = (id: string) => <R>(call: (stub: Stub, target: ShardTarget) => Promise<R>) =>
    routed(env, sku, (count) => {
      const shard = homeShard(id, count);
      return call(stubFor(env, sku, shard), at(shard, count));
    });
  const primary = <R>(call: (stub: Stub, target: ShardTarget) => Promise<R>) => routed(env, sku, (count) => call(stubFor(env, sku, 0), at(0, count)));
  const everyShard = async <R>(call: (stub: Stub, target: ShardTarget) => Promise<R>) =>
    (await routed(env, sku, (count) => all(shards(count).map((shard) => call(stubFor(env, sku, shard), at(shard, count)))))) as Array<Served<R>>;

  return {
    level: async (): Promise<InventoryLevel> => sumLevels(sku, await everyShard(async (s, t) => s.level(t))),
    setOnHand: (onHand: number, actor: string) => primary(async (s, t) => s.setOnHand(t, onHand, actor)),
    adjust: (delta: number, reason: string, actor: string) => primary(async (s, t) => s.adjust(t, delta, reason, actor)),
    /** `adjust` once per `adjustmentId`: a repeat with the same id moves nothing. */
    adjustOnce: (adjustmentId: string, delta: number, reason: string, actor: string) =>
      primary(async (s, t) => s.adjustOnce(t, adjustmentId, delta, reason, actor)),
    reserve: (reservationId: string, qty: number, ttlSeconds: number) => home(reservationId)(async (s, t) => s.reserve(t, reservationId, qty, ttlSeconds)),
    hold: (holdId: string, qty: number, ttlSeconds: number) => home(holdId)(async (s, t) => s.hold(t, holdId, qty, ttlSeconds)),
    commit: (reservationId: string, options?: { takeIfExpired?: number; actor?: string }) =>
      home(reservationId)(async (s, t) => s.commit(t, reservationId, options)),
    release: (reservationId: string) => home(reservationId)(async (s, t) => s.release(t, reservationId)),
    reservations: async (): Promise<ReservationView[]> =>
      (await everyShard(async (s, t) => s.reservations(t))).flat().sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)),
    /**
     * The movement log, newest first. On a sharded SKU each shard keeps its own
     * log (sequence numbers are per shard): the first page merges them by time,
     * and `before` is applied to each shard's sequence.
     */
    movements: async (before: number | null, limit: number): Promise<Movement[]> =>
      (await everyShard(async (s, t) => s.movements(t, before, limit)))
        .flat()
        .sort((a, b) => b.at.localeCompare(a.at) || b.seq - a.seq)
        .slice(0, limit),
    /** Splits the SKU into `count` stock shards (1: one object again); see InventoryDO.reshard. */
    reshard: async (count: number) => {
      const result = await stubFor(env, sku, 0).reshard(sku, count);
      if (result.ok) remember(sku, result.count);
      return result;
    },
    shardCount: async () => (await stubFor(env, sku, 0).shardMap()).count,
    /** The primary object (shard 0): tests and the readiness check reach it directly. */
    stub: stubFor(env, sku, 0),
    /** Shard `i`'s object (tests). */
    shardStub: (shard: number) => stubFor(env, sku, shard),
  };
}

export type InventoryClient = ReturnType<typeof inventoryFor>;
