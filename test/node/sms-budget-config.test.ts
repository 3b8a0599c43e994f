import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/env';
import { prefixBudgetOf, smsBudgetsFor } from '../../shared/sms/budget';

const base = {
  APP_ENV: 'test',
  DATABASE_URL: 'postgres://u@h/db',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1',
  UPSTASH_REDIS_REST_TOKEN: 't',
  JWT_SECRET: 'x'.repeat(32),
};
const config = (extra: Record<string, string> = {}) => ConfigSchema.parse({ ...base, ...extra });

describe('SMS budgets from configuration', () => {
  it('defaults: +998 numbers and the rest have their own daily budgets', () => {
    const c = config();
    expect(c.SMS_PREFIX_BUDGETS).toEqual([
      { prefix: '+998', limit: 5000 },
      { prefix: '*', limit: 50 },
    ]);
    expect(prefixBudgetOf(c, '+998901234567')).toEqual({ prefix: '+998', limit: 5000 });
    expect(prefixBudgetOf(c, '+447700900123')).toEqual({ prefix: '*', limit: 50 });
  });

  it('the longest matching prefix wins; without `*` an unlisted number has no budget at all', () => {
    const c = config({ SMS_PREFIX_BUDGETS: '+998:100,+99877:3,+7:10' });
    expect(prefixBudgetOf(c, '+998771234567')?.prefix).toBe('+99877');
    expect(prefixBudgetOf(c, '+998901234567')?.prefix).toBe('+998');
    expect(prefixBudgetOf(c, '+12025550123')).toBeUndefined();
    const [deployment, prefix] = smsBudgetsFor(c, '+12025550123', new Date('2026-12-04T23:59:59Z'));
    expect(deployment?.key).toBe('um:sms:budget:2026-12-04:all');
    expect(prefix).toMatchObject({ scope: 'unlisted', limit: 0 });
  });

  it.each(['998:10', '+998:', '+998:ten', '*:1,+998'])('refuses %j', (value) => {
    expect(ConfigSchema.safeParse({ ...base, SMS_PREFIX_BUDGETS: value }).success).toBe(false);
  });
});
