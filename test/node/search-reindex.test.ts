/**
 * `npm run search:reindex` end to end against embedded Postgres and a small
 * in-process stand-in for the Typesense endpoints the script uses (collections,
 * import, aliases). The stand-in only records and stores: it checks the
 * script's orchestration (new collection, batches, alias swap, old collection
 * dropped, nothing swapped on failure), not Typesense's search behaviour.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../scripts/stack/migrate';
import { startEmbeddedPostgres, type PostgresHandle } from '../../scripts/stack/postgres';

const run = promisify(execFile);
const API_KEY = 'reindex-test-key';
const PUBLISHED = 1_203;

interface FakeTypesense {
  url: string;
  collections: Map<string, { fields: Array<{ name: string }>; docs: Map<string, Record<string, unknown>> }>;
  aliases: Map<string, string>;
  imports: Array<{ collection: string; count: number; action: string | null }>;
  /** Imports answered 503 from this import number on (1-based); null: never. */
  failImportsFrom: number | null;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

async function startFakeTypesense(): Promise<FakeTypesense> {
  const fake = {
    collections: new Map(),
    aliases: new Map(),
    imports: [],
    failImportsFrom: null,
  } as unknown as FakeTypesense;
  const resolve = (name: string) => fake.aliases.get(name) ?? name;
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, payload: unknown, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.headers['x-typesense-api-key'] !== API_KEY) return send(401, { message: 'Forbidden' });
    const url = new URL(req.url ?? '/', 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean);
    const text = await body(req);
    const method = req.method ?? 'GET';

    if (parts[0] === 'aliases') {
      if (method === 'GET' && parts.length === 1) return send(200, { aliases: [...fake.aliases].map(([name, collection_name]) => ({ name, collection_name })) });
      if (method === 'PUT' && parts[1]) {
        const { collection_name } = JSON.parse(text) as { collection_name: string };
        if (!fake.collections.has(collection_name)) return send(404, { message: 'Not found.' });
        fake.aliases.set(parts[1], collection_name);
        return send(200, { name: parts[1], collection_name });
      }
    }
    if (parts[0] === 'collections') {
      if (method === 'POST' && parts.length === 1) {
        const schema = JSON.parse(text) as { name: string; fields: Array<{ name: string }> };
        if (fake.collections.has(schema.name)) return send(409, { message: 'already exists' });
        fake.collections.set(schema.name, { fields: schema.fields, docs: new Map() });
        return send(201, { ...schema, num_documents: 0 });
      }
      const name = parts[1] ? resolve(parts[1]) : '';
      const collection = fake.collections.get(name);
      if (parts.length === 2 && method === 'GET') return collection ? send(200, { name, fields: collection.fields, num_documents: collection.docs.size }) : send(404, { message: 'Not Found' });
      if (parts.length === 2 && method === 'DELETE') {
        if (!collection) return send(404, { message: 'Not Found' });
        fake.collections.delete(name);
        return send(200, { name });
      }
      if (parts[2] === 'documents' && parts[3] === 'import' && method === 'POST') {
        if (!collection) return send(404, { message: 'Not Found' });
        const lines = text.split('\n').filter(Boolean);
        fake.imports.push({ collection: name, count: lines.length, action: url.searchParams.get('action') });
        if (fake.failImportsFrom !== null && fake.imports.length >= fake.failImportsFrom) return send(503, { message: 'Not Ready or Lagging' });
        for (const line of lines) {
          const doc = JSON.parse(line) as Record<string, unknown>;
          collection.docs.set(String(doc.id), doc);
        }
        return send(200, lines.map(() => '{"success":true}').join('\n'), 'text/plain; charset=utf-8');
      }
      if (parts[2] === 'documents' && parts[3] && method === 'DELETE') {
        if (!collection?.docs.delete(parts[3])) return send(404, { message: 'Not Found' });
        return send(200, { id: parts[3] });
      }
    }
    send(404, { message: `fake has no ${method} ${url.pathname}` });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return fake;
}

describe('npm run search:reindex', () => {
  let postgres: PostgresHandle;
  let typesense: FakeTypesense;
  const ids = { root: '', child: '', inStock: '', unpublish: '' };

  async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  const reindex = (env: Record<string, string | undefined>) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/search-reindex.ts'], {
      // wrangler types narrows ProcessEnv to the Worker's vars; a child process takes any strings.
      env: { ...process.env, TYPESENSE_URL: undefined, TYPESENSE_API_KEY: undefined, TYPESENSE_COLLECTION: undefined, ...env } as unknown as NodeJS.ProcessEnv,
    });
  const configured = () => ({ DATABASE_URL: postgres.url, TYPESENSE_URL: typesense.url, TYPESENSE_API_KEY: API_KEY });

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres();
    await migrateDatabase(postgres.url);
    const [seller] = await sql<{ id: string }>(
      `insert into users (id, email, name, password_hash, role) values (gen_random_uuid(), 'reindex@example.test', 'Seller', 'x', 'seller') returning id`,
    );
    const [root] = await sql<{ id: string }>(`insert into categories (id, slug, name) values (gen_random_uuid(), 'root', 'Root') returning id`);
    const [child] = await sql<{ id: string }>(`insert into categories (id, parent_id, slug, name) values (gen_random_uuid(), $1, 'child', 'Child') returning id`, [root!.id]);
    ids.root = root!.id;
    ids.child = child!.id;
    // 1,203 published, 3 drafts, 2 deleted.
    await sql(
      `insert into products (id, seller_id, category_id, slug, name, status, min_price, currency, popularity, deleted_at)
       select md5(i::text)::uuid, $1, $2, 'p-' || i, 'Product ' || i,
              (case when i between ${PUBLISHED + 1} and ${PUBLISHED + 3} then 'draft' else 'published' end)::product_status,
              i * 100, 'USD', i, case when i > ${PUBLISHED + 3} then now() end
       from generate_series(1, ${PUBLISHED + 5}) i`,
      [seller!.id, child!.id],
    );
    ids.inStock = (await sql<{ id: string }>(`select md5('7')::uuid as id`))[0]!.id;
    ids.unpublish = (await sql<{ id: string }>(`select md5('8')::uuid as id`))[0]!.id;
    await sql(`insert into product_variants (id, product_id, sku, price, currency) values (gen_random_uuid(), $1, 'SKU-7', 700, 'USD')`, [ids.inStock]);
    await sql(`insert into inventory_levels (sku, on_hand, reserved, available) values ('SKU-7', 4, 1, 3)`);
  }, 120_000);

  afterAll(async () => {
    await postgres?.close();
  });

  beforeEach(async () => {
    await typesense?.close();
    typesense = await startFakeTypesense();
  });

  afterAll(async () => {
    await typesense?.close();
  });

  it('exits non-zero with a clear message when Typesense is not configured', async () => {
    const err = (await reindex({ DATABASE_URL: postgres.url }).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('Typesense is not configured: set TYPESENSE_URL and TYPESENSE_API_KEY');
    expect(typesense.collections.size).toBe(0);
  });

  it('exits non-zero without DATABASE_URL', async () => {
    const err = (await reindex({ ...configured(), DATABASE_URL: '' }).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('DATABASE_URL');
  });

  it('builds a new collection in batches of 500, points the alias at it, and drops the previous one', async () => {
    const first = await reindex(configured());
    expect(first.stdout).toContain(`Indexing ${PUBLISHED} products`);
    expect(typesense.aliases.size).toBe(1);
    const live = typesense.aliases.get('products')!;
    expect(live).toMatch(/^products_\d{8}T\d{9}Z$/);
    expect([...typesense.collections.keys()]).toEqual([live]);
    expect(typesense.imports.map((i) => [i.collection, i.count, i.action])).toEqual([
      [live, 500, 'upsert'],
      [live, 500, 'upsert'],
      [live, 203, 'upsert'],
    ]);
    const collection = typesense.collections.get(live)!;
    expect(collection.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['name', 'categoryPath', 'price', 'createdAt', 'sortId']));
    // Every live, published product, nothing else.
    const expected = await sql<{ id: string }>(`select id from products where status = 'published' and deleted_at is null`);
    expect([...collection.docs.keys()].sort()).toEqual(expected.map((r) => r.id).sort());
    expect(collection.docs.get(ids.inStock)).toMatchObject({ inStock: true, price: 700, categoryPath: [ids.child, ids.root], sortId: ids.inStock });
    expect(collection.docs.get(ids.unpublish)).toMatchObject({ inStock: false });

    // Second run: a product was unpublished since; the alias moves and the first collection goes.
    await sql(`update products set status = 'draft' where id = $1`, [ids.unpublish]);
    typesense.imports.length = 0;
    const second = await reindex(configured());
    expect(second.stdout).toContain(`Dropped ${live}`);
    const next = typesense.aliases.get('products')!;
    expect(next).not.toBe(live);
    expect([...typesense.collections.keys()]).toEqual([next]);
    expect(typesense.collections.get(next)!.docs.size).toBe(PUBLISHED - 1);
    expect(typesense.collections.get(next)!.docs.has(ids.unpublish)).toBe(false);
    await sql(`update products set status = 'published' where id = $1`, [ids.unpublish]);
  }, 120_000);

  it('replaces a plain collection that has the alias name', async () => {
    typesense.collections.set('shop', { fields: [], docs: new Map([['old', { id: 'old' }]]) });
    await reindex({ ...configured(), TYPESENSE_COLLECTION: 'shop' });
    const live = typesense.aliases.get('shop')!;
    expect(live).toMatch(/^shop_/);
    expect([...typesense.collections.keys()]).toEqual([live]);
    expect(typesense.collections.get(live)!.docs.size).toBe(PUBLISHED);
  }, 120_000);

  it('leaves the alias and the live collection alone when indexing fails', async () => {
    typesense.collections.set('products_live', { fields: [], docs: new Map() });
    typesense.aliases.set('products', 'products_live');
    typesense.failImportsFrom = 2;
    const err = (await reindex(configured()).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('search:reindex failed');
    expect(err.stderr).toContain('alias products is unchanged');
    expect(typesense.aliases.get('products')).toBe('products_live');
    // The half-built collection is dropped.
    expect([...typesense.collections.keys()]).toEqual(['products_live']);
  }, 120_000);
});
