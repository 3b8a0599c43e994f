/**
 * What a production configuration must not contain. The zod schema in env.ts
 * checks each setting's shape; these rules depend on where the Worker runs:
 * a setting that is fine on a laptop (plain-http URLs, dev routes, a
 * memorable secret) must never reach production.
 */

/** The settings of Config these rules read (env.ts passes the parsed config). */
export interface ProductionSettings {
  APP_ENV: string;
  DEV_ROUTES: boolean;
  CORS_ORIGINS: string[];
  APP_URL?: string;
  UPSTASH_REDIS_REST_URL: string;
  STRIPE_API_BASE?: string;
  TYPESENSE_URL?: string;
  EMAIL_PROVIDER_URL?: string;
  NEON_WS_PROXY?: string;
  NEON_HTTP_ENDPOINT?: string;
  JWT_SECRET: string;
  WEBHOOK_SECRET_KEY?: string;
  READINESS_TOKEN?: string;
  PAYMENT_PROVIDERS?: readonly string[];
  PAYMENT_RETURN_URL?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  PAYME_MERCHANT_ID?: string;
  PAYME_KEY?: string;
  PAYME_CHECKOUT_BASE?: string;
  CLICK_SERVICE_ID?: string | number;
  CLICK_MERCHANT_ID?: string | number;
  CLICK_MERCHANT_USER_ID?: string | number;
  CLICK_SECRET_KEY?: string;
  CLICK_CHECKOUT_BASE?: string;
  CLICK_API_BASE?: string;
}

/** What each payment provider needs to take money in production (docs/payments-uzbekistan.md). */
const PROVIDER_CREDENTIALS: Record<string, Array<keyof ProductionSettings>> = {
  stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
  payme: ['PAYME_MERCHANT_ID', 'PAYME_KEY'],
  click: ['CLICK_SERVICE_ID', 'CLICK_MERCHANT_ID', 'CLICK_MERCHANT_USER_ID', 'CLICK_SECRET_KEY'],
  cash: [],
};

/** Secrets generated for this deployment (not issued by a provider), so they must be random. */
const GENERATED_SECRETS = ['JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'READINESS_TOKEN'] as const;

/** URLs the Worker calls or hands to browsers: https only in production. */
const URL_SETTINGS = [
  'APP_URL',
  'UPSTASH_REDIS_REST_URL',
  'STRIPE_API_BASE',
  'TYPESENSE_URL',
  'EMAIL_PROVIDER_URL',
  'PAYMENT_RETURN_URL',
  'PAYME_CHECKOUT_BASE',
  'CLICK_CHECKOUT_BASE',
  'CLICK_API_BASE',
] as const;

/** Least estimated entropy of a generated secret, in bits. */
export const MIN_SECRET_BITS = 128;

/** Words that mark a value someone typed or copied instead of generating. */
const PLACEHOLDER_WORDS = [
  'change-me',
  'changeme',
  'change_me',
  'replace',
  'placeholder',
  'example',
  'secret',
  'password',
  'passwd',
  'xxx',
  'todo',
  'fixme',
  'dummy',
  'sample',
  'default',
  'insecure',
  'your-',
  'your_',
  'test',
  'local',
  'dev-',
  'dev_',
  '12345',
  'qwerty',
];

/**
 * A rough lower bound on a secret's entropy: its length times the bits per
 * character of the smallest alphabet that explains it (hex, or the character
 * classes it uses), capped by how many distinct characters it really has
 * (`aaaa…ab` uses two). Generated secrets (`openssl rand -hex 32`: 256 bits,
 * `-base64 32`: ~250) clear 128 easily; words and keyboard patterns do not.
 */
export function estimateSecretBits(value: string): number {
  if (!value) return 0;
  let pool: number;
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) pool = 16;
  else {
    pool = 0;
    if (/[a-z]/.test(value)) pool += 26;
    if (/[A-Z]/.test(value)) pool += 26;
    if (/[0-9]/.test(value)) pool += 10;
    if (/[^a-zA-Z0-9]/.test(value)) pool += 33;
  }
  const distinct = new Set(value).size;
  // Random draws repeat characters, so `distinct` undercounts the alphabet: squaring it is a generous allowance.
  const perChar = Math.min(Math.log2(pool), 2 * Math.log2(Math.max(distinct, 1)));
  return value.length * perChar;
}

/** Why a generated secret is refused, or null. */
export function weakSecretReason(value: string): string | null {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return 'looks like a placeholder';
  // One short unit repeated (`abcabcabc…`, `0000…`).
  if (/^(.{1,8}?)\1+$/s.test(value)) return 'is a repeated pattern';
  if (estimateSecretBits(value) < MIN_SECRET_BITS) return `has less than ${MIN_SECRET_BITS} bits of entropy`;
  return null;
}

const isHttps = (url: string) => {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * The settings that make this configuration unsafe for production, each with
 * its reason (never its value). Empty outside production, so development,
 * test and staging stacks keep their local URLs and throwaway secrets.
 */
export function productionProblems(config: ProductionSettings): Array<{ setting: string; reason: string }> {
  if (config.APP_ENV !== 'production') return [];
  const problems: Array<{ setting: string; reason: string }> = [];
  if (config.DEV_ROUTES) problems.push({ setting: 'DEV_ROUTES', reason: 'must be false in production' });
  if (config.NEON_WS_PROXY) problems.push({ setting: 'NEON_WS_PROXY', reason: 'is for local development only' });
  if (config.NEON_HTTP_ENDPOINT) problems.push({ setting: 'NEON_HTTP_ENDPOINT', reason: 'is for local development only' });
  if (config.CORS_ORIGINS.some((origin) => !isHttps(origin))) problems.push({ setting: 'CORS_ORIGINS', reason: 'every origin must be https' });
  for (const name of URL_SETTINGS) {
    const url = config[name];
    if (url && !isHttps(url)) problems.push({ setting: name, reason: 'must be an https URL' });
  }
  for (const provider of config.PAYMENT_PROVIDERS ?? []) {
    for (const name of PROVIDER_CREDENTIALS[provider] ?? []) {
      if (config[name] === undefined || config[name] === '') problems.push({ setting: name, reason: `is required when PAYMENT_PROVIDERS offers ${provider}` });
    }
  }
  if (!config.WEBHOOK_SECRET_KEY) problems.push({ setting: 'WEBHOOK_SECRET_KEY', reason: 'is required in production' });
  for (const name of GENERATED_SECRETS) {
    const value = config[name];
    const reason = value ? weakSecretReason(value) : null;
    if (reason) problems.push({ setting: name, reason });
  }
  return problems;
}
