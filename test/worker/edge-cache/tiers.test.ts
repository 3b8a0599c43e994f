import { describe, expect, it } from 'vitest';
import { invalidate, readThrough } from '../../../shared/cache';
import { forgetIsolateMemory } from '../../../shared/colo-cache';
import { Deps } from '../../../shared/context';
import { loadConfig } from '../../../shared/env';
import { createLogger } from '../../../shared/logger';
import { isolatedPrefix, testEnv } from '../../support/app';

// The tiers under the routes, with a load that counts: memory → the colo's Cache API → Redis → load.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deployment of its own (own Redis prefix, so own entries in every tier) with the given freshness. */
function deployment(freshSeconds: number, staleSeconds: number) {
  const config = loadConfig({
    ...testEnv,
    REDIS_KEY_PREFIX: isolatedPrefix('tiers'),
    CATALOG_FRESH_SECONDS: String(freshSeconds),
    CATALOG_STALE_SECONDS: String(staleSeconds),
  });
  /** One request's dependencies; `done` waits for its deferred work, as `waitUntil` does. */
  return () => {
    const deps = new Deps(config, testEnv, createLogger('warn'));
    return { deps, done: () => deps.dispose() };
  };
}

function countingLoad() {
  const state = { loads: 0, value: 'v1' };
  const load = async () => {
    state.loads++;
    return { value: state.value };
  };
  return { state, load };
}

describe('the tiered catalog cache', () => {
  it('concurrent misses in an isolate share one load', async () => {
    const request = deployment(60, 0);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loads = 0;
    const load = async () => {
      loads++;
      await gate;
      return { value: 'shared' };
    };
    const requests = Array.from({ length: 8 }, () => request());
    const reads = requests.map(({ deps }) => readThrough(deps, 'catalog', 'k', load, { colo: true }));
    await sleep(50);
    release();
    const bodies = await Promise.all(reads);
    await Promise.all(requests.map((r) => r.done()));
    expect(loads).toBe(1);
    expect(new Set(bodies.map((b) => b?.body))).toEqual(new Set(['{"value":"shared"}']));
  });

  it('serves a stale entry to every reader and refreshes it once in the background', async () => {
    const request = deployment(1, 60);
    const { state, load } = countingLoad();
    const first = request();
    expect((await readThrough(first.deps, 'catalog', 'swr', load, { colo: true }))?.body).toBe('{"value":"v1"}');
    await first.done();
    expect(state.loads).toBe(1);

    // A write: Redis's version moves on, so the refresh must load again.
    state.value = 'v2';
    await invalidate(first.deps, 'catalog');
    await sleep(1100);

    const stale = Array.from({ length: 6 }, () => request());
    const bodies = await Promise.all(stale.map(({ deps }) => readThrough(deps, 'catalog', 'swr', load, { colo: true })));
    expect(bodies.map((b) => b?.body)).toEqual(Array(6).fill('{"value":"v1"}'));
    await Promise.all(stale.map((r) => r.done()));
    expect(state.loads).toBe(2);

    const after = request();
    const refreshed = await readThrough(after.deps, 'catalog', 'swr', load, { colo: true });
    await after.done();
    expect(refreshed).toMatchObject({ body: '{"value":"v2"}', hit: true });
    expect(state.loads).toBe(2);
  });

  it("a new isolate is served from the colo's Cache API, with the entry's age kept", async () => {
    const request = deployment(1, 0);
    const { state, load } = countingLoad();
    const first = request();
    await readThrough(first.deps, 'catalog', 'colo', load, { colo: true });
    await first.done();

    forgetIsolateMemory();
    const second = request();
    expect(await readThrough(second.deps, 'catalog', 'colo', load, { colo: true })).toMatchObject({ body: '{"value":"v1"}', hit: true });
    await second.done();
    expect(state.loads).toBe(1);

    // Copied into memory, the entry still dies by its first read: a write is visible after the bound.
    state.value = 'v2';
    await invalidate(second.deps, 'catalog');
    await sleep(1100);
    forgetIsolateMemory();
    const third = request();
    expect((await readThrough(third.deps, 'catalog', 'colo', load, { colo: true }))?.body).toBe('{"value":"v2"}');
    await third.done();
    expect(state.loads).toBe(2);
  });

  it('without `colo` (a writer, add-to-cart) every read is current: the colo tiers are skipped', async () => {
    const request = deployment(300, 0);
    const { state, load } = countingLoad();
    const { deps, done } = request();
    await readThrough(deps, 'catalog', 'w', load, { colo: true });
    state.value = 'v2';
    await invalidate(deps, 'catalog');
    expect((await readThrough(deps, 'catalog', 'w', load))?.body).toBe('{"value":"v2"}');
    expect((await readThrough(deps, 'catalog', 'w', load, { colo: true }))?.body).toBe('{"value":"v1"}');
    await done();
  });
});
