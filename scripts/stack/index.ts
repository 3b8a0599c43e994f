import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { seedDemoCatalog } from './demo-catalog';
import { migrateDatabase } from './migrate';
import { createScratchDatabase, externalPostgres, startEmbeddedPostgres, type PostgresHandle } from './postgres';
import { seedDemoData } from './seed';
import { seedDemoShipping } from './demo-shipping';
import { seedDemoPromotions } from './demo-promotions';
import { type StripeStandin, startStripeStandin } from './stripe-standin';
import { type PaymeSandbox, startPaymeSandbox } from './payme-sandbox';
import { type ClickSandbox, startClickSandbox } from './click-sandbox';
import { startUpstashRest } from './upstash-rest';
import { startWsProxy } from './ws-proxy';
import { startNeonHttp } from './neon-http';
import { type EskizStandin, startEskizStandin } from './eskiz-standin';

export interface StackOptions {
  /** Use this Postgres as it is (development against a real server). */
  databaseUrl?: string;
  /** Create a fresh database on this server and drop it on close (tests). */
  scratchDatabaseOn?: string;
  /** Embedded Postgres data folder; in memory when absent. */
  dataDir?: string;
  /** Real Redis behind the local Upstash endpoint; in-memory when absent. */
  redisUrl?: string;
  /** Prefix for every Redis key the Worker writes; with a real Redis, its keys are deleted on close. */
  redisKeyPrefix?: string;
  seed?: boolean;
  /** A real Stripe secret key: no stand-in is started. */
  stripeSecretKey?: string;
  /**
   * Also seed the demo catalog (scripts/stack/demo-catalog.ts, default seed)
   * with this many products, after the demo accounts (seeded then even
   * without `seed`). Idempotent: only missing products are inserted.
   */
  catalogProducts?: number;
  /** Progress of the catalog seeding, in products. */
  catalogProgress?: (done: number, total: number) => void;
  log?: (line: string) => void;
}

/** Bindings the Worker needs to reach the stack (merged into its env). */
export interface StackBindings {
  DATABASE_URL: string;
  NEON_WS_PROXY: string;
  NEON_HTTP_ENDPOINT: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  REDIS_KEY_PREFIX: string;
  [name: string]: string;
}

export interface Stack {
  bindings: StackBindings;
  postgres: PostgresHandle;
  redisBackend: 'redis' | 'memory';
  /** The Stripe stand-in, unless a real Stripe key was given. */
  stripe?: StripeStandin;
  /** The local Payme (checkout pages, and the caller of POST /api/v1/payments/payme once its endpoint is set). */
  payme: PaymeSandbox;
  /** The Click sandbox (always local: Click has no public test server); dev.ts points it at the Worker. */
  click?: ClickSandbox;
  /** The Eskiz SMS stand-in and its outbox; dev.ts points the Worker at it (tests choose it per test). */
  eskiz?: EskizStandin;
  close(): Promise<void>;
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The local stand-ins for the hosted services, shared by `npm run dev`, the
 * test suite's global setup and the benchmarks: Postgres (embedded PGlite, a
 * scratch database on a real server, or a given URL) with migrations applied,
 * the WebSocket proxy and HTTP SQL endpoint the Neon driver needs, and an Upstash-compatible REST
 * endpoint over in-memory or real Redis.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((err) => log(`close failed: ${String(err)}`));
  };
  try {
    const postgres = options.scratchDatabaseOn
      ? await createScratchDatabase(options.scratchDatabaseOn)
      : options.databaseUrl
        ? externalPostgres(options.databaseUrl)
        : await startEmbeddedPostgres({ dataDir: options.dataDir });
    closers.push(() => postgres.close());
    log(`postgres: ${postgres.kind === 'embedded' ? `embedded PGlite (${options.dataDir ?? 'in memory'})` : 'external'}`);

    await migrateDatabase(postgres.url);
    log('postgres: migrations applied');
    if (options.seed || options.catalogProducts) {
      const { created } = await seedDemoData(postgres.url);
      log(`postgres: demo data seeded (${created} new rows)`);
    }
    if (options.catalogProducts) {
      const started = performance.now();
      const added = await seedDemoCatalog(postgres.url, { products: options.catalogProducts, onProgress: options.catalogProgress });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(
        `postgres: demo catalog of ${options.catalogProducts} products seeded in ${seconds} s ` +
          `(new: ${added.categories} categories, ${added.products} products, ${added.variants} variants)`,
      );
      // Zones, methods and pickup points in the demo catalog's currency (no whole-country zone).
      const shipping = await seedDemoShipping(postgres.url);
      log(`postgres: demo shipping seeded (${shipping.created} new rows)`);
      // Automatic promotions and codes (WELCOME10, FREESHIP, AUTUMN-01…05) in the same currency.
      const promotions = await seedDemoPromotions(postgres.url);
      log(`postgres: demo promotions seeded (${promotions.created} new rows)`);
    }

    const proxy = await startWsProxy();
    closers.push(() => proxy.close());
    // Neon's HTTP SQL path (single statements, batches) in front of the same Postgres.
    const neonHttp = await startNeonHttp();
    closers.push(() => neonHttp.close());
    log(`postgres: Neon WebSocket proxy ${proxy.address}, Neon HTTP SQL endpoint ${neonHttp.url}`);

    const prefix = options.redisKeyPrefix ?? 'um:';
    const token = randomBytes(24).toString('hex');
    const redis = await startUpstashRest({ token, redisUrl: options.redisUrl });
    closers.push(() => redis.close());
    if (options.redisUrl && options.redisKeyPrefix) {
      const redisUrl = options.redisUrl;
      // Runs before the endpoint closes (closers run in reverse): our keys only.
      closers.push(() => deleteKeys(redisUrl, prefix));
    }
    log(`redis: Upstash REST endpoint ${redis.url} over ${redis.backend === 'redis' ? 'real Redis' : 'in-memory Redis'}`);

    // Stripe: the local stand-in unless a real key is given (then the Worker talks to Stripe itself).
    const realStripe = options.stripeSecretKey && !options.stripeSecretKey.includes('standin');
    const stripe = realStripe ? undefined : await startStripeStandin({ log: options.log });
    if (stripe) closers.push(() => stripe.close());
    log(stripe ? `stripe: local stand-in ${stripe.url}` : 'stripe: real Stripe (STRIPE_SECRET_KEY)');
    const payme = await startPaymeSandbox({ log: options.log });
    closers.push(() => payme.close());
    log(`payme: local sandbox ${payme.url}`);

    // Click: the local sandbox plays Click's payment page and merchant API (scripts/stack/click-sandbox.ts).
    const click = await startClickSandbox({ log: options.log });
    closers.push(() => click.close());
    log(`click: local sandbox ${click.url}`);

    // Eskiz: the SMS stand-in (scripts/stack/eskiz-standin.ts); its outbox is where the codes are read.
    const eskiz = await startEskizStandin({ log: options.log });
    closers.push(() => eskiz.close());
    log(`eskiz: local stand-in ${eskiz.url} (SMS outbox ${eskiz.url}/outbox)`);

    return {
      bindings: {
        DATABASE_URL: postgres.url,
        NEON_WS_PROXY: proxy.address,
        NEON_HTTP_ENDPOINT: neonHttp.url,
        UPSTASH_REDIS_REST_URL: redis.url,
        UPSTASH_REDIS_REST_TOKEN: token,
        REDIS_KEY_PREFIX: prefix,
        ...(stripe
          ? { STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_BASE: stripe.url }
          : {}),
        // The sandbox's credentials; `npm run dev` also points PAYME_CHECKOUT_BASE at its pages (tests keep Payme's https base).
        PAYME_MERCHANT_ID: payme.merchantId,
        PAYME_KEY: payme.key,
        CLICK_SERVICE_ID: click.serviceId,
        CLICK_MERCHANT_ID: click.merchantId,
        CLICK_MERCHANT_USER_ID: click.merchantUserId,
        CLICK_SECRET_KEY: click.secretKey,
        CLICK_CHECKOUT_BASE: click.checkoutBase,
        CLICK_API_BASE: click.apiBase,
      },
      postgres,
      redisBackend: redis.backend,
      stripe,
      payme,
      click,
      eskiz,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
