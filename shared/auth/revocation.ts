import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../context';
import { sessions, users } from '../db/schema';
import { DependencyUnavailable } from '../errors';
import { redisKey } from '../redis';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessClaims } from './tokens';

/**
 * Access tokens are stateless JWTs, so revoking one before it expires needs a
 * denylist. Marks live in Redis for one access-token lifetime (after which no
 * token issued before the revocation is valid anyway): one MGET per
 * authenticated request, no database round trip.
 */
const MARK_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;

const keys = (deps: Deps, claims: Pick<AccessClaims, 'jti' | 'sub' | 'sid'>) => [
  redisKey(deps.config, 'revoked', 'jti', claims.jti),
  redisKey(deps.config, 'revoked', 'user', claims.sub),
  redisKey(deps.config, 'revoked', 'session', claims.sid),
];

export interface RevocationMarks {
  jtis?: string[];
  userIds?: string[];
  sessionIds?: string[];
}

/** Denylists tokens, users (disabled, deleted) and sessions (logout, password change). */
export async function markRevoked(deps: Deps, marks: RevocationMarks): Promise<void> {
  const entries = [
    ...(marks.jtis ?? []).map((id) => redisKey(deps.config, 'revoked', 'jti', id)),
    ...(marks.userIds ?? []).map((id) => redisKey(deps.config, 'revoked', 'user', id)),
    ...(marks.sessionIds ?? []).map((id) => redisKey(deps.config, 'revoked', 'session', id)),
  ];
  if (!entries.length) return;
  try {
    const pipeline = deps.redis.pipeline();
    for (const key of entries) pipeline.set(key, 1, { ex: MARK_TTL_SECONDS });
    await pipeline.exec();
  } catch (err) {
    // The database already records the revocation; without the mark, live access
    // tokens would keep working for up to 15 minutes, so tell the caller to retry.
    throw new DependencyUnavailable('Token denylist', err);
  }
}

/**
 * True when the token was revoked. Redis answers normally; when it cannot, the
 * database does (user disabled or deleted, session revoked): slower, but a
 * Redis outage neither locks everybody out nor lets revoked sessions in.
 */
export async function isRevoked(deps: Deps, claims: AccessClaims): Promise<boolean> {
  try {
    const found = await deps.redis.mget<Array<unknown>>(...keys(deps, claims));
    return found.some((v) => v !== null);
  } catch {
    deps.logger.warn('denylist unavailable; checking the database');
  }
  const rows = await deps.db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sid),
        eq(sessions.userId, claims.sub),
        isNull(sessions.revokedAt),
        isNull(users.deletedAt),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  return rows.length === 0;
}
