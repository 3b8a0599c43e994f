import { z } from '@hono/zod-openapi';

export const PhoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +998901234567')
  .openapi({ description: 'E.164 phone number', example: '+998901234567' });

/**
 * Mobile prefixes of Uzbekistan's operators after +998 (Beeline 90/91, Ucell
 * 93/94/50, Uzmobile 95/99/77/55, Mobiuz 97/88, Perfectum 98, Humans 33, OQ 20).
 * Landlines (71 Tashkent, 6x/7x regions) cannot receive a sign-in SMS.
 */
export const UZ_MOBILE_PREFIXES = ['20', '33', '50', '55', '77', '88', '90', '91', '93', '94', '95', '97', '98', '99'] as const;

const UZ_MOBILE = new RegExp(`^\\+998(${UZ_MOBILE_PREFIXES.join('|')})\\d{7}$`);

/** Whether an E.164 number is an Uzbek mobile number (+998, an operator's prefix, 9 digits). */
export const isUzbekMobile = (phone: string): boolean => UZ_MOBILE.test(phone);

/**
 * Whether a phone may receive sign-in codes: its country calling code (digits,
 * e.g. `998`) is one of `countryCodes`, and a `+998` number is an Uzbek mobile.
 */
export function isSmsReachable(phone: string, countryCodes: readonly string[]): boolean {
  if (!countryCodes.some((code) => phone.startsWith(`+${code}`))) return false;
  return !phone.startsWith('+998') || isUzbekMobile(phone);
}
