/**
 * Sign-in with a phone number (docs/auth.md, "Phone sign-in"): a code by SMS,
 * then the code for the tokens a password login gives, creating a customer on
 * a number's first use. Asking for a code does the same work for every
 * number, so the answer never tells whether the number has an account.
 */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { isUniqueViolation } from '../../shared/db/errors';
import { users } from '../../shared/db/schema';
import { Conflict, Unauthenticated, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { isSmsReachable } from '../../shared/schemas/phone';
import { issueDeviceToken, readDeviceToken } from './device-token';
import { type CodeRequester, refundCodeBudget, requesterFromIp, takeCodeBudget } from './phone-budget';
import { issueChallenge, withAcceptedCode } from './phone-codes';
import type { PhoneChallenge, PhoneSignInResult, PhoneStartInput, PhoneVerifyInput } from './phone-schemas';
import { sendPhoneCode, type PhoneCodeMessage } from './phone-sms';
import { type ClientInfo, startSession } from './sessions';

/** The live account whose verified phone this is. */
export const holdsVerifiedPhone = (phone: string) =>
  and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt), isNull(users.deletedAt));

export function assertSmsReachable(deps: Deps, phone: string): void {
  if (!isSmsReachable(phone, deps.config.PHONE_COUNTRY_CODES)) {
    throw new ValidationFailed([
      { path: 'phone', message: `must be a mobile number in a country this service sends codes to (+${deps.config.PHONE_COUNTRY_CODES.join(', +')})` },
    ]);
  }
}

/** Limits, then a stored challenge, then the SMS: the same steps whoever asks. */
export async function sendChallenge(
  deps: Deps,
  message: Omit<PhoneCodeMessage, 'code'>,
  who: CodeRequester,
  userId: string | null,
): Promise<PhoneChallenge> {
  const taken = await takeCodeBudget(deps, message.phone, who);
  const challenge = await issueChallenge(deps, message.phone, message.purpose, userId);
  try {
    await sendPhoneCode(deps, { ...message, code: challenge.code, userId: userId ?? undefined });
  } catch (err) {
    // No SMS went out: the code is not counted, and its challenge (unknown to anyone) simply expires.
    await refundCodeBudget(deps, taken);
    throw err;
  }
  return {
    challengeId: challenge.id,
    expiresInSeconds: challenge.expiresInSeconds,
    resendAfterSeconds: deps.config.PHONE_CODE_RESEND_SECONDS,
  };
}

/**
 * A device token counts only for the account holding the number, so with one
 * the holder is looked up first (a device token can only be one's own, so this
 * tells a caller nothing it did not know).
 */
async function requesterOf(deps: Deps, input: PhoneStartInput, client: ClientInfo): Promise<CodeRequester> {
  const device = await readDeviceToken(deps.config, input.deviceToken);
  if (device) {
    const [holder] = await deps.db.select({ id: users.id }).from(users).where(holdsVerifiedPhone(input.phone));
    if (holder?.id === device.userId) return { deviceId: device.id };
  }
  return requesterFromIp(client.ip);
}

export async function startPhoneSignIn(deps: Deps, input: PhoneStartInput, client: ClientInfo): Promise<PhoneChallenge> {
  assertSmsReachable(deps, input.phone);
  const who = await requesterOf(deps, input, client);
  return sendChallenge(deps, { phone: input.phone, locale: input.locale ?? 'uz', purpose: 'sign_in' }, who, null);
}

/** The code for tokens: into the account holding the number, or a new customer with it. */
export async function verifyPhoneSignIn(deps: Deps, input: PhoneVerifyInput, client: ClientInfo): Promise<PhoneSignInResult> {
  const { config } = deps;
  try {
    const { session, userId, newAccount } = await withAcceptedCode(
      deps,
      input,
      { purpose: 'sign_in', userId: null },
      async (tx, phone) => {
        const [holder] = await tx.select().from(users).where(holdsVerifiedPhone(phone));
        if (holder?.disabled) throw new Unauthenticated('This account is disabled.');
        const user = holder ?? { id: newId(), email: null, name: input.name ?? '', role: 'customer' as const };
        if (!holder) await tx.insert(users).values({ ...user, phone, phoneVerifiedAt: sql`now()` });
        const session = await startSession(tx, config.JWT_SECRET, user, client);
        return { session, userId: user.id, newAccount: !holder };
      },
    );
    return { ...session, deviceToken: await issueDeviceToken(config, userId), newAccount };
  } catch (err) {
    // Another account verified this number in the same instant (adding it): try the code again.
    if (isUniqueViolation(err)) throw new Conflict('This number was just verified by another account; try again.');
    throw err;
  }
}
