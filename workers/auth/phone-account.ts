/**
 * A signed-in user's phone and credentials (docs/auth.md, "Phone on an
 * account"): adding or changing the verified phone takes a code to the new
 * number; a phone-only account may add an email and password.
 */
import { and, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { hashPassword } from '../../shared/auth/password';
import { markRevoked } from '../../shared/auth/revocation';
import type { Deps, Principal } from '../../shared/context';
import { isUniqueViolation } from '../../shared/db/errors';
import { oneTimeTokens, users } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { publishAfterResponse, recordEvents } from '../../shared/outbox';
import { newOneTimeToken, VERIFY_EMAIL_TTL_SECONDS } from './one-time-tokens';
import { assertSmsReachable, sendChallenge } from './phone-sign-in';
import { withAcceptedCode } from './phone-codes';
import type { AddEmailPasswordInput, AddPhoneInput, AddPhoneVerifyInput, PhoneChallenge } from './phone-schemas';
import type { Profile } from './schemas';
import { assertPasswordNotEmail, loadLiveUser, toProfile } from './service';
import { revokeSessions } from './sessions';

const LOCALES = ['uz', 'ru', 'en'] as const;
const localeOf = (value: string | null) => LOCALES.find((l) => l === value) ?? 'uz';

/** Sends a code to the number the caller wants on its account; counted on the account's own limit. */
export async function startAddPhone(deps: Deps, auth: Principal, input: AddPhoneInput): Promise<PhoneChallenge> {
  assertSmsReachable(deps, input.phone);
  const user = await loadLiveUser(deps, auth.userId);
  const locale = input.locale ?? localeOf(user.locale);
  return sendChallenge(deps, { phone: input.phone, locale, purpose: 'add_phone' }, { userId: user.id }, user.id);
}

/**
 * The code proves the caller holds the number, which becomes its verified
 * phone. Whoever held it verified before loses it (the number moved: operators
 * recycle numbers); that account keeps its sessions, email and password but
 * can no longer sign in with this number. Replacing a verified phone with
 * another one signs out the caller's other sessions.
 */
export async function verifyAddPhone(deps: Deps, auth: Principal, input: AddPhoneVerifyInput): Promise<Profile> {
  try {
    const { user, revoked, movedFrom } = await withAcceptedCode(deps, input, { purpose: 'add_phone', userId: auth.userId }, async (tx, phone) => {
      const [me] = await tx.select().from(users).where(and(eq(users.id, auth.userId), isNull(users.deletedAt))).for('update');
      if (!me) throw new NotFound('user', auth.userId);
      const moved = await tx
        .update(users)
        .set({ phoneVerifiedAt: null, updatedAt: sql`now()` })
        .where(and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt), isNull(users.deletedAt), ne(users.id, me.id)))
        .returning({ id: users.id });
      const [user] = await tx
        .update(users)
        .set({ phone, phoneVerifiedAt: sql`coalesce(case when ${users.phone} = ${phone} then ${users.phoneVerifiedAt} end, now())`, updatedAt: sql`now()` })
        .where(eq(users.id, me.id))
        .returning();
      const changed = me.phoneVerifiedAt !== null && me.phone !== phone;
      const revoked = changed ? await revokeSessions(tx, me.id, 'phone changed', { except: auth.sessionId }) : [];
      return { user: user ?? me, revoked, movedFrom: moved.map((m) => m.id) };
    });
    if (movedFrom.length) deps.logger.info('verified phone moved to another account', { to: user.id, from: movedFrom });
    await markRevoked(deps, { sessionIds: revoked });
    return toProfile(user);
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('This number was just verified by another account; try again.');
    throw err;
  }
}

/**
 * Gives a phone-only account an email and password (the email to verify, as
 * at registration). An account that has them changes its password instead.
 */
export async function addEmailPassword(deps: Deps, auth: Principal, input: AddEmailPasswordInput): Promise<Profile> {
  assertPasswordNotEmail(input.password, input.email, 'password');
  const current = await loadLiveUser(deps, auth.userId);
  if (current.email !== null || current.passwordHash !== null) {
    throw new Conflict('This account already has an email and password; use PUT /auth/change-password.');
  }
  const passwordHash = await hashPassword(input.password);
  const verification = await newOneTimeToken(deps.config.JWT_SECRET, 'verify_email', auth.userId, VERIFY_EMAIL_TTL_SECONDS);
  try {
    const { user, events } = await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .update(users)
        .set({ email: input.email, passwordHash, updatedAt: sql`now()` })
        .where(and(eq(users.id, auth.userId), isNull(users.email), isNull(users.passwordHash), isNull(users.deletedAt)))
        .returning();
      if (!user) throw new Conflict('This account already has an email and password; use PUT /auth/change-password.');
      await tx.insert(oneTimeTokens).values(verification.row);
      const events = await recordEvents(tx, [{ type: 'auth.verify_email', payload: { userId: user.id, tokenId: verification.tokenId } }]);
      return { user, events };
    });
    publishAfterResponse(deps, events);
    return toProfile(user);
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('An account with this email already exists.');
    throw err;
  }
}
