/**
 * `npm run dev`: the whole API on this machine with nothing but Node.js.
 * Starts the local stack (embedded Postgres unless DATABASE_URL, in-memory
 * Redis unless REDIS_URL), applies migrations, seeds demo data (accounts and
 * a small demo catalog, shipping zones and methods), then runs `wrangler dev`
 * with the stack's addresses, and once it answers makes the demo orders.
 * Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { acquireDevLock, createDevOutputFilter, devJwtSecret, devVarOverrides, lineSplitter, requireNode22, wranglerBucketName } from './dev-setup';

// Before anything starts: wrangler refuses Node < 22 only after the database and stand-ins are up.
requireNode22();
const { startStack } = await import('./stack');
const { catalogStats } = await import('./stack/demo-catalog');
const { DEMO_ACCOUNTS } = await import('./stack/seed');
const { seedDemoOrders } = await import('./stack/demo-orders');
const { countMissingDemoImages, DEV_PERSIST_DIR, openPersistedBucket, persistedBucketExists, seedDemoImages } = await import('./stack/demo-images');

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const log = (line: string) => console.log(`[dev] ${line}`);
/** Products of the demo catalog `npm run dev` seeds (`npm run db:seed -- --products N` for more). */
const DEV_CATALOG_PRODUCTS = 200;
const dataDir = `${root}.data`;
// Two dev servers on one .data/ would corrupt the embedded database.
const releaseLock = acquireDevLock(dataDir);

const stack = await startStack({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : `${dataDir}/pglite`,
  redisUrl: process.env.REDIS_URL,
  seed: true,
  catalogProducts: DEV_CATALOG_PRODUCTS,
  stripeSecretKey: process.env.STRIPE_SECRET_KEY,
  log,
});
// The stand-in delivers signed webhooks to this Worker, as Stripe would.
stack.stripe?.setWebhookUrl(`http://127.0.0.1:${port}/api/v1/webhooks/stripe`);
// The Payme sandbox calls this Worker's Merchant API endpoint, as Payme Business would.
stack.payme.setEndpoint(`http://127.0.0.1:${port}/api/v1/payments/payme`);
// The Click sandbox calls this Worker's Prepare and Complete endpoints, as Click calls the URLs registered in its cabinet.
stack.click?.setMerchantUrls({
  prepareUrl: `http://127.0.0.1:${port}/api/v1/payments/click/prepare`,
  completeUrl: `http://127.0.0.1:${port}/api/v1/payments/click/complete`,
});
const catalog = await catalogStats(stack.bindings.DATABASE_URL);
await seedImages();

/**
 * The demo products' images, drawn locally and stored in the R2 bucket that
 * `wrangler dev` serves (its local storage, kept across restarts): opened
 * only when some image or the bucket itself is missing.
 */
async function seedImages() {
  const bucketName = wranglerBucketName(readFileSync(`${root}wrangler.toml`, 'utf8'), 'FILES');
  if (!bucketName) throw new Error('wrangler.toml binds no R2 bucket as FILES');
  const started = performance.now();
  const options = { products: DEV_CATALOG_PRODUCTS };
  if (persistedBucketExists(DEV_PERSIST_DIR, bucketName) && (await countMissingDemoImages(stack.bindings.DATABASE_URL, options)) === 0) {
    log(`r2: demo product images in place (checked in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  const { bucket, close } = await openPersistedBucket(DEV_PERSIST_DIR, bucketName);
  try {
    const opened = performance.now();
    const added = await seedDemoImages(stack.bindings.DATABASE_URL, bucket, options);
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    log(
      `r2: demo product images seeded in ${seconds(performance.now() - started)} s, ${seconds(opened - started)} s of it opening the bucket ` +
        `(new: ${added.images} images, ${added.objects} objects written)`,
    );
  } finally {
    await close();
  }
}

const vars: Record<string, string> = {
  ...stack.bindings,
  // Kept in .data/ so a restart does not sign everybody out.
  JWT_SECRET: process.env.JWT_SECRET ?? devJwtSecret(dataDir),
  // /api/v1/dev/*: the local email outbox (emails go there while EMAIL_PROVIDER_URL is unset).
  DEV_ROUTES: 'true',
  // Buyers' Payme checkout links open the local sandbox's pages.
  PAYME_CHECKOUT_BASE: stack.payme.checkoutBase,
  // Real Stripe test mode: the key, and the whsec_ that `stripe listen` prints.
  ...(process.env.STRIPE_SECRET_KEY && !stack.stripe
    ? { STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? '' }
    : {}),
  // SMS go to the Eskiz stand-in (its outbox holds the sign-in codes), which posts delivery reports back here.
  ...(stack.eskiz
    ? {
        ESKIZ_BASE_URL: stack.eskiz.apiBase,
        ESKIZ_EMAIL: stack.eskiz.email,
        ESKIZ_PASSWORD: stack.eskiz.password,
        ESKIZ_CALLBACK_BASE: `http://127.0.0.1:${port}`,
        ESKIZ_CALLBACK_KEY: 'dev-eskiz-callback-key',
      }
    : {}),
  // Any [vars] setting of wrangler.toml set in the environment wins, e.g. CORS_ORIGINS=http://127.0.0.1:5173.
  ...devVarOverrides(`${root}wrangler.toml`, process.env),
};
// Local R2, Durable Objects and queues are kept in DEV_PERSIST_DIR (where the demo images were put) across restarts.
const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', '--persist-to', DEV_PERSIST_DIR];
for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);

const wrangler = spawn(`${root}node_modules/.bin/wrangler`, args, {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  // Offline is a normal state for local work: no metrics upload and no update check, whose failures print stack traces.
  env: {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    NO_UPDATE_NOTIFIER: '1',
    // Request.cf is a fixed placeholder locally instead of a download from workers.cloudflare.com.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  },
});
let announced = false;
const keepLine = createDevOutputFilter();
const stdoutLines = lineSplitter((line) => {
  if (keepLine(line)) process.stdout.write(`${line}\n`);
  if (!announced && /Ready on/i.test(line)) {
    announced = true;
    announce();
    void seedOrders();
  }
});
wrangler.stdout.setEncoding('utf8');
wrangler.stdout.on('data', (chunk: string) => stdoutLines.push(chunk));
wrangler.stdout.on('end', () => stdoutLines.flush());

function announce() {
  const base = `http://127.0.0.1:${port}`;
  const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin');
  console.log(
    [
      '',
      `  UltraMarket API   ${base}/api/v1`,
      `  Health            ${base}/health/ready`,
      `  API reference     ${base}/docs`,
      `  Email outbox      ${base}/api/v1/dev/outbox  (every email the API "sent"; ?to=address)`,
      ...(stack.eskiz ? [`  SMS outbox        ${stack.eskiz.url}/outbox  (every SMS, sign-in codes included; /outbox/latest?phone=+998…)`] : []),
      `  Catalog           ${catalog.products} products (${catalog.published} published), ${catalog.variants} variants, ` +
        `${catalog.categories} categories: ${base}/api/v1/products?limit=5`,
      `  Demo logins       ${DEMO_ACCOUNTS.filter((a) => a.role !== 'seller').map((a) => `${a.email} / ${a.password}`).join(',  ')}`,
      ...DEMO_ACCOUNTS.filter((a) => a.role === 'seller').map(
        (a, i) => `  ${i === 0 ? 'Demo sellers' : ''}`.padEnd(20) + `${a.email} / ${a.password}  ${a.name}: ${a.departments?.join(', ') ?? ''}`,
      ),
      `  Pay with Payme    place an order with payment {"provider":"payme"} and open its payment.checkoutUrl: ` +
        `the local Payme sandbox (${stack.payme.url}) pays it through ${base}/api/v1/payments/payme`,
      `  Product images    PNGs drawn by the seeder, served from local R2: each product's images[0], e.g. ${base}/api/v1/products?limit=1`,
      `  Log in            curl -X POST ${base}/api/v1/auth/login -H 'content-type: application/json' \\`,
      `                      -d '{"email":"${admin?.email}","password":"${admin?.password}"}'`,
      ...(stack.click
        ? [
            `  Pay with Click    POST ${base}/api/v1/orders with "payment": {"provider": "click"}, then open the answer's`,
            `                    payment.checkoutUrl (the Click sandbox's page, ${stack.click.checkoutBase}) and press Pay`,
          ]
        : []),
      '',
    ].join('\n'),
  );
}

/**
 * The demo customer's orders in every state (scripts/stack/demo-orders.ts), made
 * through the API once the Worker answers: only while the demo customer has no
 * order, and only with the local Stripe stand-in (it pays them). SEED_DEMO_ORDERS=false skips it.
 */
async function seedOrders() {
  if (!stack.stripe || process.env.SEED_DEMO_ORDERS === 'false') return;
  const started = performance.now();
  try {
    const made = await seedDemoOrders(`http://127.0.0.1:${port}/api/v1`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(made ? `demo orders: ${made.length} orders in every state made in ${seconds} s` : `demo orders: in place (checked in ${seconds} s)`);
  } catch (err) {
    log(`demo orders: not made: ${err instanceof Error ? err.message : String(err)}`);
  }
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (wrangler.exitCode === null) wrangler.kill('SIGINT');
  await stack.close();
  releaseLock();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 0));
