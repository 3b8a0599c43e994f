/**
 * The one place auth sends an SMS: the notifications domain's one-time-code
 * sender, which takes it from the SMS budget (503 when spent) and sends it
 * through the SMS provider (Eskiz; the local outbox in development).
 */
import type { Deps } from '../../shared/context';
import { sendOneTimeCode } from '../notifications/public';
import { PHONE_CODE_TTL_SECONDS, type PhoneCodePurpose } from './phone-codes';

export interface PhoneCodeMessage {
  phone: string;
  code: string;
  locale: 'uz' | 'ru' | 'en';
  purpose: PhoneCodePurpose;
  /** The signed-in account asking (adding a phone); never set for sign-in, whose account is not looked up. */
  userId?: string;
}

const TEMPLATE = { sign_in: 'sign_in', add_phone: 'verify_phone' } as const;

export async function sendPhoneCode(deps: Deps, message: PhoneCodeMessage): Promise<void> {
  await sendOneTimeCode(deps, {
    phone: message.phone,
    code: message.code,
    locale: message.locale,
    purpose: TEMPLATE[message.purpose],
    userId: message.userId,
    minutes: PHONE_CODE_TTL_SECONDS / 60,
  });
}
