/**
 * The one place outgoing webhooks are signed. Receivers check it with the
 * snippet in docs/snippets/verify-webhook.ts (shown in docs/webhooks.md):
 * `UltraMarket-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */

export const SIGNATURE_HEADER = 'UltraMarket-Signature';

const encoder = new TextEncoder();

/** `whsec_` + 32 random bytes, hex: the HMAC key, used exactly as this string (UTF-8). */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function sign(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await sign(secret, timestamp, body)}`;
}

/** What the receiver gets as the JSON body: the same bytes on every attempt and every re-send. */
export interface WebhookEvent {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * When the event happened. Event ids are UUIDv7, whose first 48 bits are the
 * creation time in milliseconds, so the time is stable across retries and
 * re-sends without being stored twice.
 */
export function eventCreatedAt(eventId: string, fallback: Date): string {
  const ms = Number.parseInt(eventId.replaceAll('-', '').slice(0, 12), 16);
  return eventId[14] === '7' && Number.isFinite(ms) ? new Date(ms).toISOString() : fallback.toISOString();
}
