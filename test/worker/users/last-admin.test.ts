import { and, eq, notInArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signAccessToken } from '../../../shared/auth/tokens';
import { createDatabase } from '../../../shared/db/client';
import { users } from '../../../shared/db/schema';
import { type Bindings, loadConfig } from '../../../shared/env';
import { newId } from '../../../shared/ids';
import { call, expectProblem, testEnv } from '../../support/app';
import { withDb } from '../../support/users';

// "The last active admin" is a fact about the whole users table, and the run's
// database holds admins of every other test. These tests get a database of
// their own, migrated like the run's, where they decide who the admins are.
// PGlite has one database and runs one transaction at a time, so they run on a
// real server only (where the races they test exist).
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

const migrations = import.meta.glob<string>('../../../migrations/*.sql', { query: '?raw', import: 'default', eager: true });

const dbName = `last_admin_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 6)}`;
let env: Partial<Bindings> & Record<string, unknown>;

async function inOwnDb<T>(fn: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const handle = createDatabase(loadConfig(env as Bindings));
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

interface Admin {
  id: string;
  token: string;
}

/** An admin (or customer) written straight into this file's database, with a signed access token. */
async function person(role: 'admin' | 'customer' = 'admin'): Promise<Admin> {
  const id = newId();
  await inOwnDb((db) => db.insert(users).values({ id, email: `${id}@example.test`, name: 'Admin', passwordHash: '!', role }));
  const { token } = await signAccessToken(testEnv.JWT_SECRET ?? '', { userId: id, role, sessionId: newId() });
  return { id, token };
}

const request = (method: string, path: string, token: string, body?: unknown) =>
  call(
    new Request(`http://api.test/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { env },
  );

const activeAdmins = () =>
  inOwnDb(async (db) => {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${users} where role = 'admin' and not disabled and deleted_at is null`,
    );
    return Number(rows.rows[0]?.n);
  });

/** Starts a round with exactly these admins active. */
const onlyAdmins = (...admins: Admin[]) =>
  inOwnDb((db) =>
    db
      .update(users)
      .set({ disabled: true })
      .where(and(eq(users.role, 'admin'), notInArray(users.id, admins.map((a) => a.id)))),
  );

describe.runIf(realPostgres)('the last active admin (real Postgres, a database of its own)', () => {
  beforeAll(async () => {
    await withDb((db) => db.execute(sql.raw(`create database "${dbName}"`)));
    const url = new URL(testEnv.DATABASE_URL ?? '');
    url.pathname = `/${dbName}`;
    env = { ...testEnv, DATABASE_URL: url.toString() };
    await inOwnDb(async (db) => {
      for (const name of Object.keys(migrations).sort()) {
        for (const statement of (migrations[name] ?? '').split('--> statement-breakpoint')) {
          if (statement.trim()) await db.execute(sql.raw(statement));
        }
      }
    });
  });

  afterAll(async () => {
    if (env) await withDb((db) => db.execute(sql.raw(`drop database if exists "${dbName}" with (force)`)));
  });

  it('cannot be demoted, disabled or deleted, even by a token issued while another admin existed', async () => {
    const [a, b] = [await person(), await person()];
    await onlyAdmins(a, b);
    expect((await request('PATCH', `/users/${b.id}`, a.token, { role: 'seller' })).status).toBe(200);
    // b's token was revoked by the demotion; a token minted before it (a race) meets the database rule.
    const stale = (await signAccessToken(testEnv.JWT_SECRET ?? '', { userId: b.id, role: 'admin', sessionId: newId() })).token;
    await expectProblem(await request('PATCH', `/users/${a.id}`, stale, { role: 'customer' }), 409, 'LAST_ADMIN');
    await expectProblem(await request('PATCH', `/users/${a.id}`, stale, { disabled: true }), 409, 'LAST_ADMIN');
    await expectProblem(await request('DELETE', `/users/${a.id}`, stale), 409, 'LAST_ADMIN');
    expect(await activeAdmins()).toBe(1);
    // Harmless changes to the last admin still work.
    expect((await request('PATCH', `/users/${a.id}`, stale, { role: 'admin', disabled: false })).status).toBe(200);
  });

  it.each([
    ['demote each other', (x: Admin) => ['PATCH', `/users/${x.id}`, { role: 'customer' }] as const],
    ['disable each other', (x: Admin) => ['PATCH', `/users/${x.id}`, { disabled: true }] as const],
    ['delete each other', (x: Admin) => ['DELETE', `/users/${x.id}`, undefined] as const],
  ])('two admins who %s at once leave one active admin', async (_label, change) => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await person(), await person()];
      await onlyAdmins(a, b);
      const [byA, byB] = await Promise.all([
        request(change(b)[0], change(b)[1], a.token, change(b)[2]),
        request(change(a)[0], change(a)[1], b.token, change(a)[2]),
      ]);
      const [won, lost] = byA.status < 300 ? [byA, byB] : [byB, byA];
      expect(won.status, `round ${round}`).toBeLessThan(300);
      // The loser either met the rule (they overlapped) or arrived with a token the winner had already revoked.
      if (lost.status === 409) await expectProblem(lost, 409, 'LAST_ADMIN');
      else await expectProblem(lost, 401, 'UNAUTHENTICATED');
      expect(await activeAdmins(), `round ${round}`).toBe(1);
    }
  });
});
