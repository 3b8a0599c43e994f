/**
 * The tokens in verification and password-reset emails are never stored, not
 * even for a moment: a token is the HMAC of its id (and its user and purpose)
 * under a key derived from JWT_SECRET. The outbox event, the queue message and
 * every row keep only the id; the notifications consumer derives the token
 * when it renders the email, and `one_time_tokens` keeps only its SHA-256.
 * Neither opens anything without the server's secret, which can forge access
 * tokens anyway. Rotating JWT_SECRET voids the links still outstanding.
 */
export type EmailedTokenPurpose = 'verify_email' | 'reset_password';

const encoder = new TextEncoder();
/** One derived key per secret; every request of an isolate has the same secret, so this is isolate-safe. */
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('ultramarket'), info: encoder.encode('emailed-tokens/v1') },
          material,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign'],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The emailed token of one `one_time_tokens` row: 256 bits, the same every time it is derived. */
export async function emailedToken(secret: string, purpose: EmailedTokenPurpose, userId: string, tokenId: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await keyFor(secret), encoder.encode(`${purpose}:${userId}:${tokenId}`));
  return toBase64Url(new Uint8Array(mac));
}
