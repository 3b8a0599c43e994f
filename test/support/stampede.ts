import { expect } from 'vitest';
import { placeOrder } from './checkout';
import type { TestUser } from './users';

export interface Outcome {
  buyer: TestUser;
  status: number;
  body: Record<string, unknown>;
}

/**
 * Every buyer places its order at the same moment. The local Postgres allows
 * 100 connections and every request opens its own, so part of a 200-request
 * burst is answered 503 DEPENDENCY_UNAVAILABLE (Retry-After): those buyers
 * retry with the same Idempotency-Key, as a client must, until each has a
 * final answer. The burst itself stays fully concurrent.
 */
export async function stampede(buyers: TestUser[]): Promise<{ outcomes: Outcome[]; unavailable: number }> {
  const keys = buyers.map(() => crypto.randomUUID());
  const final = new Map<number, Outcome>();
  let pending = buyers.map((_, i) => i);
  let unavailable = 0;
  for (let wave = 0; pending.length && wave < 20; wave++) {
    if (wave) await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all(
      pending.map(async (i) => {
        const res = await placeOrder(buyers[i] as TestUser, keys[i]);
        return { i, status: res.status, body: await res.json<Record<string, unknown>>() };
      }),
    );
    pending = [];
    for (const a of answers) {
      if (a.status === 503 && a.body.code === 'DEPENDENCY_UNAVAILABLE') {
        unavailable++;
        pending.push(a.i);
      } else {
        final.set(a.i, { buyer: buyers[a.i] as TestUser, status: a.status, body: a.body });
      }
    }
  }
  expect(pending, 'buyers still answered 503 after 20 waves').toEqual([]);
  return { outcomes: buyers.map((_, i) => final.get(i) as Outcome), unavailable };
}
