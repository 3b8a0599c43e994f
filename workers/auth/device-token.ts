import { derivedKey, fromBase64Url, type KeyPurpose, toBase64Url } from '../../shared/derived-keys';
import type { Config } from '../../shared/env';

/**
 * Login device tokens (OWASP's "device cookie", for an API): a successful login
 * returns one; a client that sends it back with a later login attempt for the
 * same account is counted under that token's own failure budget, so other
 * people's failures cannot lock it out.
 *
 * Form: `<payload>.<signature>`, both base64url; the payload is JSON
 * `{sub, jti, exp}` (user id, random id that names the token's budget, expiry
 * in seconds). HMAC-SHA256 with a key derived by HKDF from JWT_SECRET, with its
 * own label, so a device token is never a valid JWT signature and vice versa.
 */

interface DeviceClaims {
  sub: string;
  jti: string;
  exp: number;
}

const encoder = new TextEncoder();

const DEVICE_TOKEN_KEY: KeyPurpose = {
  info: 'ultramarket login device token v1',
  algorithm: { name: 'HMAC', hash: 'SHA-256', length: 256 },
  usages: ['sign', 'verify'],
};
const signingKey = (secret: string) => derivedKey(secret, DEVICE_TOKEN_KEY);

export async function issueDeviceToken(config: Config, userId: string): Promise<string> {
  const claims: DeviceClaims = {
    sub: userId,
    jti: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    exp: Math.floor(Date.now() / 1000) + config.LOGIN_DEVICE_TOKEN_DAYS * 86_400,
  };
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign('HMAC', await signingKey(config.JWT_SECRET), encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

export interface DeviceToken {
  /** The user it was issued to. */
  userId: string;
  /** Names the token's own failure budget. */
  id: string;
}

/**
 * The token's claims when it is authentic and unexpired, otherwise null (the
 * attempt is then counted like any other client's). The caller checks that it
 * was issued to the account being signed in to.
 */
export async function readDeviceToken(config: Config, token: string | undefined): Promise<DeviceToken | null> {
  if (!token) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const signatureBytes = fromBase64Url(signature);
  if (!signatureBytes) return null;
  // Constant-time comparison is WebCrypto's verify.
  const key = await signingKey(config.JWT_SECRET);
  if (!(await crypto.subtle.verify('HMAC', key, signatureBytes, encoder.encode(payload)))) return null;
  const payloadBytes = fromBase64Url(payload);
  if (!payloadBytes) return null;
  let claims: Partial<DeviceClaims>;
  try {
    claims = JSON.parse(new TextDecoder().decode(payloadBytes)) as Partial<DeviceClaims>;
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 <= Date.now()) return null;
  return { userId: claims.sub, id: claims.jti };
}
