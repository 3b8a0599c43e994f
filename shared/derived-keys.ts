/**
 * Keys derived from a deployment secret with HKDF-SHA256, one per purpose, so
 * a key for one job (sealing secrets, signing emailed tokens, signing device
 * tokens) never opens or forges another's. Derived once per isolate: every
 * request of an isolate sees the same secrets, so the cache is isolate-safe.
 */
const encoder = new TextEncoder();

export interface KeyPurpose {
  /** HKDF info: names the purpose and its version. */
  info: string;
  /** HKDF salt; empty when not given. */
  salt?: string;
  algorithm: SubtleCryptoImportKeyAlgorithm;
  usages: string[];
}

const cache = new Map<string, Promise<CryptoKey>>();

export function derivedKey(secret: string, purpose: KeyPurpose): Promise<CryptoKey> {
  const cacheKey = `${purpose.info}\u0000${secret}`;
  let key = cache.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(purpose.salt ?? ''), info: encoder.encode(purpose.info) },
          material,
          purpose.algorithm,
          false,
          purpose.usages,
        ),
      );
    cache.set(cacheKey, key);
  }
  return key;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The bytes of unpadded base64url text, or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  // Length 4n+1 is no base64 at all; atob would throw.
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
