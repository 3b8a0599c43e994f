import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDepartments, demoProductGenerator } from '../../scripts/stack/demo-catalog';
import { demoImageOf, seedDemoImages } from '../../scripts/stack/demo-images';
import { startStack, type Stack } from '../../scripts/stack/index';
import { DEMO_ACCOUNTS, DEMO_SELLERS } from '../../scripts/stack/seed';
import { startWorkerRunner, type WorkerRunner } from '../../scripts/stack/workerd-runner';

/** The demo store as `npm run dev` seeds it (images in the Worker's R2, several sellers), against the bundled Worker in workerd. */
const PRODUCTS = 40;
let stack: Stack | undefined;
let runner: WorkerRunner | undefined;

beforeAll(async () => {
  stack = await startStack({ seed: true, catalogProducts: PRODUCTS });
  runner = await startWorkerRunner({
    bindings: { ...stack.bindings, APP_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' },
    outDir: 'test/out/bundle-demo-store',
  });
  const seeded = await seedDemoImages(stack.bindings.DATABASE_URL, await runner.bucket('FILES'), { products: PRODUCTS });
  expect(seeded.images).toBe(PRODUCTS);
}, 240_000);

afterAll(async () => {
  await runner?.close();
  await stack?.close();
});

interface ProductAnswer {
  id: string;
  slug: string;
  sellerId: string;
  status: string;
  images: string[];
  variants: Array<{ sku: string; available: number }>;
}

const api = (path: string, init?: RequestInit) => fetch(new URL(path, runner!.entryUrl), init);

async function allProducts(): Promise<ProductAnswer[]> {
  const res = await api(`/api/v1/products?limit=100`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: ProductAnswer[] }).data;
}

describe('the demo store', () => {
  it("lists each product's generated image, which the Worker serves from R2 as image/png", async () => {
    const products = await allProducts();
    expect(products.length).toBeGreaterThan(10);
    for (const p of products) expect(p.images[0]).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);

    const generate = demoProductGenerator();
    const departments = demoDepartments();
    const byId = new Map(Array.from({ length: PRODUCTS }, (_, i) => generate(i)).map((p) => [p.id, p]));
    for (const p of products.slice(0, 3)) {
      const res = await api(p.images[0]!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // Exactly the bytes the seeder drew for this product.
      const expected = demoImageOf(byId.get(p.id)!, departments);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(expected.sha256);
      expect(res.headers.get('etag')).toBe(`"${expected.sha256}"`);
    }
  });

  it('has products of several sellers, each of whom can sign in', async () => {
    const products = (await allProducts()).filter((p) => p.status === 'published' && p.variants.some((v) => v.available > 0));
    const sellers = new Set(products.map((p) => p.sellerId));
    expect(sellers.size).toBeGreaterThan(1);
    for (const seller of DEMO_SELLERS) {
      const res = await api('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: seller.email, password: seller.password }),
      });
      expect(res.status, seller.email).toBe(200);
    }
  });

  it('takes a cart of two sellers’ products to one order with a seller order per seller', async () => {
    const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer')!;
    const login = await api('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: customer.email, password: customer.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };

    const inStock = (await allProducts()).filter((p) => p.status === 'published' && p.variants.some((v) => v.available > 0));
    const first = inStock[0]!;
    const second = inStock.find((p) => p.sellerId !== first.sellerId)!;
    expect(second).toBeDefined();
    for (const p of [first, second]) {
      const sku = p.variants.find((v) => v.available > 0)!.sku;
      const res = await api('/api/v1/cart/items', { method: 'POST', headers: auth, body: JSON.stringify({ sku, quantity: 1 }) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
    const placed = await api('/api/v1/orders', {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        shippingAddress: { recipientName: 'Dilnoza', phone: '+998901234567', country: 'UZ', city: 'Toshkent', street: 'Bunyodkor 1' },
        // The demo store sells in UZS (tiyin): cash on delivery takes any amount, where Stripe stops at eight digits.
        payment: { provider: 'cash' },
      }),
    });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const { order } = (await placed.json()) as { order: { id: string } };

    const db = new pg.Client({ connectionString: stack!.bindings.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ seller_id: string }>('select seller_id from seller_orders where order_id = $1 order by seller_id', [order.id]);
      expect(rows.map((r) => r.seller_id)).toEqual([first.sellerId, second.sellerId].sort());
    } finally {
      await db.end();
    }
  });
});
