/**
 * SMS codes (docs/auth.md, "Phone sign-in"): 6 digits, kept only as an HMAC
 * under a key derived from JWT_SECRET, valid 5 minutes, single use, at most 5
 * tries. Each code is its own challenge: the client that asked for it gets
 * its id and presents it with the code, so an attacker's wrong guesses spend
 * only the attacker's own challenges, never the code the owner is typing.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { phoneChallenges, type PhoneChallenge } from '../../shared/db/schema';
import { derivedKey, type KeyPurpose, toBase64Url } from '../../shared/derived-keys';
import { ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';

export const PHONE_CODE_TTL_SECONDS = 5 * 60;
export const PHONE_CODE_MAX_TRIES = 5;

export type PhoneCodePurpose = PhoneChallenge['purpose'];

const encoder = new TextEncoder();
const PHONE_CODE_KEY: KeyPurpose = {
  info: 'ultramarket phone codes v1',
  algorithm: { name: 'HMAC', hash: 'SHA-256', length: 256 },
  usages: ['sign'],
};

/** Six uniformly random digits (rejection sampling: no modulo bias). */
export function newPhoneCode(): string {
  const limit = 4_294_000_000; // the largest multiple of 10^6 below 2^32
  for (;;) {
    const [n = limit] = crypto.getRandomValues(new Uint32Array(1));
    if (n < limit) return String(n % 1_000_000).padStart(6, '0');
  }
}

/** The stored form of a code: HMAC over the challenge, phone and code, so a row opens nothing elsewhere. */
export async function hashPhoneCode(secret: string, challengeId: string, phone: string, code: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await derivedKey(secret, PHONE_CODE_KEY), encoder.encode(`${challengeId}:${phone}:${code}`));
  return toBase64Url(new Uint8Array(mac));
}

export interface IssuedChallenge {
  id: string;
  code: string;
  expiresInSeconds: number;
}

/** Stores a new challenge for `phone` and returns its id and plain code (to be sent, then forgotten). */
export async function issueChallenge(
  deps: Deps,
  phone: string,
  purpose: PhoneCodePurpose,
  userId: string | null,
): Promise<IssuedChallenge> {
  const id = newId();
  const code = newPhoneCode();
  await deps.db.insert(phoneChallenges).values({
    id,
    phone,
    purpose,
    userId,
    codeHash: await hashPhoneCode(deps.config.JWT_SECRET, id, phone, code),
    expiresAt: new Date(Date.now() + PHONE_CODE_TTL_SECONDS * 1000),
  });
  return { id, code, expiresInSeconds: PHONE_CODE_TTL_SECONDS };
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const NOT_ACCEPTED = 'is wrong, expired, already used or out of tries; ask for a new code';

/**
 * One try at a challenge, in one statement: counts the try and, when the code
 * matches, marks the challenge used, so two concurrent right answers sign in
 * once and concurrent wrong ones never exceed the tries. Answers the phone
 * when the code was right, the tries left when it was wrong, and null when the
 * challenge is unknown, another's, expired, used or out of tries.
 */
async function consumeChallenge(
  tx: Tx,
  secret: string,
  challengeId: string,
  code: string,
  purpose: PhoneCodePurpose,
  userId: string | null,
): Promise<{ phone: string } | { wrong: true; triesLeft: number } | null> {
  const [row] = await tx
    .select({ phone: phoneChallenges.phone })
    .from(phoneChallenges)
    .where(eq(phoneChallenges.id, challengeId));
  if (!row) return null;
  const hash = await hashPhoneCode(secret, challengeId, row.phone, code);
  const [tried] = await tx
    .update(phoneChallenges)
    .set({
      attempts: sql`${phoneChallenges.attempts} + 1`,
      usedAt: sql`case when ${phoneChallenges.codeHash} = ${hash} then now() end`,
    })
    .where(
      and(
        eq(phoneChallenges.id, challengeId),
        eq(phoneChallenges.purpose, purpose),
        userId ? eq(phoneChallenges.userId, userId) : isNull(phoneChallenges.userId),
        isNull(phoneChallenges.usedAt),
        sql`${phoneChallenges.expiresAt} > now()`,
        sql`${phoneChallenges.attempts} < ${PHONE_CODE_MAX_TRIES}`,
      ),
    )
    .returning({ usedAt: phoneChallenges.usedAt, attempts: phoneChallenges.attempts });
  if (!tried) return null;
  if (!tried.usedAt) return { wrong: true, triesLeft: PHONE_CODE_MAX_TRIES - tried.attempts };
  return { phone: row.phone };
}

/**
 * Tries a code and, when it is right, runs `act` in the same transaction.
 * A wrong code still counts: its try commits before the 400.
 */
export async function withAcceptedCode<T>(
  deps: Deps,
  input: { challengeId: string; code: string },
  scope: { purpose: PhoneCodePurpose; userId: string | null },
  act: (tx: Tx, phone: string) => Promise<T>,
): Promise<T> {
  const outcome = await deps.db.transaction(async (tx) => {
    const tried = await consumeChallenge(tx, deps.config.JWT_SECRET, input.challengeId, input.code, scope.purpose, scope.userId);
    if (!tried || 'wrong' in tried) return { refused: tried };
    // The number is proved: its other open challenges of this purpose are void.
    await tx
      .update(phoneChallenges)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(phoneChallenges.phone, tried.phone),
          eq(phoneChallenges.purpose, scope.purpose),
          isNull(phoneChallenges.usedAt),
          ne(phoneChallenges.id, input.challengeId),
        ),
      );
    return { done: await act(tx, tried.phone) };
  });
  if ('done' in outcome) return outcome.done as T;
  const refused = outcome.refused;
  throw new ValidationFailed(
    [{ path: 'code', message: refused ? `is wrong; ${refused.triesLeft} ${refused.triesLeft === 1 ? 'try' : 'tries'} left` : NOT_ACCEPTED }],
    'The code was not accepted.',
  );
}
