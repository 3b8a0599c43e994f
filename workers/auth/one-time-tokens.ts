/**
 * Single-use emailed tokens: email verification and password reset. Stored
 * only as a hash in `one_time_tokens`; consumed atomically; the plaintext is
 * derived when the email is rendered and kept nowhere.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashPassword } from '../../shared/auth/password';
import { passwordEqualsEmail } from '../../shared/auth/password-policy';
import { markRevoked } from '../../shared/auth/revocation';
import { type EmailedTokenPurpose, emailedToken } from '../../shared/auth/emailed-tokens';
import { hashToken } from '../../shared/auth/tokens';
import type { Deps } from '../../shared/context';
import { oneTimeTokens, users, type User } from '../../shared/db/schema';
import { ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { publishAfterResponse, publishEvents, recordEvents } from '../../shared/outbox';
import type { ResetPasswordInput } from './schemas';
import { revokeSessions } from './sessions';

export const VERIFY_EMAIL_TTL_SECONDS = 24 * 60 * 60;
export const RESET_PASSWORD_TTL_SECONDS = 60 * 60;

/**
 * A new single-use token for a user: its row (only the token's hash) and the
 * id an event carries. The token itself is derived from the id when the email
 * is rendered (shared/auth/emailed-tokens.ts), so it is never stored.
 */
export async function newOneTimeToken(secret: string, purpose: EmailedTokenPurpose, userId: string, ttlSeconds: number) {
  const tokenId = newId();
  const token = await emailedToken(secret, purpose, userId, tokenId);
  const row = {
    tokenHash: await hashToken(token),
    userId,
    purpose,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
  return { tokenId, row };
}

/**
 * Voids a user's unused password-reset tokens: a newer reset request, a reset
 * and a password change each make older reset links useless.
 */
export async function voidResetTokens(tx: Pick<Deps['db'], 'delete'>, userId: string): Promise<void> {
  await tx
    .delete(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, 'reset_password'), isNull(oneTimeTokens.usedAt)));
}

/** A live, enabled account by email, or undefined. */
async function findActiveByEmail(deps: Deps, email: string): Promise<User | undefined> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt), eq(users.disabled, false)));
  return user;
}

/**
 * Stores a new single-use token and queues the email that carries it, in one
 * transaction. The event names the token by id only; a new reset token voids
 * the older ones.
 */
async function emailOneTimeToken(
  deps: Deps,
  user: User,
  purpose: EmailedTokenPurpose,
  eventType: 'auth.verify_email' | 'auth.password_reset_requested',
  ttlSeconds: number,
): Promise<void> {
  const issued = await newOneTimeToken(deps.config.JWT_SECRET, purpose, user.id, ttlSeconds);
  const events = await deps.db.transaction(async (tx) => {
    if (purpose === 'reset_password') await voidResetTokens(tx, user.id);
    await tx.insert(oneTimeTokens).values(issued.row);
    return recordEvents(tx, [{ type: eventType, payload: { userId: user.id, tokenId: issued.tokenId } }]);
  });
  // Already after the response (see `afterAnswering`): publish now, within this task.
  await publishEvents(deps.db, deps.env.NOTIFICATIONS, events).catch((err: unknown) =>
    deps.logger.warn('events left for the outbox job', { error: String(err) }),
  );
}

/**
 * Forgot-password and resend-verification answer 202 before they look the
 * email up: everything that depends on whether the account exists (the lookup,
 * the token, the outbox row) runs after the response, so the answer and its
 * timing are the same for every email. The request path does exactly this one
 * thing for every caller.
 */
function afterAnswering(deps: Deps, work: () => Promise<void>): void {
  deps.defer(work);
}

/** Accepts every request alike, so the answer never tells whether the email has an account. */
export function requestPasswordReset(deps: Deps, email: string): void {
  afterAnswering(deps, async () => {
    const user = await findActiveByEmail(deps, email);
    if (user) await emailOneTimeToken(deps, user, 'reset_password', 'auth.password_reset_requested', RESET_PASSWORD_TTL_SECONDS);
  });
}

/** Consumes a single-use token of a purpose, or throws. */
async function consumeToken(
  tx: Pick<Deps['db'], 'update'>,
  purpose: EmailedTokenPurpose,
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
    // A reset link goes to an email, so its account has one; the check keeps the type honest.
    if (!user?.email) throw new ValidationFailed([{ path: 'token', message: 'is invalid, expired or already used' }]);
    if (passwordEqualsEmail(input.newPassword, user.email)) {
      throw new ValidationFailed([{ path: 'newPassword', message: 'must not be the same as the email' }]);
    }
    await voidResetTokens(tx, userId);
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

/** Sends a new verification email when the account exists and is unverified; answers every request alike. */
export function resendVerification(deps: Deps, email: string): void {
  afterAnswering(deps, async () => {
    const user = await findActiveByEmail(deps, email);
    if (user && !user.emailVerifiedAt) {
      await emailOneTimeToken(deps, user, 'verify_email', 'auth.verify_email', VERIFY_EMAIL_TTL_SECONDS);
    }
  });
}
