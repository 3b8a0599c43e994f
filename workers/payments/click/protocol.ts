/**
 * Click SHOP-API wire protocol, as Click documents it. Pure functions only:
 * no database, no configuration reads.
 *
 * Sources (the rules below cite them):
 * - Prepare / Complete requests and the sign_string formulas:
 *   https://docs.click.uz/en/click-api-request/
 * - Response fields and the error codes we answer with:
 *   https://docs.click.uz/en/click-api-error/
 * - The buyer's payment page URL ("payment button"):
 *   https://docs.click.uz/click-button
 * - The merchant API (Auth header, payment reversal):
 *   https://docs.click.uz/en/merchant-api-request/
 */
import { timingSafeEqual } from '../../../shared/auth/password';

/** The two stages of a Click payment: `action` 0 (Prepare) and 1 (Complete). */
export const CLICK_ACTION = { prepare: 0, complete: 1 } as const;

/**
 * The codes a supplier answers with, and their notes, exactly as listed under
 * "Errors return by suppliers system" (https://docs.click.uz/en/click-api-error/).
 */
export const CLICK_ERRORS = {
  success: { error: 0, note: 'Success' },
  signCheckFailed: { error: -1, note: 'SIGN CHECK FAILED!' },
  incorrectAmount: { error: -2, note: 'Incorrect parameter amount' },
  actionNotFound: { error: -3, note: 'Action not found' },
  alreadyPaid: { error: -4, note: 'Already paid' },
  userDoesNotExist: { error: -5, note: 'User does not exist' },
  transactionDoesNotExist: { error: -6, note: 'Transaction does not exist' },
  failedToUpdateUser: { error: -7, note: 'Failed to update user' },
  badRequest: { error: -8, note: 'Error in request from click' },
  transactionCancelled: { error: -9, note: 'Transaction cancelled' },
} as const;

export type ClickErrorName = keyof typeof CLICK_ERRORS;
export type ClickErrorCode = (typeof CLICK_ERRORS)[ClickErrorName]['error'];

/** Request fields Click posts on both stages (form-encoded, every value a string on the wire). */
export interface ClickRequest {
  click_trans_id: string;
  service_id: string;
  click_paydoc_id: string;
  merchant_trans_id: string;
  /** Complete only: the id we answered at Prepare. */
  merchant_prepare_id?: string;
  amount: string;
  action: string;
  error: string;
  error_note: string;
  sign_time: string;
  sign_string: string;
}

/** Our answer (always HTTP 200, JSON). The id field is `merchant_prepare_id` on Prepare, `merchant_confirm_id` on Complete. */
export interface ClickResponse {
  click_trans_id?: number | string;
  merchant_trans_id?: string;
  merchant_prepare_id?: number | null;
  merchant_confirm_id?: number | null;
  error: ClickErrorCode;
  error_note: string;
}

const REQUIRED_FIELDS = ['click_trans_id', 'service_id', 'click_paydoc_id', 'merchant_trans_id', 'amount', 'action', 'error', 'sign_time', 'sign_string'] as const;

/**
 * Reads the posted form into a ClickRequest, or undefined when a field Click
 * always sends is missing, empty where it cannot be, or not of its documented
 * type: that is error -8, "not all transmitted parameters" (click-api-error).
 * `error_note` may be empty. Click's ids are bigints: they stay decimal strings.
 */
export function readClickRequest(form: Record<string, unknown>, stage: 'prepare' | 'complete'): ClickRequest | undefined {
  const value = (name: string): string | undefined => {
    const v = form[name];
    return typeof v === 'string' ? v : undefined;
  };
  const fields = [...REQUIRED_FIELDS, ...(stage === 'complete' ? (['merchant_prepare_id'] as const) : [])];
  for (const name of fields) {
    const v = value(name);
    if (v === undefined || v === '') return undefined;
  }
  const request: ClickRequest = {
    click_trans_id: value('click_trans_id')!,
    service_id: value('service_id')!,
    click_paydoc_id: value('click_paydoc_id')!,
    merchant_trans_id: value('merchant_trans_id')!,
    amount: value('amount')!,
    action: value('action')!,
    error: value('error')!,
    error_note: value('error_note') ?? '',
    sign_time: value('sign_time')!,
    sign_string: value('sign_string')!,
    ...(stage === 'complete' ? { merchant_prepare_id: value('merchant_prepare_id')! } : {}),
  };
  const digits = /^\d{1,19}$/;
  if (!digits.test(request.click_trans_id) || !digits.test(request.service_id) || !digits.test(request.click_paydoc_id)) return undefined;
  if (request.merchant_prepare_id !== undefined && !digits.test(request.merchant_prepare_id)) return undefined;
  if (!/^-?\d{1,9}$/.test(request.error) || !/^-?\d{1,9}$/.test(request.action)) return undefined;
  if (request.merchant_trans_id.length > 255 || request.sign_string.length > 64 || request.sign_time.length > 32) return undefined;
  return request;
}

/**
 * The sign_string Click sends, as the request page defines it:
 *   Prepare:  md5(click_trans_id + service_id + SECRET_KEY + merchant_trans_id + amount + action + sign_time)
 *   Complete: md5(click_trans_id + service_id + SECRET_KEY + merchant_trans_id + merchant_prepare_id + amount + action + sign_time)
 * Concatenated exactly as the strings arrived (the amount as Click wrote it, not re-formatted).
 * https://docs.click.uz/en/click-api-request/
 */
export function signSource(request: Omit<ClickRequest, 'sign_string' | 'click_paydoc_id' | 'error' | 'error_note'>, secretKey: string): string {
  return (
    request.click_trans_id +
    request.service_id +
    secretKey +
    request.merchant_trans_id +
    (request.merchant_prepare_id ?? '') +
    request.amount +
    request.action +
    request.sign_time
  );
}

export async function md5Hex(text: string): Promise<string> {
  // workerd's WebCrypto offers MD5 (Click's signature needs it); standard WebCrypto does not.
  return hex(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)));
}

export async function sha1Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether the request's sign_string matches; the comparison takes the same time wherever the strings differ. */
export async function verifyClickSign(request: ClickRequest, secretKey: string): Promise<boolean> {
  const expected = await md5Hex(signSource(request, secretKey));
  const encoder = new TextEncoder();
  // Click sends the digest in lower-case hex; accept upper case too (same digest, different spelling).
  return timingSafeEqual(encoder.encode(request.sign_string.toLowerCase()), encoder.encode(expected));
}

/** A sum with at most two decimals, no sign, exponent, spaces or leading zeros (`0.5` and `0` are fine). */
const SUM = /^(0|[1-9]\d{0,13})(?:\.(\d{1,2}))?$/;

/**
 * Click's `amount` (sum, documented as a float: "15000", "15000.0", "15000.00")
 * to tiyin (1 sum = 100 tiyin), exactly and without floating point.
 * Anything else — more than two decimals ("1.101"), exponents ("1e3"),
 * signs, spaces, commas, hex, empty — is undefined (error -2).
 */
export function sumToTiyin(amount: string): number | undefined {
  const match = SUM.exec(amount);
  if (!match) return undefined;
  const whole = match[1]!;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const tiyin = Number(whole) * 100 + Number(fraction);
  return Number.isSafeInteger(tiyin) ? tiyin : undefined;
}

/** Tiyin to the "N.NN" sum Click's payment page and merchant API take (e.g. 1500050 → "15000.50"). */
export function tiyinToSum(tiyin: number): string {
  if (!Number.isSafeInteger(tiyin) || tiyin < 0) throw new RangeError(`tiyin must be a non-negative safe integer, got ${tiyin}`);
  const whole = Math.floor(tiyin / 100);
  const fraction = tiyin % 100;
  return `${whole}.${String(fraction).padStart(2, '0')}`;
}

export interface CheckoutUrlInput {
  /** https://my.click.uz/services/pay (or the local stand-in's /services/pay). */
  base: string;
  serviceId: string;
  merchantId: string;
  amountTiyin: number;
  /** Our order id: Click sends it back as merchant_trans_id. */
  transactionParam: string;
  returnUrl?: string;
  merchantUserId?: string;
  cardType?: 'uzcard' | 'humo';
}

/**
 * The buyer's payment page, as "Payment button — redirect by link" documents it:
 * https://my.click.uz/services/pay?service_id=…&merchant_id=…&amount=N.NN&transaction_param=…&return_url=…
 * (https://docs.click.uz/click-button).
 */
export function clickCheckoutUrl(input: CheckoutUrlInput): string {
  const url = new URL(input.base);
  url.searchParams.set('service_id', input.serviceId);
  url.searchParams.set('merchant_id', input.merchantId);
  if (input.merchantUserId) url.searchParams.set('merchant_user_id', input.merchantUserId);
  url.searchParams.set('amount', tiyinToSum(input.amountTiyin));
  url.searchParams.set('transaction_param', input.transactionParam);
  if (input.returnUrl) url.searchParams.set('return_url', input.returnUrl);
  if (input.cardType) url.searchParams.set('card_type', input.cardType);
  return url.toString();
}

/**
 * The merchant API's `Auth` header: `merchant_user_id:digest:timestamp` with
 * digest = sha1(timestamp + secret_key) and timestamp in UNIX seconds (10 digits).
 * https://docs.click.uz/en/merchant-api-request/
 */
export async function merchantAuthHeader(merchantUserId: string, secretKey: string, nowMs: number): Promise<string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return `${merchantUserId}:${await sha1Hex(timestamp + secretKey)}:${timestamp}`;
}

/** An answer from the error table, with the ids Click correlates by where we know them. */
export function clickAnswer(
  name: ClickErrorName,
  request: Partial<Pick<ClickRequest, 'click_trans_id' | 'merchant_trans_id'>>,
  id?: { merchant_prepare_id?: number | null; merchant_confirm_id?: number | null },
): ClickResponse {
  const { error, note } = CLICK_ERRORS[name];
  return {
    ...(request.click_trans_id !== undefined ? { click_trans_id: jsonId(request.click_trans_id) } : {}),
    ...(request.merchant_trans_id !== undefined ? { merchant_trans_id: request.merchant_trans_id } : {}),
    ...id,
    error,
    error_note: note,
  };
}

/** Click's ids are documented as (big)integers: answer a number when it is exact, else the digits as sent. */
function jsonId(id: string): number | string {
  if (!/^\d+$/.test(id)) return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}
