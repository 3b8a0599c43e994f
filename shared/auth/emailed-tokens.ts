/**
 * The tokens in verification and password-reset emails are never stored, not
 * even for a moment: a token is the HMAC of its id (and its user and purpose)
 * under a key derived from JWT_SECRET. The outbox event, the queue message and
 * every row keep only the id; the notifications consumer derives the token
 * when it renders the email, and `one_time_tokens` keeps only its SHA-256.
 * Neither opens anything without the server's secret, which can forge access
 * tokens anyway. Rotating JWT_SECRET voids the links still outstanding.
 */
import { derivedKey, type KeyPurpose, toBase64Url } from '../derived-keys';

export type EmailedTokenPurpose = 'verify_email' | 'reset_password';

const encoder = new TextEncoder();
const EMAILED_TOKEN_KEY: KeyPurpose = {
  info: 'emailed-tokens/v1',
  salt: 'ultramarket',
  algorithm: { name: 'HMAC', hash: 'SHA-256', length: 256 },
  usages: ['sign'],
};


/** The emailed token of one `one_time_tokens` row: 256 bits, the same every time it is derived. */
export async function emailedToken(secret: string, purpose: EmailedTokenPurpose, userId: string, tokenId: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await derivedKey(secret, EMAILED_TOKEN_KEY), encoder.encode(`${purpose}:${userId}:${tokenId}`));
  return toBase64Url(new Uint8Array(mac));
}
