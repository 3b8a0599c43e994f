// Verifies an UltraMarket webhook. Runs on Node.js 18+, Deno, Bun, Cloudflare Workers and browsers (WebCrypto only).
// rawBody: the request body exactly as received, before any JSON parsing.
// signatureHeader: the UltraMarket-Signature header, e.g. "t=1764324000,v1=5f0c…".
// secret: the endpoint's whsec_… secret, used as-is as the HMAC key.
export async function verifyUltraMarketSignature(
  rawBody: string,
  signatureHeader: string | null | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!signatureHeader) return false;
  let timestamp = NaN;
  const signatures: string[] = [];
  for (const part of signatureHeader.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't') timestamp = Number(value);
    if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  // A stale timestamp means a replayed request: refuse it.
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signedPayload = encoder.encode(`${timestamp}.${rawBody}`);
  for (const hex of signatures) {
    const mac = new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, signedPayload)) return true;
  }
  return false;
}
