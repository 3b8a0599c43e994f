import { z } from 'zod';
import { timingSafeEqual } from '../../../shared/auth/password';
import { PaymeError } from './errors';

/**
 * The wire side of Payme's Merchant API (Payme calls us): JSON-RPC 2.0 over
 * HTTPS POST, Basic auth `Paycom:<key>`, always HTTP 200.
 * Methods: https://developer.help.paycom.uz/metody-merchant-api/
 * Data types: https://developer.help.paycom.uz/metody-merchant-api/tipy-dannykh/
 */

/** Payme cancels a created transaction 12 hours after it created it (CreateTransaction's `time`), reason 4. */
export const PAYME_TIMEOUT_MS = 43_200_000;

/** Transaction states (the `State` type). */
export const STATE = { created: 1, performed: 2, cancelled: -1, cancelledAfterPerform: -2 } as const;
export type PaymeState = (typeof STATE)[keyof typeof STATE];

/**
 * Cancel reasons (the `Reason` type): 1 a receiver was not found or is inactive,
 * 2 the processing centre's debit failed, 3 the transaction failed, 4 timeout,
 * 5 refund, 10 unknown error.
 */
export const REASON = { receiverNotFound: 1, debitFailed: 2, transactionFailed: 3, timeout: 4, refund: 5, unknown: 10 } as const;

export const METHODS = [
  'CheckPerformTransaction',
  'CreateTransaction',
  'PerformTransaction',
  'CancelTransaction',
  'CheckTransaction',
  'GetStatement',
] as const;
export type PaymeMethod = (typeof METHODS)[number];

/** Payme's transaction id: a 24-character string (we accept a little more, never less than one character). */
const Id = z.string().min(1).max(64);
/** Milliseconds since the epoch, 13 digits. */
const Timestamp = z.number().int().positive();
/** A positive whole number of tiyin. */
const Amount = z.number().int().positive();
/** The `account` object: the fields the web cashbox is configured with (ours: one field holding the order id). */
const Account = z.record(z.string(), z.union([z.string(), z.number()]));

export const PARAMS = {
  CheckPerformTransaction: z.object({ amount: Amount, account: Account }),
  CreateTransaction: z.object({ id: Id, time: Timestamp, amount: Amount, account: Account }),
  PerformTransaction: z.object({ id: Id }),
  // Payme's reasons are 1…5 and 10; anything else is not a call Payme makes.
  CancelTransaction: z.object({ id: Id, reason: z.number().int().min(1).max(99) }),
  CheckTransaction: z.object({ id: Id }),
  GetStatement: z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }),
} satisfies Record<PaymeMethod, z.ZodType>;

export type PaymeParams = { [M in PaymeMethod]: z.infer<(typeof PARAMS)[M]> };

export type RpcId = string | number | null;

export type PaymeCall = { [M in PaymeMethod]: { id: RpcId; method: M; params: PaymeParams[M] } }[PaymeMethod];

const Envelope = z.object({
  jsonrpc: z.literal('2.0').optional(),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string(),
  params: z.unknown(),
});

/** The request id, as far as it can be read, so even an error answer names the call it answers. */
export function rpcIdOf(body: unknown): RpcId {
  if (body && typeof body === 'object' && 'id' in body) {
    const id = (body as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

/** Parses a raw body into one typed call; throws the documented error (-32700, -32600, -32601). */
export function parseCall(raw: string): PaymeCall {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new PaymeError('parse');
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new PaymeError('invalidRequest');
  const { method } = envelope.data;
  if (!(METHODS as readonly string[]).includes(method)) throw new PaymeError('methodNotFound', method);
  const params = PARAMS[method as PaymeMethod].safeParse(envelope.data.params);
  if (!params.success) throw new PaymeError('invalidRequest', params.error.issues.map((i) => i.path.join('.') || 'params').join(', '));
  return { id: envelope.data.id ?? null, method, params: params.data } as PaymeCall;
}

const encoder = new TextEncoder();

/**
 * Whether the Authorization header is `Basic base64(Paycom:<key>)` with our key,
 * compared in constant time. No key configured means nothing is authorised.
 * https://developer.help.paycom.uz/protokol-merchant-api/avtorizatsiya-zaprosov
 */
export function authorised(header: string | undefined, key: string | undefined): boolean {
  if (!key || !header) return false;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return false;
  }
  // The login Payme sends is "Paycom"; compare the whole pair so a wrong login costs the same time as a wrong key.
  return timingSafeEqual(encoder.encode(decoded), encoder.encode(`Paycom:${key}`));
}

export interface CheckoutUrlInput {
  base: string;
  merchantId: string;
  accountField: string;
  orderId: string;
  /** Tiyin. */
  amount: number;
  returnUrl?: string;
  lang?: 'ru' | 'uz' | 'en';
}

/**
 * The buyer's checkout link, sent by GET: `<checkout base>/base64(m=…;ac.<field>=…;a=…;c=…)`, parameters
 * separated by `;` (so a return URL has its `;` percent-encoded).
 * https://developer.help.paycom.uz/initsializatsiya-platezhey/otpravka-cheka-po-metodu-get/
 */
export function checkoutUrl(input: CheckoutUrlInput): string {
  const parts = [`m=${input.merchantId}`, `ac.${input.accountField}=${input.orderId}`, `a=${input.amount}`];
  if (input.lang) parts.push(`l=${input.lang}`);
  if (input.returnUrl) parts.push(`c=${input.returnUrl.replaceAll(';', '%3B')}`);
  const params = parts.join(';');
  return `${input.base.replace(/\/+$/, '')}/${btoa(String.fromCharCode(...encoder.encode(params)))}`;
}

/** Reads a checkout link's parameters back (the sandbox's checkout page and the tests use it). */
export function parseCheckoutPath(encoded: string): Record<string, string> {
  const bytes = Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0));
  const text = new TextDecoder().decode(bytes);
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at)] = part.slice(at + 1);
  }
  return out;
}
