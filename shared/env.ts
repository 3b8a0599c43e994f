import { z } from 'zod';
import { Misconfigured } from './errors';
import { productionProblems } from './production-config';
import { PROVIDER_NAMES, type ProviderName } from './payments/gateway';

/**
 * Secrets are not in wrangler.toml, so `wrangler types` cannot know them; they
 * are declared here (and listed in .dev.vars.example).
 */
export interface Secrets {
  DATABASE_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  JWT_SECRET?: string;
  /** Local development only: host:port of the WebSocket-to-TCP proxy for Postgres. */
  NEON_WS_PROXY?: string;
  /** Local development only: URL of the local Neon HTTP SQL endpoint (http://host:port/sql). */
  NEON_HTTP_ENDPOINT?: string;
  /** Stripe secret key (sk_test_… / sk_live_…; the local stand-in's key in development). */
  STRIPE_SECRET_KEY?: string;
  /** Signing secret of the webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Local development only: base URL of the Stripe stand-in (http://127.0.0.1:PORT). */
  STRIPE_API_BASE?: string;
  /** Typesense (optional): when both are set, search uses it instead of Postgres. */
  TYPESENSE_URL?: string;
  TYPESENSE_API_KEY?: string;
  /** Transactional email API (Resend-style JSON: POST {from, to, subject, text, html}); unset → local outbox outside production. */
  EMAIL_PROVIDER_URL?: string;
  EMAIL_PROVIDER_KEY?: string;
  /** Seals outgoing webhook endpoints' signing secrets at rest (AES-256-GCM, HKDF); ≥ 32 characters. */
  WEBHOOK_SECRET_KEY?: string;
  /** Lets monitoring read /health/ready's per-dependency details (header X-Readiness-Token); ≥ 32 random characters. */
  READINESS_TOKEN?: string;
  /** Benchmarks only: report database round trips in a response header. */
  EXPOSE_DB_METRICS?: string;
  /** Benchmarks only: enable the /bench/* routes that exercise Durable Objects directly. */
  BENCH_ROUTES?: string;
  /** Payme Merchant API: the key Payme sends as Basic auth `Paycom:<key>` (the test key from the Payme Business cabinet in test mode). */
  PAYME_KEY?: string;
  /** Payme's web cashbox id (not secret, but per deployment like the key, so set beside it). */
  PAYME_MERCHANT_ID?: string;
  /** Click (docs/payments-click.md): the SECRET_KEY Click issues; signs Prepare/Complete and the merchant API's Auth digest. */
  CLICK_SECRET_KEY?: string;
  /** Eskiz SMS (docs/notifications.md): the account's email and the API password from its cabinet. */
  ESKIZ_EMAIL?: string;
  ESKIZ_PASSWORD?: string;
  /** The secret Eskiz's delivery reports carry (`?key=` on the callback URL). */
  ESKIZ_CALLBACK_KEY?: string;
}

/** Everything the Worker receives: generated bindings plus secrets. */
export type Bindings = Env & Secrets;

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const positiveInt = z.coerce.number().int().positive();
/** An id Click issues: digits, as a string even when wrangler.toml wrote it as a number. */
const clickId = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(/^\d+$/, 'must be the digits Click issued').optional());

/** Benchmark routes answer without auth or rate limits by design: never in production. */
function refuseBenchRoutesInProduction(config: { APP_ENV: string; BENCH_ROUTES: boolean }, ctx: z.RefinementCtx): void {
  if (config.APP_ENV === 'production' && config.BENCH_ROUTES) {
    ctx.addIssue({ code: 'custom', path: ['BENCH_ROUTES'], message: 'must not be enabled in production' });
  }
}

export const ConfigSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'staging', 'production']),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CORS_ORIGINS: csv.default([]),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  RATE_LIMIT_REQUESTS: positiveInt.default(300),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  REDIS_KEY_PREFIX: z.string().default('um:'),
  AUTH_RATE_LIMIT_REQUESTS: positiveInt.default(100),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(900),
  /** Failed logins per account per client network (IPv4 /24, IPv6 /64) per AUTH_RATE_LIMIT_WINDOW_SECONDS, without a device token. */
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  /** Failed logins per account from all networks together, without a device token: the ceiling for a distributed attack. */
  LOGIN_ACCOUNT_MAX_FAILURES: positiveInt.default(50),
  /** Failed logins per device token (a client that signed in to the account before). */
  LOGIN_DEVICE_MAX_FAILURES: positiveInt.default(5),
  /** Lifetime of the device token a login returns. */
  LOGIN_DEVICE_TOKEN_DAYS: z.coerce.number().int().min(1).max(400).default(90),
  /** Cart pricing: tax in basis points (1200 = 12%), flat shipping, free shipping from a subtotal. */
  TAX_RATE_BPS: z.coerce.number().int().min(0).max(10_000).default(1200),
  SHIPPING_FLAT_RATE: z.coerce.number().int().min(0).default(500),
  FREE_SHIPPING_THRESHOLD: z.coerce.number().int().min(0).default(10_000),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  CART_MAX_LINES: positiveInt.default(100),
  CART_MAX_QUANTITY: positiveInt.default(99),
  /** Minutes a cart line holds its stock; 0 reserves only at checkout. */
  CART_HOLD_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(0),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  NEON_WS_PROXY: z.string().optional(),
  NEON_HTTP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Payment providers this deployment offers (docs/payments-uzbekistan.md), comma-separated:
   * stripe, payme, click, cash. A checkout names one; without a name it pays with the first.
   */
  PAYMENT_PROVIDERS: z
    .string()
    .default('stripe,payme,click,cash')
    .transform((v, ctx) => {
      const names = [...new Set(v.split(',').map((p) => p.trim()).filter(Boolean))];
      const unknown = names.filter((n) => !(PROVIDER_NAMES as readonly string[]).includes(n));
      if (unknown.length || !names.length) {
        ctx.addIssue({ code: 'custom', message: `must list some of ${PROVIDER_NAMES.join(', ')}; unknown: ${unknown.join(', ') || '(none given)'}` });
        return z.NEVER;
      }
      return names as ProviderName[];
    }),
  /** Where Payme's and Click's checkout pages send the buyer back (the order id is appended as `?order=`); defaults to APP_URL. */
  PAYMENT_RETURN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Anti-hoarding (docs/cart-and-inventory.md): unpaid orders a customer may have at once; 0 = no cap. */
  MAX_UNPAID_ORDERS: z.coerce.number().int().min(0).max(1000).default(3),
  /** Units of one SKU a customer may hold at once in the cart plus unpaid orders; 0 = no cap. */
  MAX_UNITS_PER_SKU: z.coerce.number().int().min(0).max(1_000_000).default(20),
  /** Whether POST /orders needs a verified email address (403 EMAIL_NOT_VERIFIED otherwise). */
  CHECKOUT_REQUIRES_VERIFIED_EMAIL: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Minutes an unpaid order keeps its stock before the sweep cancels it. */
  RESERVATION_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Days after a seller order's delivery during which its buyer may request a return (docs/returns.md). */
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(10),
  /** The platform's commission in basis points (1000 = 10%) where neither the seller nor the category sets one (docs/ledger.md). */
  COMMISSION_BPS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Days after delivery a seller's earnings stay pending before they can be paid out (docs/ledger.md). */
  LEDGER_HOLD_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  TYPESENSE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TYPESENSE_API_KEY: z.string().min(1).optional(),
  /** Typesense collection (an alias in production lets reindexing swap collections). */
  TYPESENSE_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]+$/).default('products'),
  EMAIL_PROVIDER_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMAIL_PROVIDER_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).default('UltraMarket <no-reply@ultramarket.example>'),
  /** The storefront web app that verify/reset emails link to; without it, the first CORS origin. */
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Development-only routes (/api/v1/dev/*). */
  DEV_ROUTES: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  FILE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  FILE_QUOTA_BYTES: positiveInt.default(100 * 1024 * 1024),
  WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt.default(5),
  WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  READINESS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** GET /health/ready: calls per client IP per minute (each one touches every dependency). */
  READINESS_RATE_LIMIT_REQUESTS: positiveInt.default(30),
  /** GET /api/v1/search without a token: calls per client IP per RATE_LIMIT_WINDOW_SECONDS. */
  SEARCH_RATE_LIMIT_REQUESTS: positiveInt.default(60),
  /**
   * Freshness contract of anonymous catalog reads (docs/catalog.md): seconds an entry held in the colo (isolate
   * memory, the Cache API) is served as is after it was read from Redis/Postgres, then seconds more it is served
   * stale while one background refresh runs. An anonymous read lags a write by at most their sum; both 0 turns
   * the colo tiers off. Signed-in catalog writers never read the colo tiers.
   */
  CATALOG_FRESH_SECONDS: z.coerce.number().int().min(0).max(300).default(2),
  CATALOG_STALE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  EXPOSE_DB_METRICS: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  /** Benchmarks only: the /bench/* routes (workers/bench); refused in production. */
  BENCH_ROUTES: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Payme: the web cashbox (merchant) id from the Payme Business cabinet (docs/payments-payme.md). */
  PAYME_MERCHANT_ID: z.string().min(1).optional(),
  /** Payme: the merchant key that authenticates Payme's calls to POST /api/v1/payments/payme. */
  PAYME_KEY: z.string().min(1).optional(),
  /** Payme: where buyers are sent to pay (https://checkout.test.paycom.uz in test mode; the local sandbox in development). */
  PAYME_CHECKOUT_BASE: z.url({ protocol: /^https?$/ }).default('https://checkout.paycom.uz'),
  /** Payme: the Account field that carries our order id, as configured on the web cashbox. */
  PAYME_ACCOUNT_FIELD: z.string().regex(/^[A-Za-z0-9_]+$/).default('order_id'),
  /** Click SHOP-API (docs/payments-click.md): the ids Click issues on registration, all digits (a TOML number is fine). */
  CLICK_SERVICE_ID: clickId,
  CLICK_MERCHANT_ID: clickId,
  CLICK_MERCHANT_USER_ID: clickId,
  CLICK_SECRET_KEY: z.string().min(1).optional(),
  /** The buyer's payment page (the local sandbox's /services/pay in development). */
  CLICK_CHECKOUT_BASE: z.url({ protocol: /^https?$/ }).default('https://my.click.uz/services/pay'),
  /** Click's merchant API (reversals); the local sandbox's /v2/merchant in development. */
  CLICK_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.click.uz/v2/merchant'),
  /** Fiscal receipts (docs/vat-and-receipts.md): the operator's TIN (INN, 9 digits) receipts sent to Click are issued under. */
  FISCAL_TIN: z.string().regex(/^\d{9}$/, 'must be a 9-digit TIN').optional(),
  /** Fiscal receipts: the MXIK (IKPU) code and package code of the delivery service, for the receipt's shipping line. */
  SHIPPING_MXIK: z.string().regex(/^\d{17}$/, 'must be a 17-digit MXIK code').optional(),
  SHIPPING_PACKAGE_CODE: z.string().regex(/^\d{1,20}$/, 'must be a numeric package code').optional(),
  /**
   * Whether shelf prices include VAT (docs/vat-and-receipts.md): on, the buyer pays the price and the VAT it
   * contains is extracted per line at TAX_RATE_BPS (0 for sellers who are not VAT payers); off, TAX_RATE_BPS is
   * added on top of the subtotal. On for UZS deployments.
   */
  PRICES_INCLUDE_TAX: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Whether a product needs its MXIK (IKPU) and package codes to be published (fiscal receipts); on for UZS deployments. */
  FISCAL_DATA_REQUIRED: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Cash on delivery (docs/cash-on-delivery.md): days a cash order keeps its stock before the sweep cancels it if nothing of it has shipped. */
  CASH_HOLD_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Cash on delivery: open (not yet collected, not cancelled) cash orders a customer may have at once; 0 = no cap. */
  CASH_MAX_OPEN_ORDERS: z.coerce.number().int().min(0).max(1000).default(2),
  /** Phone sign-in (docs/auth.md): country calling codes (digits) whose numbers may receive codes; +998 numbers must be Uzbek mobiles. */
  PHONE_COUNTRY_CODES: csv.pipe(z.array(z.string().regex(/^[1-9]\d{0,2}$/, 'must be country calling codes such as 998'))).default(['998']),
  /** Seconds before the same client may ask for another code to the same number. */
  PHONE_CODE_RESEND_SECONDS: positiveInt.default(60),
  /** The window the per-phone, per-network, per-device and per-account code limits count in. */
  PHONE_CODE_WINDOW_SECONDS: positiveInt.default(3600),
  /** Codes per number per client network (IPv4 /24, IPv6 /64) per window, without a device token. */
  PHONE_CODE_MAX_PER_PHONE_NETWORK: positiveInt.default(3),
  /** Codes per number from all networks together per window: the ceiling for a distributed attack. */
  PHONE_CODE_MAX_PER_PHONE: positiveInt.default(10),
  /** Codes per client network to any numbers per window (bounds SMS pumping from one network). */
  PHONE_CODE_MAX_PER_NETWORK: positiveInt.default(20),
  /** Codes per device token (a device that signed in to the number's account before) per window. */
  PHONE_CODE_MAX_PER_DEVICE: positiveInt.default(5),
  /** Codes a signed-in account may ask for (adding or changing its phone) per window. */
  PHONE_CODE_MAX_PER_ACCOUNT: positiveInt.default(5),
  /** Eskiz SMS (docs/notifications.md): the API base (the stand-in's /api in development), credentials and sender nick. */
  ESKIZ_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://notify.eskiz.uz/api'),
  ESKIZ_EMAIL: z.string().min(1).optional(),
  ESKIZ_PASSWORD: z.string().min(1).optional(),
  ESKIZ_FROM: z.string().min(1).max(11).default('4546'),
  /** The API's public origin, for the delivery-report URL Eskiz posts to; none → no reports are asked for. */
  ESKIZ_CALLBACK_BASE: z.url({ protocol: /^https?$/ }).optional(),
  ESKIZ_CALLBACK_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** SMS a deployment may send per UTC day, all destinations together: the ceiling on an SMS-pumping bill. */
  SMS_DAILY_BUDGET: z.coerce.number().int().min(0).default(5000),
  /**
   * Per destination prefix per UTC day, `prefix:limit` comma-separated; the longest matching prefix applies,
   * `*` to every number no prefix matches (international SMS cost the most and are what pumping targets).
   */
  SMS_PREFIX_BUDGETS: z
    .string()
    .default('+998:5000,*:50')
    .transform((v, ctx) => {
      const entries = v.split(',').map((p) => p.trim()).filter(Boolean).map((p) => /^(\*|\+\d{1,6}):(\d+)$/.exec(p));
      if (entries.some((e) => !e)) {
        ctx.addIssue({ code: 'custom', message: 'must be prefix:limit pairs like +998:5000,*:50' });
        return z.NEVER;
      }
      return entries.map((e) => ({ prefix: e?.[1] ?? '*', limit: Number(e?.[2]) }));
    }),
  /** The content locale the single-string columns hold and every other locale falls back to (docs/catalog.md). */
  DEFAULT_LOCALE: z.enum(['uz', 'ru', 'en']).default('uz'),
  /** Reviews (docs/reviews.md): days after writing a review during which its author may edit it. */
  REVIEW_EDIT_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** Reviews: reports one client network (or signed-in user) may send per hour. */
  REVIEW_REPORT_RATE_LIMIT: positiveInt.default(10),
}).superRefine(refuseBenchRoutesInProduction);

export type Config = z.infer<typeof ConfigSchema>;

/**
 * The parsed config per bindings object. Workers hand the same `env` object to
 * every request of an isolate, so this parses once per isolate; a WeakMap keeps
 * it per object, so tests that pass their own env get their own config.
 */
const parsed = new WeakMap<object, Config>();
let parses = 0;

/** How many times `loadConfig` has validated a bindings object in this isolate (tests prove it is once per object). */
export const configParseCount = (): number => parses;

/** Validates the bindings; a missing or bad setting throws `Misconfigured` naming it (never its value). */
export function loadConfig(env: Bindings): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  parses++;
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const settings = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '(root)')))];
    throw new Misconfigured(settings);
  }
  assertProductionSafe(result.data);
  parsed.set(env, result.data);
  return result.data;
}

/** Production refuses settings that are fine elsewhere (production-config.ts): `Misconfigured` naming each. */
export function assertProductionSafe(config: Config): void {
  const problems = productionProblems(config);
  if (problems.length) throw new Misconfigured([...new Set(problems.map((p) => p.setting))]);
}
