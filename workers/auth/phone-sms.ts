/**
 * The one place auth sends an SMS: the notifications domain's one-time-code
 * sender (its SMS provider and daily budget). Interim: until that sender is
 * merged, codes go to a development outbox in Redis.
 */
import type { Deps } from '../../shared/context';
import { DependencyUnavailable } from '../../shared/errors';
import { redisKey } from '../../shared/redis';
import type { PhoneCodePurpose } from './phone-codes';

export interface PhoneCodeMessage {
  phone: string;
  code: string;
  locale: 'uz' | 'ru' | 'en';
  purpose: PhoneCodePurpose;
}

export async function sendPhoneCode(deps: Deps, message: PhoneCodeMessage): Promise<void> {
  if (deps.config.APP_ENV === 'production') throw new DependencyUnavailable('SMS provider');
  await deps.redis.lpush(redisKey(deps.config, 'sms-outbox', message.phone), JSON.stringify(message));
}
