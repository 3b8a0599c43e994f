import { sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import type { DependencyCheck, ReadinessReport } from './schemas';

const CHECK_TIMEOUT_MS = 3_000;

async function timed(check: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // Driver messages can carry host names but not credentials; keep the first line only.
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message?.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks every dependency in parallel; ready only when all are up. */
export async function checkReadiness(deps: Deps): Promise<ReadinessReport> {
  const [postgres, redis, durableObjects, r2] = await Promise.all([
    timed(() => deps.db.execute(sql`select 1`)),
    timed(async () => {
      if ((await deps.redis.ping()) !== 'PONG') throw new Error('unexpected PING reply');
    }),
    timed(() => deps.env.INVENTORY.get(deps.env.INVENTORY.idFromName('health')).ping()),
    timed(() => deps.env.FILES.head('health-check')),
  ]);
  const checks = { postgres, redis, durableObjects, r2 };
  const ready = Object.values(checks).every((c) => c.status === 'up');
  return { status: ready ? 'ready' : 'unavailable', checks };
}
