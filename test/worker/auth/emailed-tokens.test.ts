import { and, desc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Deps } from '../../../shared/context';
import { devEmails, oneTimeTokens, outboxEvents } from '../../../shared/db/schema';
import { loadConfig } from '../../../shared/env';
import { createLogger } from '../../../shared/logger';
// The app first: it registers the OpenAPI extension of zod that the domain schemas use.
import { expectProblem, testEnv } from '../../support/app';
import { requestPasswordReset, resendVerification } from '../../../workers/auth/one-time-tokens';
import type { QueueEvent } from '../../../workers/queue';
import { api, createUser, uniqueEmail, withDb } from '../../support/users';
import { deliver } from '../notifications/helpers';

/** Waits for the next `type` event of the user (recorded after the answer), newest first, other than `besides`. */
async function nextEvent(type: string, userId: string, besides?: string): Promise<QueueEvent> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [row] = await withDb((db) =>
      db
        .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload })
        .from(outboxEvents)
        .where(sql`${outboxEvents.type} = ${type} and ${outboxEvents.payload}->>'userId' = ${userId}`)
        .orderBy(desc(outboxEvents.createdAt))
        .limit(1),
    );
    if (row && row.id !== besides) return row;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${type} event for ${userId}`);
}

/** Delivers the event through the notifications consumer and reads the token from the email that went out. */
async function tokenFromEmail(event: QueueEvent, to: string): Promise<string> {
  await deliver(event);
  const emails = await withDb((db) => db.select().from(devEmails).where(eq(devEmails.toAddress, to)).orderBy(desc(devEmails.createdAt)));
  const path = event.type === 'auth.verify_email' ? '/verify-email' : '/reset-password';
  const link = emails.map((e) => new RegExp(`${path}\\?token=([A-Za-z0-9_%-]+)`).exec(e.text)?.[1]).find(Boolean);
  if (!link) throw new Error(`no token link in the emails to ${to}`);
  return decodeURIComponent(link);
}

/** Every row of every table, except the local email outbox (development tooling), that contains `needle`. */
async function rowsContaining(needle: string): Promise<string[]> {
  return withDb(async (db) => {
    const tables = await db.execute<{ name: string }>(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    for (const { name } of tables.rows) {
      if (name === 'dev_emails') continue;
      const hits = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(name)} t where t::text like ${`%${needle}%`}`,
      );
      if (Number(hits.rows[0]?.n) > 0) found.push(name);
    }
    return found;
  });
}

const reset = (token: string, newPassword = `new-${crypto.randomUUID()}`) =>
  api('POST', '/auth/reset-password', { body: { token, newPassword } });

describe('reset and verification tokens at rest', () => {
  it('keeps the emailed reset token nowhere in the database, and the emailed link works once', async () => {
    const user = await createUser('customer', 'no-plaintext');
    expect((await api('POST', '/auth/forgot-password', { body: { email: user.email } })).status).toBe(202);
    const event = await nextEvent('auth.password_reset_requested', user.id);
    const token = await tokenFromEmail(event, user.email);
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(await rowsContaining(token)).toEqual([]);

    expect((await reset(token)).status).toBe(204);
    await expectProblem(await reset(token), 400, 'VALIDATION_FAILED');
  });

  it('keeps the verification token of a new account nowhere in the database', async () => {
    const user = await createUser('customer', 'no-plaintext-verify');
    const token = await tokenFromEmail(await nextEvent('auth.verify_email', user.id), user.email);
    expect(await rowsContaining(token)).toEqual([]);
    expect((await api('POST', '/auth/verify-email', { body: { token } })).status).toBe(204);
  });

  it('a newer reset request voids the older link', async () => {
    const user = await createUser('customer', 'reset-twice');
    await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    const first = await nextEvent('auth.password_reset_requested', user.id);
    const older = await tokenFromEmail(first, user.email);
    await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    const newer = await tokenFromEmail(await nextEvent('auth.password_reset_requested', user.id, first.id), user.email);
    expect(newer).not.toBe(older);
    await expectProblem(await reset(older), 400, 'VALIDATION_FAILED');
    expect((await reset(newer)).status).toBe(204);
  });

  it('a password change voids the reset links sent before it', async () => {
    const user = await createUser('customer', 'reset-then-change');
    await api('POST', '/auth/forgot-password', { body: { email: user.email } });
    const token = await tokenFromEmail(await nextEvent('auth.password_reset_requested', user.id), user.email);
    const changed = await api('PUT', '/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: `changed-${crypto.randomUUID()}` },
    });
    expect(changed.status).toBe(204);
    await expectProblem(await reset(token), 400, 'VALIDATION_FAILED');
  });
});

/**
 * Deps that record deferred work instead of running it, and whether the
 * database was touched: what the request path does before it answers.
 */
class ProbeDeps extends Deps {
  tasks: Array<() => Promise<unknown>> = [];
  touchedDb = false;
  override get db() {
    this.touchedDb = true;
    return super.db;
  }
  override defer(task: () => Promise<unknown>): void {
    this.tasks.push(task);
  }
}

const probe = () => {
  const config = loadConfig(testEnv);
  return new ProbeDeps(config, testEnv, createLogger(config.LOG_LEVEL));
};

describe('forgot-password and resend-verification answer before any account-dependent work', () => {
  it('answer every email the same: status, headers and body', async () => {
    const user = await createUser('customer', 'same-answer');
    for (const path of ['/auth/forgot-password', '/auth/resend-verification']) {
      const [real, ghost] = [
        await api('POST', path, { body: { email: user.email } }),
        await api('POST', path, { body: { email: uniqueEmail('ghost') } }),
      ];
      expect(real.status).toBe(202);
      expect(ghost.status).toBe(real.status);
      expect(await ghost.text()).toBe(await real.text());
      // Per request, not per account: the request id, the date and the rate-limit countdown.
      const varies = (name: string) => ['x-request-id', 'date'].includes(name) || /ratelimit/.test(name);
      const headers = (res: Response) => [...res.headers].filter(([name]) => !varies(name));
      expect(headers(ghost)).toEqual(headers(real));
    }
  });

  it.each([
    ['requestPasswordReset', requestPasswordReset, 'reset_password'],
    ['resendVerification', resendVerification, 'verify_email'],
  ] as const)('%s does nothing but schedule one task, for a real account and an unknown email alike', async (_name, verb, purpose) => {
    const user = await createUser('customer', 'deferred');
    const before = await withDb((db) => db.select().from(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, purpose))));
    for (const email of [user.email, uniqueEmail('ghost')]) {
      const deps = probe();
      const answered = verb(deps, email);
      expect(answered).toBeUndefined(); // nothing to await: the answer does not wait for the account
      expect(deps.touchedDb).toBe(false);
      expect(deps.tasks).toHaveLength(1);
      // The scheduled work is what issues the token, after the answer.
      for (const task of deps.tasks) await task();
      await deps.dispose();
    }
    const after = await withDb((db) => db.select().from(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, purpose))));
    expect(after.length).toBeGreaterThan(purpose === 'reset_password' ? 0 : before.length);
  });
});
