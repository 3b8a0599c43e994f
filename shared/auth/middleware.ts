import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Principal } from '../context';
import { Forbidden, Unauthenticated } from '../errors';
import { isRevoked } from './revocation';
import { type Role, verifyAccessToken } from './tokens';

/**
 * Requires a valid, unrevoked access token; with roles, also one of them
 * (403 otherwise). Sets `c.get('auth')`. Services check ownership themselves.
 */
export const requireAuth = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match?.[1]) throw new Unauthenticated();
    const deps = c.get('deps');
    const claims = await verifyAccessToken(deps.config.JWT_SECRET, match[1]);
    if (!claims) throw new Unauthenticated('The access token is invalid or has expired.');
    if (await isRevoked(deps, claims)) throw new Unauthenticated('The access token has been revoked.');
    c.set('auth', { userId: claims.sub, role: claims.role, jti: claims.jti, sessionId: claims.sid, exp: claims.exp });
    if (roles.length && !roles.includes(claims.role)) throw new Forbidden();
    await next();
  });

/**
 * For public routes that show more to some callers (an owner sees its drafts):
 * without an Authorization header the caller is anonymous; with one, it must
 * be valid (a bad token is a 401, not silently anonymous).
 */
export const optionalAuth = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header('authorization') === undefined) return next();
    return requireAuth()(c, next);
  });

/**
 * The caller a valid, unrevoked bearer token names, or undefined — never a
 * 401. For routes that treat signed-in callers differently without requiring
 * a token (a looser rate limit, more detail in an answer): a bad token is
 * simply anonymous.
 */
export async function verifiedCaller(c: Context<AppEnv>): Promise<Principal | undefined> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(c.req.header('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const deps = c.get('deps');
  const claims = await verifyAccessToken(deps.config.JWT_SECRET, match[1]);
  if (!claims || (await isRevoked(deps, claims))) return undefined;
  return { userId: claims.sub, role: claims.role, jti: claims.jti, sessionId: claims.sid, exp: claims.exp };
}

/** The caller of a route behind `requireAuth` (a programming error if it did not run). */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get('auth');
  if (!principal) throw new Error('requireAuth() must run before this handler');
  return principal;
}
