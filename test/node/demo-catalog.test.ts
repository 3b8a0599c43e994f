import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEARCH, demoDepartments, seedDemoCatalog } from '../../scripts/stack/demo-catalog';
import { migrateDatabase } from '../../scripts/stack/migrate';
import { startEmbeddedPostgres, type PostgresHandle } from '../../scripts/stack/postgres';
import { DEMO_SELLERS, demoSellerOf, seedDemoData } from '../../scripts/stack/seed';

/** pg_trgm word similarity the Postgres search engine accepts as a typo (workers/search/postgres.ts). */
const TYPO_THRESHOLD = 0.4;

async function query<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const one = async <T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) => (await query<T>(url, text, params))[0]!;

/**
 * A digest of the catalog's rows, every column but the seller id (the demo
 * seller's id is random per database) and the generated search vector.
 * `where` restricts the products (and their variants and stock).
 */
async function catalogDigest(url: string, where = 'true'): Promise<Record<string, string>> {
  return one(
    url,
    `select
      (select md5(coalesce(string_agg(concat_ws('|', id, parent_id, slug, name, description, position, created_at, updated_at), E'\\n' order by id), ''))
         from categories) as categories,
      (select md5(coalesce(string_agg(concat_ws('|', id, category_id, slug, name, description, status, attributes::text, images::text,
              min_price, currency, popularity, created_at, updated_at, deleted_at), E'\\n' order by id), ''))
         from products p where ${where}) as products,
      (select md5(coalesce(string_agg(concat_ws('|', v.id, v.product_id, v.sku, v.price, v.compare_at_price, v.currency, v.options::text,
              v.weight_grams, v.position), E'\\n' order by v.id), ''))
         from product_variants v join products p on p.id = v.product_id where ${where}) as variants,
      (select md5(coalesce(string_agg(concat_ws('|', il.sku, il.on_hand, il.reserved, il.available, il.updated_at), E'\\n' order by il.sku), ''))
         from inventory_levels il join product_variants v on v.sku = il.sku join products p on p.id = v.product_id where ${where}) as stock`,
  );
}

const counts = (url: string) =>
  one<{ categories: number; products: number; variants: number; stock: number }>(
    url,
    `select (select count(*)::int from categories) as categories, (select count(*)::int from products) as products,
      (select count(*)::int from product_variants) as variants, (select count(*)::int from inventory_levels) as stock`,
  );

describe('the demo catalog', () => {
  let a: PostgresHandle;
  let b: PostgresHandle;
  let c: PostgresHandle;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startEmbeddedPostgres(), startEmbeddedPostgres(), startEmbeddedPostgres()]);
    await Promise.all([a, b, c].map((db) => migrateDatabase(db.url)));
    // c gets its demo accounts in the first test.
    await Promise.all([a, b].map((db) => seedDemoData(db.url)));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b, c].filter(Boolean).map((db) => db.close()));
  });

  it('needs the demo sellers', async () => {
    await expect(seedDemoCatalog(c.url, { products: 10 })).rejects.toThrow(/seller@ultramarket\.local.*bazaar@ultramarket\.local/);
    expect((await counts(c.url)).products).toBe(0);
    await seedDemoData(c.url);
  });

  let firstIds: string[] = [];

  it('is the same for the same seed, ids included, and reports progress', async () => {
    const progress: Array<[number, number]> = [];
    const seededA = await seedDemoCatalog(a.url, { products: 300, seed: 7, onProgress: (done, total) => progress.push([done, total]) });
    const seededB = await seedDemoCatalog(b.url, { products: 300, seed: 7 });
    expect(seededA).toEqual(seededB);
    expect(seededA.products).toBe(300);
    expect(seededA.categories).toBeGreaterThanOrEqual(30);
    expect(seededA.variants).toBeGreaterThanOrEqual(300);
    expect(seededA.variants).toBeLessThanOrEqual(1200);
    expect(progress[0]).toEqual([0, 300]);
    expect(progress.at(-1)).toEqual([300, 300]);

    const digestA = await catalogDigest(a.url);
    expect(await catalogDigest(b.url)).toEqual(digestA);
    firstIds = (await query<{ id: string }>(a.url, 'select id from products order by id')).map((r) => r.id);
    expect(firstIds).toHaveLength(300);
  }, 60_000);

  it('differs with another seed, and two seeds share a database', async () => {
    await seedDemoCatalog(c.url, { products: 300, seed: 8 });
    const [seven, eight] = [await catalogDigest(a.url), await catalogDigest(c.url)];
    expect(eight.categories).toBe(seven.categories);
    expect(eight.products).not.toBe(seven.products);
    expect(eight.variants).not.toBe(seven.variants);

    const before = await catalogDigest(b.url);
    const added = await seedDemoCatalog(b.url, { products: 300, seed: 8 });
    expect(added).toEqual({ categories: 0, products: 300, variants: expect.any(Number) });
    expect((await counts(b.url)).products).toBe(600);
    // Seed 7's rows are untouched, and seed 8's are the same as in c.
    expect(await catalogDigest(b.url, `p.id = any('{${firstIds.join(',')}}'::uuid[])`)).toEqual(before);
    expect((await catalogDigest(b.url, `not (p.id = any('{${firstIds.join(',')}}'::uuid[]))`)).products).toBe(eight.products);
  }, 60_000);

  it('adds nothing when run again', async () => {
    const before = await counts(a.url);
    const digest = await catalogDigest(a.url);
    expect(await seedDemoCatalog(a.url, { products: 300, seed: 7 })).toEqual({ categories: 0, products: 0, variants: 0 });
    expect(await counts(a.url)).toEqual(before);
    expect(await catalogDigest(a.url)).toEqual(digest);
  }, 60_000);

  it('adds exactly the missing products when asked for more, leaving the others as they were', async () => {
    const digest = await catalogDigest(a.url);
    const before = await counts(a.url);
    const added = await seedDemoCatalog(a.url, { products: 450, seed: 7 });
    expect(added.categories).toBe(0);
    expect(added.products).toBe(150);
    const after = await counts(a.url);
    expect(after.products).toBe(450);
    expect(after.variants - before.variants).toBe(added.variants);
    expect(after.stock - before.stock).toBe(added.variants);
    expect(await catalogDigest(a.url, `p.id = any('{${firstIds.join(',')}}'::uuid[])`)).toEqual(digest);
    // A smaller catalog of the same seed is a prefix of the larger one.
    await seedDemoCatalog(b.url, { products: 450, seed: 7 });
    expect(await catalogDigest(b.url, `p.slug like '%-7_____'`)).toEqual(await catalogDigest(a.url));
  }, 60_000);

  it('is well formed', async () => {
    const url = a.url;
    const facts = await one<Record<string, number | string>>(
      url,
      `select
        (select count(*)::int from products p where not exists (select 1 from product_variants v where v.product_id = p.id)) as without_variants,
        (select count(*)::int - count(distinct sku)::int from product_variants) as duplicate_skus,
        (select count(*)::int from product_variants where price <= 0 or compare_at_price < price or currency <> 'UZS' or weight_grams <= 0) as bad_prices,
        -- Shelf prices in tiyin that are round so'm figures (multiples of 500 so'm), VAT included.
        (select count(*)::int from product_variants where price % 50000 <> 0 or compare_at_price % 50000 <> 0) as unround_prices,
        (select count(*)::int from products where mxik is null or mxik !~ '^[0-9]{17}$' or package_code is null) as without_fiscal_codes,
        (select count(*)::int from products p where min_price <> (select min(price) from product_variants v where v.product_id = p.id)) as bad_min_price,
        (select count(*)::int from product_variants v where not exists (select 1 from inventory_levels il where il.sku = v.sku)) as without_stock,
        (select count(*)::int from inventory_levels where available <> on_hand - reserved or available < 0 or reserved < 0) as bad_stock,
        (select count(*)::int from inventory_levels where available = 0) as out_of_stock,
        (select count(*)::int from inventory_levels) as skus,
        (select count(*)::int from products where status = 'draft') as drafts,
        (select count(*)::int from products where status not in ('draft', 'published')) as other_status,
        (select count(*)::int from products where not (attributes ? 'brand')) as without_brand,
        (select count(*)::int from product_variants where sku !~ '^[A-Za-z0-9][A-Za-z0-9._-]*$' or length(sku) > 64) as bad_skus,
        (select count(*)::int from products where slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or length(slug) > 120) as bad_slugs,
        (select count(*)::int from products where created_at > updated_at or created_at < now() - interval '3 years') as bad_times,
        (select count(*)::int from products p where p.attributes ? 'colour' and not exists (select 1 from product_variants v
           where v.product_id = p.id and v.options ->> 'colour' = p.attributes ->> 'colour')) as colour_mismatch,
        (select count(distinct category_id)::int from products) as categories_used,
        (select count(*)::int from products p where exists (select 1 from categories c where c.parent_id = p.category_id)) as in_inner_categories`,
    );
    expect(facts).toMatchObject({
      without_variants: 0,
      duplicate_skus: 0,
      bad_prices: 0,
      unround_prices: 0,
      without_fiscal_codes: 0,
      bad_min_price: 0,
      without_stock: 0,
      bad_stock: 0,
      other_status: 0,
      without_brand: 0,
      bad_skus: 0,
      bad_slugs: 0,
      bad_times: 0,
      in_inner_categories: 0,
      colour_mismatch: 0,
    });
    // Roughly 10% of SKUs out of stock and 5% drafts (450 products: loose bounds).
    expect(Number(facts.out_of_stock) / Number(facts.skus)).toBeGreaterThan(0.03);
    expect(Number(facts.out_of_stock) / Number(facts.skus)).toBeLessThan(0.2);
    expect(Number(facts.drafts)).toBeGreaterThan(5);
    expect(Number(facts.drafts)).toBeLessThan(50);
    expect(Number(facts.categories_used)).toBeGreaterThan(25);
    // Each product is sold by the seller of its department.
    const sold = await query<{ category: string; email: string }>(
      url,
      'select c.slug as category, u.email from products p join categories c on c.id = p.category_id join users u on u.id = p.seller_id',
    );
    const departmentOf = demoDepartments();
    for (const row of sold) expect(row.email, row.category).toBe(demoSellerOf(departmentOf.get(row.category)!).email);
    // Every demo seller sells something: a cart can hold several sellers' products.
    const perSeller = await query<{ email: string; n: number }>(
      url,
      'select u.email, count(*)::int as n from products p join users u on u.id = p.seller_id group by u.email order by u.email',
    );
    expect(perSeller.map((r) => r.email).sort()).toEqual(DEMO_SELLERS.map((s) => s.email).sort());
    for (const row of perSeller) expect(row.n).toBeGreaterThan(20);

    // Prices are integers (minor units) and variants number 1–4.
    const variants = await query<{ price: string; n: number }>(
      url,
      'select v.price::text, (select count(*)::int from product_variants w where w.product_id = v.product_id) as n from product_variants v',
    );
    for (const v of variants) {
      expect(v.price).toMatch(/^[1-9]\d*$/);
      expect(v.n).toBeGreaterThanOrEqual(1);
      expect(v.n).toBeLessThanOrEqual(4);
    }

    // Ids are UUIDv7 whose timestamp is the row's creation time: id order is creation order.
    const rows = await query<{ id: string; created_at: Date }>(url, 'select id, created_at from products order by id');
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(row.id.replace(/-/g, '').slice(0, 12), 16)).toBe(row.created_at.getTime());
    }
    const spread = rows.at(-1)!.created_at.getTime() - rows[0]!.created_at.getTime();
    expect(spread).toBeGreaterThan(250 * 86_400_000);
    expect(spread).toBeLessThanOrEqual(365 * 86_400_000);
  }, 60_000);

  it('has categories that form a tree: 6 roots, every node reaching one within three levels', async () => {
    const categories = await query<{ id: string; parent_id: string | null; slug: string }>(a.url, 'select id, parent_id, slug from categories');
    const byId = new Map(categories.map((c) => [c.id, c]));
    const roots = categories.filter((c) => c.parent_id === null);
    expect(roots.map((r) => r.slug).sort()).toEqual(['beauty', 'books', 'electronics', 'fashion', 'home-kitchen', 'sports-outdoors']);
    for (const category of categories) {
      let node = category;
      const seen = new Set<string>();
      while (node.parent_id !== null) {
        expect(seen.has(node.id), `cycle at ${node.slug}`).toBe(false);
        seen.add(node.id);
        const parent = byId.get(node.parent_id);
        expect(parent, `${node.slug}'s parent`).toBeDefined();
        node = parent!;
      }
      expect(seen.size).toBeLessThanOrEqual(2);
    }
    for (const root of roots) {
      const children = categories.filter((c) => c.parent_id === root.id).length;
      expect(children).toBeGreaterThanOrEqual(2);
      expect(children).toBeLessThanOrEqual(5);
    }
  });

  it('names products with the demo search word, and its misspelling finds them by trigram similarity', async () => {
    const found = await one<{ word: number; typo: number; total: number }>(
      a.url,
      `select count(*) filter (where search_vector @@ websearch_to_tsquery('simple', $1))::int as word,
        count(*) filter (where word_similarity($2, lower(name)) >= $3)::int as typo, count(*)::int as total from products`,
      [DEMO_SEARCH.word, DEMO_SEARCH.typo, TYPO_THRESHOLD],
    );
    expect(found.word / found.total).toBeGreaterThan(0.03);
    expect(found.typo).toBeGreaterThanOrEqual(found.word * 0.9);
  });
});
