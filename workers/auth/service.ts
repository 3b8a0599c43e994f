import { and, eq, isNull, or, sql } from 'drizzle-orm';
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
  UpdateProfileInput,
} from './schemas';
import { issueDeviceToken, readDeviceToken } from './device-token';
import { loginBudgets, refundLoginAttempt, takeLoginAttempt } from './login-budget';
import { newOneTimeToken, VERIFY_EMAIL_TTL_SECONDS, voidResetTokens } from './one-time-tokens';
import { type ClientInfo, issueTokens, revokeSessions, startSession } from './sessions';

/**
 * Verifying against this (a real hash of a random password) when the email is
 * unknown makes that answer cost the same PBKDF2 time as a wrong password.
 */
const DUMMY_HASH = 'pbkdf2-sha256$100000$eZTlRnXbRIpox+AC4LooYw==$K3yCnp5Nc6DWjlY9fQYjppONbuMi9pE9yHPZBeIQNZs=';

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

export function assertPasswordNotEmail(password: string, email: string | null, field: string): void {
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
    phoneVerified: user.phoneVerifiedAt !== null,
    phoneOnly: user.passwordHash === null,
    createdAt: user.createdAt.toISOString(),
  };
}


export async function registerUser(deps: Deps, input: RegisterInput, client: ClientInfo): Promise<AuthResult> {
  assertPasswordNotEmail(input.password, input.email, 'password');
  const user = { id: newId(), email: input.email, name: input.name, role: 'customer' as const };
  const locale = input.locale ?? null;
  const passwordHash = await hashPassword(input.password);
  const verification = await newOneTimeToken(deps.config.JWT_SECRET, 'verify_email', user.id, VERIFY_EMAIL_TTL_SECONDS);
  try {
    const { result, events } = await deps.db.transaction(async (tx) => {
      await tx.insert(users).values({ ...user, passwordHash, locale });
      await tx.insert(oneTimeTokens).values(verification.row);
      const events = await recordEvents(tx, [
        { type: 'user.registered', payload: { userId: user.id, email: user.email, name: user.name } },
        { type: 'auth.verify_email', payload: { userId: user.id, tokenId: verification.tokenId } },
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
  if (!user?.passwordHash || !valid || user.disabled) throw new Unauthenticated(INVALID_CREDENTIALS);
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
  const rows = await deps.db.execute<{ session_id: string; user_id: string; email: string | null; name: string; role: string }>(sql`
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

export async function loadLiveUser(deps: Deps, userId: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user) throw new NotFound('user', userId);
  return user;
}

export async function getProfile(deps: Deps, auth: Principal): Promise<Profile> {
  return toProfile(await loadLiveUser(deps, auth.userId));
}

/**
 * A verified phone signs in, so it changes only with a code to the new number
 * (POST /users/me/phone): here `phone` may be set only while the account has
 * none verified (or to the same number).
 */
export async function updateProfile(deps: Deps, auth: Principal, input: UpdateProfileInput): Promise<Profile> {
  const [user] = await deps.db
    .update(users)
    .set({ ...input, updatedAt: sql`now()` })
    .where(
      and(
        eq(users.id, auth.userId),
        isNull(users.deletedAt),
        input.phone === undefined ? undefined : or(isNull(users.phoneVerifiedAt), sql`${users.phone} is not distinct from ${input.phone}`),
      ),
    )
    .returning();
  if (user) return toProfile(user);
  await loadLiveUser(deps, auth.userId);
  throw new ValidationFailed([{ path: 'phone', message: 'is verified; change it with POST /users/me/phone and a code to the new number' }]);
}

/** Changes the password and signs out every other session of the user. */
export async function changePassword(deps: Deps, auth: Principal, input: ChangePasswordInput): Promise<void> {
  const user = await loadLiveUser(deps, auth.userId);
  if (user.passwordHash === null || user.email === null) {
    throw new Conflict('This account has no password yet; add an email and password with POST /users/me/email.');
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationFailed([{ path: 'currentPassword', message: 'is incorrect' }]);
  }
  assertPasswordNotEmail(input.newPassword, user.email, 'newPassword');
  const { email } = user;
  const passwordHash = await hashPassword(input.newPassword);
  const { revoked, events } = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, user.id));
    await voidResetTokens(tx, user.id);
    const revoked = await revokeSessions(tx, user.id, 'password changed', { except: auth.sessionId });
    const events = await recordEvents(tx, [
      { type: 'auth.password_changed', payload: { userId: user.id, email, name: user.name } },
    ]);
    return { revoked, events };
  });
  publishAfterResponse(deps, events);
  await markRevoked(deps, { sessionIds: revoked });
}
