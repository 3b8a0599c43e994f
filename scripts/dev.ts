/**
 * `npm run dev`: the whole API on this machine with nothing but Node.js.
 * Starts the local stack (embedded Postgres unless DATABASE_URL, in-memory
 * Redis unless REDIS_URL), applies migrations, seeds demo data (accounts and
 * a small demo catalog), then runs `wrangler dev` with the stack's addresses.
 * Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack';
import { catalogStats } from './stack/demo-catalog';
import { DEMO_ACCOUNTS } from './stack/seed';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const log = (line: string) => console.log(`[dev] ${line}`);
/** Products of the demo catalog `npm run dev` seeds (`npm run db:seed -- --products N` for more). */
const DEV_CATALOG_PRODUCTS = 200;

const stack = await startStack({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : `${root}.data/pglite`,
  redisUrl: process.env.REDIS_URL,
  seed: true,
  catalogProducts: DEV_CATALOG_PRODUCTS,
  stripeSecretKey: process.env.STRIPE_SECRET_KEY,
  log,
});
// The stand-in delivers signed webhooks to this Worker, as Stripe would.
stack.stripe?.setWebhookUrl(`http://127.0.0.1:${port}/api/v1/webhooks/stripe`);
const catalog = await catalogStats(stack.bindings.DATABASE_URL);

const vars: Record<string, string> = {
  ...stack.bindings,
  // A fresh secret each start: restarting signs everybody out, which is fine locally.
  JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
  // /api/v1/dev/*: the local email outbox (emails go there while EMAIL_PROVIDER_URL is unset).
  DEV_ROUTES: 'true',
  // Real Stripe test mode: the key, and the whsec_ that `stripe listen` prints.
  ...(process.env.STRIPE_SECRET_KEY && !stack.stripe
    ? { STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? '' }
    : {}),
};
const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);

const wrangler = spawn(`${root}node_modules/.bin/wrangler`, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
let announced = false;
wrangler.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/i.test(chunk.toString())) {
    announced = true;
    const base = `http://127.0.0.1:${port}`;
    const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin');
    console.log(
      [
        '',
        `  UltraMarket API   ${base}/api/v1`,
        `  Health            ${base}/health/ready`,
        `  API reference     ${base}/docs`,
        `  Email outbox      ${base}/api/v1/dev/outbox  (every email the API "sent"; ?to=address)`,
        `  Catalog           ${catalog.products} products (${catalog.published} published), ${catalog.variants} variants, ` +
          `${catalog.categories} categories: ${base}/api/v1/products?limit=5`,
        `  Demo logins       ${DEMO_ACCOUNTS.map((a) => `${a.email} / ${a.password}`).join(',  ')}`,
        `  Log in            curl -X POST ${base}/api/v1/auth/login -H 'content-type: application/json' \\`,
        `                      -d '{"email":"${admin?.email}","password":"${admin?.password}"}'`,
        '',
      ].join('\n'),
    );
  }
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (wrangler.exitCode === null) wrangler.kill('SIGINT');
  await stack.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 0));
