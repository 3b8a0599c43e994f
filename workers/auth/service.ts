import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashPassword, needsRehash, verifyPassword } from '../../shared/auth/password';
import { passwordEqualsEmail } from '../../shared/auth/password-policy';
import { markRevoked } from '../../shared/auth/revocation';
import { hashToken, newOpaqueToken, RoleSchema } from '../../shared/auth/tokens';
import type { Deps, Principal } from '../../shared/context';
import { isUniqueViolation } from '../../shared/db/errors';
import { oneTimeTokens, refreshTokens, sessions, users, type User } from '../../shared/db/schema';
import { Conflict, NotFound, Unauthenticated, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { publishAfterResponse, recordEvents } from '../../shared/outbox';
import type {
  AuthResult,
  ChangePasswordInput,
  LoginInput,
  LoginResult,
  Profile,
  RegisterInput,
  ResetPasswordInput,
  UpdateProfileInput,
} from './schemas';
import { issueDeviceToken, readDeviceToken } from './device-token';
import { loginBudgets, refundLoginAttempt, takeLoginAttempt } from './login-budget';
import { type ClientInfo, issueTokens, revokeSessions, startSession } from './sessions';

const VERIFY_EMAIL_TTL_SECONDS = 24 * 60 * 60;
const RESET_PASSWORD_TTL_SECONDS = 60 * 60;

/**
 * Verifying against this (a real hash of a random password) when the email is
 * unknown makes that answer cost the same PBKDF2 time as a wrong password.
 */
const DUMMY_HASH = 'pbkdf2-sha256$100000$eZTlRnXbRIpox+AC4LooYw==$K3yCnp5Nc6DWjlY9fQYjppONbuMi9pE9yHPZBeIQNZs=';

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

function assertPasswordNotEmail(password: string, email: string, field: string): void {
  if (passwordEqualsEmail(password, email)) {
    throw new ValidationFailed([{ path: field, message: 'must not be the same as the email' }]);
  }
}

export function toProfile(user: User): Profile {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    phone: user.phone,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

async function newOneTimeToken(purpose: 'verify_email' | 'reset_password', userId: string, ttlSeconds: number) {
  const token = newOpaqueToken();
  const row = {
    tokenHash: await hashToken(token),
    userId,
    purpose,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
  return { token, row };
}

export async function registerUser(deps: Deps, input: RegisterInput, client: ClientInfo): Promise<AuthResult> {
  assertPasswordNotEmail(input.password, input.email, 'password');
  const user = { id: newId(), email: input.email, name: input.name, role: 'customer' as const };
  const passwordHash = await hashPassword(input.password);
  const verification = await newOneTimeToken('verify_email', user.id, VERIFY_EMAIL_TTL_SECONDS);
  try {
    const { result, events } = await deps.db.transaction(async (tx) => {
      await tx.insert(users).values({ ...user, passwordHash });
      await tx.insert(oneTimeTokens).values(verification.row);
      const events = await recordEvents(tx, [
        { type: 'user.registered', payload: { userId: user.id, email: user.email, name: user.name } },
        {
          type: 'auth.verify_email',
          payload: { userId: user.id, email: user.email, name: user.name, token: verification.token },
        },
      ]);
      const result = await startSession(tx, deps.config.JWT_SECRET, user, client);
      return { result, events };
    });
    publishAfterResponse(deps, events);
    return result;
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('An account with this email already exists.');
    throw err;
  }
}

export async function loginUser(deps: Deps, input: LoginInput, client: ClientInfo): Promise<LoginResult> {
  const { config } = deps;
  const findUser = async () =>
    (await deps.db.select().from(users).where(and(eq(users.email, input.email), isNull(users.deletedAt))))[0];
  const device = await readDeviceToken(config, input.deviceToken);
  // A device token counts only for the account it was issued to, so its row is read first. Without one the
  // budgets do not depend on the row: they are taken first, and a refused attempt costs no query.
  let user = device ? await findUser() : undefined;
  const budgets = await loginBudgets(deps, input.email, client.ip, device && user?.id === device.userId ? device.id : null);
  // Budget first, password second: concurrent guesses never evaluate more than the budget.
  const taken = await takeLoginAttempt(deps, budgets);
  if (!device) user = await findUser();
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid || user.disabled) throw new Unauthenticated(INVALID_CREDENTIALS);
  if (taken) refundLoginAttempt(deps, budgets);
  if (needsRehash(user.passwordHash)) {
    const upgraded = await hashPassword(input.password);
    deps.defer(() => deps.db.update(users).set({ passwordHash: upgraded }).where(eq(users.id, user.id)));
  }
  const [session, deviceToken] = await Promise.all([
    startSession(deps.db, config.JWT_SECRET, user, client),
    issueDeviceToken(config, user.id),
  ]);
  return { ...session, deviceToken };
}

/**
 * Rotates a refresh token. The happy path is one statement: mark the token
 * used (only if unused and its session and user are live), store the
 * successor and extend the session. When that finds nothing, a second query
 * tells why; a token that was already used means it leaked (or was replayed),
 * so the whole family is revoked.
 */
export async function refreshSession(deps: Deps, refreshToken: string): Promise<AuthResult> {
  const presented = await hashToken(refreshToken);
  const successor = newOpaqueToken();
  const rows = await deps.db.execute<{ session_id: string; user_id: string; email: string; name: string; role: string }>(sql`
    with live as (
      update ${refreshTokens} rt set used_at = now()
      from ${sessions} s join ${users} u on u.id = s.user_id
      where rt.token_hash = ${presented} and rt.used_at is null and s.id = rt.session_id
        and s.revoked_at is null and s.expires_at > now() and u.disabled = false and u.deleted_at is null
      returning s.id as session_id, u.id as user_id, u.email, u.name, u.role
    ), fresh as (
      insert into ${refreshTokens} (token_hash, session_id)
      select ${await hashToken(successor)}, session_id from live
    ), extended as (
      update ${sessions} set last_used_at = now(), expires_at = now() + interval '30 days'
      where id in (select session_id from live)
    )
    select * from live`);
  const live = rows.rows[0];
  if (live) {
    const role = RoleSchema.parse(live.role);
    return issueTokens(
      deps.config.JWT_SECRET,
      { id: live.user_id, email: live.email, name: live.name, role, sessionId: live.session_id },
      successor,
    );
  }

  const [known] = await deps.db
    .select({ sessionId: refreshTokens.sessionId, usedAt: refreshTokens.usedAt, userId: sessions.userId })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, presented));
  if (known?.usedAt) {
    const revoked = await revokeSessions(deps.db, known.userId, 'refresh token reuse', { only: known.sessionId });
    deps.logger.warn('refresh token reuse: session revoked', { sessionId: known.sessionId, userId: known.userId });
    await markRevoked(deps, { sessionIds: revoked });
  }
  throw new Unauthenticated('The refresh token is invalid, expired or already used.');
}

export async function logoutUser(deps: Deps, auth: Principal): Promise<void> {
  await revokeSessions(deps.db, auth.userId, 'logout', { only: auth.sessionId });
  await markRevoked(deps, { jtis: [auth.jti], sessionIds: [auth.sessionId] });
}

async function loadLiveUser(deps: Deps, userId: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user) throw new NotFound('user', userId);
  return user;
}

export async function getProfile(deps: Deps, auth: Principal): Promise<Profile> {
  return toProfile(await loadLiveUser(deps, auth.userId));
}

export async function updateProfile(deps: Deps, auth: Principal, input: UpdateProfileInput): Promise<Profile> {
  const [user] = await deps.db
    .update(users)
    .set({ ...input, updatedAt: sql`now()` })
    .where(and(eq(users.id, auth.userId), isNull(users.deletedAt)))
    .returning();
  if (!user) throw new NotFound('user', auth.userId);
  return toProfile(user);
}

/** Changes the password and signs out every other session of the user. */
export async function changePassword(deps: Deps, auth: Principal, input: ChangePasswordInput): Promise<void> {
  const user = await loadLiveUser(deps, auth.userId);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationFailed([{ path: 'currentPassword', message: 'is incorrect' }]);
  }
  assertPasswordNotEmail(input.newPassword, user.email, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  const { revoked, events } = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, user.id));
    const revoked = await revokeSessions(tx, user.id, 'password changed', { except: auth.sessionId });
    const events = await recordEvents(tx, [
      { type: 'auth.password_changed', payload: { userId: user.id, email: user.email, name: user.name } },
    ]);
    return { revoked, events };
  });
  publishAfterResponse(deps, events);
  await markRevoked(deps, { sessionIds: revoked });
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
  eventType: 'auth.verify_email' | 'auth.password_reset_requested',
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
