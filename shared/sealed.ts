import { derivedKey, type KeyPurpose } from './derived-keys';
import { Misconfigured } from './errors';

/**
 * Secrets we must read back (a webhook endpoint's signing secret: we sign
 * with it) are stored sealed: AES-256-GCM under a key derived with HKDF from
 * the `WEBHOOK_SECRET_KEY` setting, bound to the row they belong to (the
 * associated data), so a database dump alone does not reveal them and a
 * sealed value copied onto another row does not open. Without the setting
 * values are stored as given, and values stored before it was set keep
 * working: only the `sealed:v1:` prefix marks a sealed one.
 */
const PREFIX = 'sealed:v1:';
const SETTING = 'WEBHOOK_SECRET_KEY';
const encoder = new TextEncoder();
const SEALING_KEY: KeyPurpose = {
  info: 'sealed-secrets/v1',
  salt: 'ultramarket',
  algorithm: { name: 'AES-GCM', length: 256 },
  usages: ['encrypt', 'decrypt'],
};

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** Seals `plaintext` for the row `boundTo`; without a key, returns it as is. */
export async function seal(key: string | undefined, plaintext: string, boundTo: string): Promise<string> {
  if (!key) return plaintext;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(boundTo) },
    await derivedKey(key, SEALING_KEY),
    encoder.encode(plaintext),
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return `${PREFIX}${toBase64(out)}`;
}

/**
 * Opens what `seal` stored for the row `boundTo` (a value stored unsealed is
 * returned as is). A sealed value without the key, or one that does not open
 * under it (another key, another row, tampered), is a configuration fault.
 */
export async function unseal(key: string | undefined, stored: string, boundTo: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  if (!key) throw new Misconfigured([SETTING]);
  const bytes = fromBase64(stored.slice(PREFIX.length));
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: encoder.encode(boundTo) },
      await derivedKey(key, SEALING_KEY),
      bytes.subarray(12),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new Misconfigured([SETTING]);
  }
}
