import jwt from '@tsndr/cloudflare-worker-jwt';
import { z } from 'zod';
import { newId } from '../ids';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A session (refresh-token family) lives 30 days from its last use. */
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
export const JWT_ISSUER = 'ultramarket';
export const JWT_AUDIENCE = 'ultramarket-api';

export const RoleSchema = z.enum(['customer', 'seller', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

const AccessClaims = z.object({
  sub: z.uuid(),
  role: RoleSchema,
  jti: z.uuid(),
  sid: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
  iss: z.literal(JWT_ISSUER),
  aud: z.literal(JWT_AUDIENCE),
});
export type AccessClaims = z.infer<typeof AccessClaims>;

export async function signAccessToken(
  secret: string,
  subject: { userId: string; role: Role; sessionId: string },
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; claims: AccessClaims }> {
  const claims: AccessClaims = {
    sub: subject.userId,
    role: subject.role,
    jti: newId(),
    sid: subject.sessionId,
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
  };
  return { token: await jwt.sign(claims, secret, { algorithm: 'HS256' }), claims };
}

/**
 * Verifies signature (HS256 only: `alg: none` and any other algorithm are
 * refused), expiry, issuer and audience, and the claim shapes. Returns null for
 * any invalid token; callers answer 401 without saying why.
 */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessClaims | null> {
  try {
    const verified = await jwt.verify(token, secret, { algorithm: 'HS256', throwError: false });
    if (!verified) return null;
    const claims = AccessClaims.safeParse(verified.payload);
    if (!claims.success) return null;
    // The library skips the expiry check when `exp` is absent; the schema requires it, so check it here.
    if (claims.data.exp <= Math.floor(Date.now() / 1000)) return null;
    return claims.data;
  } catch {
    return null;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** An opaque 256-bit random token (refresh, verification, reset). */
export function newOpaqueToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Tokens are stored only as SHA-256 hex: a database leak yields nothing usable. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
