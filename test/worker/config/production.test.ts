import { describe, expect, it } from 'vitest';
import { type Bindings, loadConfig } from '../../../shared/env';
import { estimateSecretBits, weakSecretReason } from '../../../shared/production-config';
import { call, expectProblem, testEnv } from '../../support/app';

const randomHex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The test run's bindings made production-safe: https everywhere, generated secrets, no local-only settings. */
const productionEnv = (overrides: Record<string, unknown> = {}): Bindings =>
  ({
    ...testEnv,
    APP_ENV: 'production',
    CORS_ORIGINS: 'https://shop.example.com',
    UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.io',
    JWT_SECRET: randomHex(32),
    WEBHOOK_SECRET_KEY: randomHex(32),
    DEV_ROUTES: 'false',
    NEON_WS_PROXY: undefined,
    NEON_HTTP_ENDPOINT: undefined,
    STRIPE_API_BASE: undefined,
    // The test stack points Click at its local sandbox (http); production uses Click's own (the defaults).
    CLICK_CHECKOUT_BASE: undefined,
    CLICK_API_BASE: undefined,
    TYPESENSE_URL: undefined,
    EMAIL_PROVIDER_URL: undefined,
    APP_URL: undefined,
    READINESS_TOKEN: undefined,
    PAYMENT_PROVIDERS: 'stripe,cash',
    STRIPE_SECRET_KEY: 'sk_live_' + randomHex(24),
    STRIPE_WEBHOOK_SECRET: 'whsec_' + randomHex(24),
    ...overrides,
  }) as Bindings;

/** The settings a production config is refused for (empty when it loads). */
function refused(overrides: Record<string, unknown>): string[] {
  try {
    loadConfig(productionEnv(overrides));
    return [];
  } catch (err) {
    expect(err).toMatchObject({ code: 'MISCONFIGURED' });
    return (err as { extensions: { settings: string[] } }).extensions.settings;
  }
}

describe('a production configuration refuses what can hurt production', () => {
  it('loads when every setting is production-safe', () => {
    expect(refused({})).toEqual([]);
    expect(refused({ APP_URL: 'https://shop.example.com', READINESS_TOKEN: randomHex(24) })).toEqual([]);
  });

  it('needs the credentials of every payment provider it offers, and no others', () => {
    const none = { PAYME_MERCHANT_ID: undefined, PAYME_KEY: undefined, CLICK_SERVICE_ID: undefined, CLICK_MERCHANT_ID: undefined, CLICK_MERCHANT_USER_ID: undefined, CLICK_SECRET_KEY: undefined };
    expect(refused({ ...none, PAYMENT_PROVIDERS: 'cash' })).toEqual([]);
    expect(refused({ ...none, PAYMENT_PROVIDERS: 'payme,cash' })).toEqual(['PAYME_MERCHANT_ID', 'PAYME_KEY']);
    expect(refused({ ...none, PAYMENT_PROVIDERS: 'click' })).toEqual(['CLICK_SERVICE_ID', 'CLICK_MERCHANT_ID', 'CLICK_MERCHANT_USER_ID', 'CLICK_SECRET_KEY']);
    expect(refused({ ...none, PAYMENT_PROVIDERS: 'stripe', STRIPE_WEBHOOK_SECRET: undefined })).toEqual(['STRIPE_WEBHOOK_SECRET']);
    expect(refused({ ...none, PAYMENT_PROVIDERS: 'cash', PAYMENT_RETURN_URL: 'http://shop.example.com/paid' })).toEqual(['PAYMENT_RETURN_URL']);
  });

  it.each([
    ['DEV_ROUTES', { DEV_ROUTES: 'true' }],
    ['DEV_ROUTES', { DEV_ROUTES: '1' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://shop.example.com,http://shop.example.com' }],
    ['APP_URL', { APP_URL: 'http://shop.example.com' }],
    ['UPSTASH_REDIS_REST_URL', { UPSTASH_REDIS_REST_URL: 'http://eu1-example.upstash.io' }],
    ['STRIPE_API_BASE', { STRIPE_API_BASE: 'http://127.0.0.1:12111' }],
    ['TYPESENSE_URL', { TYPESENSE_URL: 'http://search.example.com', TYPESENSE_API_KEY: 'k' }],
    ['EMAIL_PROVIDER_URL', { EMAIL_PROVIDER_URL: 'http://mail.example.com/emails' }],
    ['NEON_WS_PROXY', { NEON_WS_PROXY: '127.0.0.1:5433' }],
    ['NEON_HTTP_ENDPOINT', { NEON_HTTP_ENDPOINT: 'http://127.0.0.1:5434/sql' }],
    ['WEBHOOK_SECRET_KEY', { WEBHOOK_SECRET_KEY: undefined }],
    ['WEBHOOK_SECRET_KEY', { WEBHOOK_SECRET_KEY: 'change-me-change-me-change-me-change-me' }],
    ['JWT_SECRET', { JWT_SECRET: 'change-me-to-a-long-random-string-please' }],
    ['JWT_SECRET', { JWT_SECRET: 'test-only-jwt-secret-0123456789abcdef' }],
    ['JWT_SECRET', { JWT_SECRET: 'x'.repeat(64) }],
    ['JWT_SECRET', { JWT_SECRET: 'abcd'.repeat(10) }],
    ['JWT_SECRET', { JWT_SECRET: `${'a'.repeat(40)}b` }],
    ['JWT_SECRET', { JWT_SECRET: 'my-super-secret-jwt-signing-key-2026' }],
    ['READINESS_TOKEN', { READINESS_TOKEN: 'readiness-token-placeholder-value-xx' }],
  ])('refuses %s in %j', (setting, overrides) => {
    expect(refused(overrides)).toContain(setting);
  });

  it('names every refused setting at once, never a value', async () => {
    const env = productionEnv({ DEV_ROUTES: 'true', JWT_SECRET: 'change-me-change-me-change-me-change-me', WEBHOOK_SECRET_KEY: undefined });
    const res = await call('/api/v1/categories', { env: env as unknown as Record<string, unknown> });
    const problem = await expectProblem(res, 500, 'MISCONFIGURED');
    expect(problem.settings).toEqual(expect.arrayContaining(['DEV_ROUTES', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY']));
    expect(JSON.stringify(problem)).not.toContain('change-me');
  });

  it('leaves development, test and staging alone (local URLs, throwaway secrets)', () => {
    for (const APP_ENV of ['development', 'test', 'staging']) {
      expect(() => loadConfig({ ...testEnv, APP_ENV, DEV_ROUTES: 'true', WEBHOOK_SECRET_KEY: undefined } as Bindings)).not.toThrow();
    }
  });
});

describe('secret strength estimate', () => {
  it('accepts generated secrets and refuses guessable ones', () => {
    expect(weakSecretReason(randomHex(32))).toBeNull();
    expect(weakSecretReason(randomHex(16))).toBeNull();
    expect(weakSecretReason(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))))).toBeNull();
    expect(estimateSecretBits('0'.repeat(64))).toBe(0);
    expect(weakSecretReason('Tr0ub4dor&3')).toMatch(/entropy/);
  });
});
