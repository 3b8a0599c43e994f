/**
 * Single-use emailed tokens: email verification and password reset. Stored
 * only as a hash in `one_time_tokens`; consumed atomically.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashPassword } from '../../shared/auth/password';
import { passwordEqualsEmail } from '../../shared/auth/password-policy';
import { markRevoked } from '../../shared/auth/revocation';
import { hashToken, newOpaqueToken } from '../../shared/auth/tokens';
import type { Deps } from '../../shared/context';
import { oneTimeTokens, users, type User } from '../../shared/db/schema';
import { ValidationFailed } from '../../shared/errors';
import { publishAfterResponse, recordEvents } from '../../shared/outbox';
import type { ResetPasswordInput } from './schemas';
import { revokeSessions } from './sessions';

export const VERIFY_EMAIL_TTL_SECONDS = 24 * 60 * 60;
export const RESET_PASSWORD_TTL_SECONDS = 60 * 60;

export async function newOneTimeToken(purpose: 'verify_email' | 'reset_password', userId: string, ttlSeconds: number) {
  const token = newOpaqueToken();
  const row = {
    tokenHash: await hashToken(token),
    userId,
    purpose,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
  return { token, row };
}

/** A live, enabled account by email, or undefined. */
async function findActiveByEmail(deps: Deps, email: string): Promise<User | undefined> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt), eq(users.disabled, false)));
  return user;
}

/** Stores a new single-use token and queues the email that carries it, in one transaction. */
async function emailOneTimeToken(
  deps: Deps,
  user: User,
  purpose: 'verify_email' | 'reset_password',
  eventType: string,
  ttlSeconds: number,
): Promise<void> {
  const issued = await newOneTimeToken(purpose, user.id, ttlSeconds);
  const events = await deps.db.transaction(async (tx) => {
    await tx.insert(oneTimeTokens).values(issued.row);
    return recordEvents(tx, [
      { type: eventType, payload: { userId: user.id, email: user.email, name: user.name, token: issued.token } },
    ]);
  });
  publishAfterResponse(deps, events);
}

/** Always succeeds, so the answer never tells whether the email has an account. */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const user = await findActiveByEmail(deps, email);
  if (user) await emailOneTimeToken(deps, user, 'reset_password', 'auth.password_reset_requested', RESET_PASSWORD_TTL_SECONDS);
}

/** Consumes a single-use token of a purpose, or throws. */
async function consumeToken(
  tx: Pick<Deps['db'], 'update'>,
  purpose: 'verify_email' | 'reset_password',
  token: string,
): Promise<string> {
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, await hashToken(token)),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: oneTimeTokens.userId });
  if (!row) throw new ValidationFailed([{ path: 'token', message: 'is invalid, expired or already used' }]);
  return row.userId;
}

/** Sets a new password from an emailed token and signs out every session. */
export async function resetPassword(deps: Deps, input: ResetPasswordInput): Promise<void> {
  const passwordHash = await hashPassword(input.newPassword);
  const { revoked, events, userId } = await deps.db.transaction(async (tx) => {
    const userId = await consumeToken(tx, 'reset_password', input.token);
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .returning();
    if (!user) throw new ValidationFailed([{ path: 'token', message: 'is invalid, expired or already used' }]);
    if (passwordEqualsEmail(input.newPassword, user.email)) {
      throw new ValidationFailed([{ path: 'newPassword', message: 'must not be the same as the email' }]);
    }
    const revoked = await revokeSessions(tx, userId, 'password reset');
    const events = await recordEvents(tx, [
      { type: 'auth.password_changed', payload: { userId, email: user.email, name: user.name } },
    ]);
    return { revoked, events, userId };
  });
  publishAfterResponse(deps, events);
  await markRevoked(deps, { sessionIds: revoked, jtis: [] });
  deps.logger.info('password reset', { userId });
}

export async function verifyEmail(deps: Deps, token: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const userId = await consumeToken(tx, 'verify_email', token);
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
  });
}

/** Sends a new verification email when the account exists and is unverified; always succeeds. */
export async function resendVerification(deps: Deps, email: string): Promise<void> {
  const user = await findActiveByEmail(deps, email);
  if (user && !user.emailVerifiedAt) {
    await emailOneTimeToken(deps, user, 'verify_email', 'auth.verify_email', VERIFY_EMAIL_TTL_SECONDS);
  }
}
