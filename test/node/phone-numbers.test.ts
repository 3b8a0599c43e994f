import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/env';
import { isSmsReachable, isUzbekMobile } from '../../shared/schemas/phone';
import { newPhoneCode } from '../../workers/auth/phone-codes';

describe('phone numbers that may receive sign-in codes', () => {
  it('takes Uzbek mobiles and refuses landlines and wrong lengths', () => {
    for (const phone of ['+998901234567', '+998331234567', '+998771234567', '+998201234567', '+998991234567']) {
      expect(isUzbekMobile(phone), phone).toBe(true);
    }
    for (const phone of ['+998712345678', '+998651234567', '+99890123456', '+9989012345678', '+998001234567']) {
      expect(isUzbekMobile(phone), phone).toBe(false);
    }
  });

  it('takes only the configured countries, and +998 only for mobiles', () => {
    expect(isSmsReachable('+998901234567', ['998'])).toBe(true);
    expect(isSmsReachable('+79161234567', ['998'])).toBe(false);
    expect(isSmsReachable('+79161234567', ['998', '7'])).toBe(true);
    expect(isSmsReachable('+998712345678', ['998', '7'])).toBe(false);
  });

  it('reads PHONE_COUNTRY_CODES as calling codes, default 998, and refuses anything else', () => {
    const base = { APP_ENV: 'test', DATABASE_URL: 'postgres://x', UPSTASH_REDIS_REST_URL: 'http://x', UPSTASH_REDIS_REST_TOKEN: 't', JWT_SECRET: 'x'.repeat(32) };
    expect(ConfigSchema.parse(base).PHONE_COUNTRY_CODES).toEqual(['998']);
    expect(ConfigSchema.parse({ ...base, PHONE_COUNTRY_CODES: '998, 7' }).PHONE_COUNTRY_CODES).toEqual(['998', '7']);
    expect(ConfigSchema.safeParse({ ...base, PHONE_COUNTRY_CODES: '+998' }).success).toBe(false);
  });
});

describe('sign-in codes', () => {
  it('are six digits, zero-padded, and vary', () => {
    const codes = Array.from({ length: 200 }, newPhoneCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
