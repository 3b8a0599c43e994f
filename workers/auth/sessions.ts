import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import type { Database } from '../../shared/db/client';
import { refreshTokens, sessions, type User } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  hashToken,
  newOpaqueToken,
  type Role,
  SESSION_TTL_SECONDS,
  signAccessToken,
} from '../../shared/auth/tokens';
import type { AuthResult } from './schemas';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

type Executor = Pick<Database, 'execute'>;

/** The fields every auth answer carries about the user. */
export function userSummary(user: Pick<User, 'id' | 'email' | 'name' | 'role'>): AuthResult['user'] {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Starts a session (a new refresh-token family) and issues its first tokens.
 * One statement, so one round trip and atomic without a transaction.
 */
export async function startSession(
  db: Executor,
  secret: string,
  user: Pick<User, 'id' | 'email' | 'name' | 'role'>,
  client: ClientInfo,
): Promise<AuthResult> {
  const sessionId = newId();
  const refreshToken = newOpaqueToken();
  await db.execute(sql`
    with s as (
      insert into ${sessions} (id, user_id, user_agent, ip, expires_at)
      values (${sessionId}, ${user.id}, ${client.userAgent?.slice(0, 300) ?? null}, ${client.ip ?? null},
              now() + make_interval(secs => ${SESSION_TTL_SECONDS}))
      returning id
    )
    insert into ${refreshTokens} (token_hash, session_id) select ${await hashToken(refreshToken)}, id from s`);
  return issueTokens(secret, { ...user, sessionId }, refreshToken);
}

export async function issueTokens(
  secret: string,
  subject: Pick<User, 'id' | 'email' | 'name'> & { role: Role; sessionId: string },
  refreshToken: string,
): Promise<AuthResult> {
  const { token } = await signAccessToken(secret, { userId: subject.id, role: subject.role, sessionId: subject.sessionId });
  return { user: userSummary(subject), accessToken: token, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Revokes sessions of a user (all, or all but one) and returns their ids for the denylist. */
export async function revokeSessions(
  db: Pick<Database, 'update'>,
  userId: string,
  reason: string,
  options: { except?: string; only?: string } = {},
): Promise<string[]> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        options.except ? ne(sessions.id, options.except) : undefined,
        options.only ? eq(sessions.id, options.only) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

/** Exposed for the cron job and tests: the database's view of a session. */
export async function findSession(deps: Deps, id: string) {
  const [row] = await deps.db.select().from(sessions).where(eq(sessions.id, id));
  return row;
}
