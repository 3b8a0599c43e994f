/**
 * `npm run db:seed [-- --products N --seed S]`: inserts the demo accounts,
 * then the demo catalog (scripts/stack/demo-catalog.ts) with N products
 * (default 200; 0 for accounts only), into DATABASE_URL. Local databases
 * only. Idempotent: running it again adds only what is missing, and a larger
 * N adds the products that a smaller one did not.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEFAULT_CATALOG_SEED, MAX_CATALOG_PRODUCTS, catalogStats, seedDemoCatalog } from './stack/demo-catalog';
import { seedDemoData } from './stack/seed';
import { seedDemoShipping } from './stack/demo-shipping';
import { seedDemoPromotions } from './stack/demo-promotions';

const USAGE = 'usage: npm run db:seed -- [--products N] [--seed S]   (DATABASE_URL must be set)';
const DEFAULT_PRODUCTS = 200;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n > max) fail(`--${name} must be an integer from 0 to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

let values;
try {
  ({ values } = parseArgs({ options: { products: { type: 'string', short: 'n' }, seed: { type: 'string' } }, strict: true, allowPositionals: false }));
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
const products = integer('products', values.products, DEFAULT_PRODUCTS, MAX_CATALOG_PRODUCTS);
const seed = integer('seed', values.seed, DEFAULT_CATALOG_SEED, 0xffffffff);

const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is not set.');

const { created } = await seedDemoData(url);
console.log(`demo accounts seeded (${created} new rows)`);

if (products > 0) {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'catalog [{bar}] {percentage}% | {value}/{total} products | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let barStarted = false;
  const added = await seedDemoCatalog(url, {
    products,
    seed,
    onProgress: (done, total) => {
      if (!barStarted) {
        bar.start(total, done);
        barStarted = true;
      } else bar.update(done);
    },
  }).finally(() => bar.stop());
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const stats = await catalogStats(url);
  console.log(
    `demo catalog (seed ${seed}, ${products} products) seeded in ${seconds} s: ` +
      `${added.categories} categories, ${added.products} products and ${added.variants} variants added; ` +
      `the database now has ${stats.products} products (${stats.published} published) in ${stats.categories} categories`,
  );
}

const shipping = await seedDemoShipping(url);
console.log(`demo shipping zones, methods and pickup points seeded (${shipping.created} new rows)`);

const promotions = await seedDemoPromotions(url);
console.log(`demo promotions and codes seeded (${promotions.created} new rows)`);
