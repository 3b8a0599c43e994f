import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import worker from '../../workers/index';
import { call, DEAD_PORT, expectProblem, testEnv } from '../support/app';
import { withDb } from '../support/users';

describe('transactional outbox', () => {
  it('the cron job publishes events a crashed request left unpublished', async () => {
    const stale = newId();
    const fresh = newId();
    await withDb((db) =>
      db.insert(outboxEvents).values([
        { id: stale, type: 'test.stale', payload: { n: 1 }, createdAt: new Date(Date.now() - 120_000) },
        // Younger than a minute: its own request may still be publishing it.
        { id: fresh, type: 'test.fresh', payload: { n: 2 } },
      ]),
    );
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    const rows = await withDb((db) => db.select().from(outboxEvents));
    expect(rows.find((r) => r.id === stale)?.publishedAt).toBeInstanceOf(Date);
    expect(rows.find((r) => r.id === fresh)?.publishedAt).toBeNull();
    await withDb((db) => db.delete(outboxEvents).where(eq(outboxEvents.id, fresh)));
  });
});

describe('Postgres unreachable', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE, not 500', async () => {
    const res = await call(
      new Request('http://api.test/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.test', password: 'whatever password' }),
      }),
      { env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${DEAD_PORT}/none` } },
    );
    const problem = await expectProblem(res, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(problem.dependency).toBe('Database');
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
