/**
 * State the cart, inventory, order and webhook benchmarks need on the running
 * stack: in-stock SKUs with their stock raised so a run cannot exhaust them,
 * signed-in users of their own, filled carts. Every loader is memoised per
 * Worker URL, so endpoints of one run share it.
 */
import { randomUUID } from 'node:crypto';

export const json = { 'content-type': 'application/json' };

/** Units on hand each benchmark SKU is set to before measuring: orders reserve one unit each, for minutes. */
export const BENCH_STOCK = 1_000_000;
/** SKUs in the benchmark pool (orders round-robin over them; reserve-release gives each connection its own). */
const POOL_SIZE = 50;

export const SHIPPING_ADDRESS = {
  recipientName: 'Bench Shopper',
  phone: '+998901234567',
  country: 'UZ',
  city: 'Toshkent',
  street: 'Bunyodkor ko‘chasi 1',
};

const DEMO_CUSTOMER = { email: 'customer@ultramarket.local', password: 'demo-customer-pass' };
// scripts/stack/seed.ts: the demo admin (SEED_ADMIN_* override it there too).
const DEMO_ADMIN = {
  email: process.env.SEED_ADMIN_EMAIL ?? 'admin@ultramarket.local',
  password: process.env.SEED_ADMIN_PASSWORD ?? 'demo-admin-pass',
};
/** Bytes of the file the download benchmark serves. */
const BENCH_FILE_BYTES = 64 * 1024;

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(options.body !== undefined ? json : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** `call`, but a non-2xx answer is an error. */
export async function callOk<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ body: T; headers: Headers }> {
  const r = await call(baseUrl, method, path, options);
  if (r.status >= 300) throw new Error(`bench setup: ${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return { body: (r.text ? JSON.parse(r.text) : undefined) as T, headers: r.headers };
}

const memo = new Map<string, Promise<unknown>>();
export function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    // A failed load is not kept: the next caller retries.
    value.catch(() => memo.delete(key));
    memo.set(key, value);
  }
  return value;
}

async function login(baseUrl: string, credentials: { email: string; password: string }): Promise<string> {
  const { body } = await callOk<{ accessToken: string }>(baseUrl, 'POST', '/api/v1/auth/login', { body: credentials });
  return body.accessToken;
}

/**
 * SKUs of published, in-stock products of the seeded catalog (one per
 * product), each set to BENCH_STOCK units on hand by the demo seller who owns
 * the demo catalog, so no run can sell them out.
 */
export const stockedSkus = (baseUrl: string) =>
  once(`skus ${baseUrl}`, async () => {
    const { body } = await callOk<{ data: Array<{ variants: Array<{ sku: string }> }> }>(
      baseUrl,
      'GET',
      // The cheapest: a UZS cart of them stays within what Stripe takes in one payment (the checkout benchmarks pay with Stripe).
      `/api/v1/products?inStock=true&limit=${POOL_SIZE}&sort=price_asc`,
    );
    const candidates = body.data.map((p) => p.variants[0]?.sku).filter((s): s is string => Boolean(s));
    if (!candidates.length) throw new Error('the catalog has no in-stock product: is the demo catalog seeded (--products)?');
    // The admin manages every SKU; the demo catalog's products belong to several sellers.
    const token = await login(baseUrl, DEMO_ADMIN);
    const skus: string[] = [];
    await Promise.all(
      candidates.map(async (sku) => {
        const r = await call(baseUrl, 'PUT', `/api/v1/inventory/${encodeURIComponent(sku)}`, { token, body: { onHand: BENCH_STOCK } });
        if (r.status < 300) skus.push(sku);
      }),
    );
    if (!skus.length) throw new Error(`bench setup: the demo admin could not raise the stock of any of ${candidates.join(', ')}`);
    return skus.sort();
  });

/** An anonymous cart with three lines (X-Cart-Id). */
export const preparedCart = (baseUrl: string) => once(`cart ${baseUrl}`, () => newThreeLineCart(baseUrl));

/** A new anonymous cart of three lines of stocked SKUs; its X-Cart-Id. */
async function newThreeLineCart(baseUrl: string): Promise<string> {
  const skus = await stockedSkus(baseUrl);
  let cartId: string | undefined;
  for (let i = 0; i < 3; i++) {
    const { headers } = await callOk(baseUrl, 'POST', '/api/v1/cart/items', {
      body: { sku: skus[i % skus.length], quantity: 1 + i },
      headers: cartId ? { 'X-Cart-Id': cartId } : {},
    });
    cartId ??= headers.get('X-Cart-Id') ?? undefined;
    if (!cartId) throw new Error('bench setup: POST /api/v1/cart/items returned no X-Cart-Id');
  }
  return cartId!;
}

export interface BenchUser {
  email: string;
  token: string;
}

/** `count` freshly registered customers (registration is PBKDF2-bound: done in parallel, once per run). */
export const benchUsers = async (baseUrl: string, count: number): Promise<BenchUser[]> => {
  const users = await once(`users ${baseUrl}`, () => Promise.resolve([] as BenchUser[]));
  const run = randomUUID().slice(0, 8);
  const missing = Math.max(0, count - users.length);
  const added = await Promise.all(
    Array.from({ length: missing }, async (_, i) => {
      const email = `bench-${run}-${i}@ultramarket.local`;
      const { body } = await callOk<{ accessToken: string }>(baseUrl, 'POST', '/api/v1/auth/register', {
        body: { email, password: `bench pass ${run} ${i}`, name: `Bench Shopper ${i}` },
      });
      return { email, token: body.accessToken };
    }),
  );
  users.push(...added);
  return users.slice(0, count);
};

/** An admin's access token (analytics). */
export const analyticsAdminToken = (baseUrl: string) => once(`admin ${baseUrl}`, () => login(baseUrl, DEMO_ADMIN));

/** The demo seller's access token (its seller orders, returns, balance). */
export const sellerToken = (baseUrl: string) =>
  once(`seller ${baseUrl}`, () => login(baseUrl, { email: 'seller@ultramarket.local', password: 'demo-seller-pass' }));

/**
 * A file uploaded by the demo customer (POST /api/v1/files, multipart field
 * `file`), with the owner's token to download it.
 */
export const uploadedFile = (baseUrl: string) =>
  once(`file ${baseUrl}`, async () => {
    const token = await login(baseUrl, DEMO_CUSTOMER);
    const form = new FormData();
    // Uploads are sniffed (PDF and common images only): a PDF signature, then filler.
    const bytes = new Uint8Array(BENCH_FILE_BYTES).map((_, i) => 32 + (i % 90));
    bytes.set(new TextEncoder().encode('%PDF-1.7\n'), 0);
    form.set('file', new Blob([bytes], { type: 'application/pdf' }), 'bench.pdf');
    const res = await fetch(`${baseUrl}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await res.text();
    if (!res.ok) throw new Error(`bench setup: POST /api/v1/files answered ${res.status}: ${text.slice(0, 300)}`);
    // The answer is the file, bare or wrapped: accept either rather than guess the final shape.
    const body = JSON.parse(text) as { id?: string; file?: { id?: string }; data?: { id?: string } };
    const id = body.id ?? body.file?.id ?? body.data?.id;
    if (!id) throw new Error(`bench setup: POST /api/v1/files answered no file id: ${text.slice(0, 300)}`);
    return { id, token };
  });

/** The region the shipping benchmark ships to: a zone of its own there, so no other order meets its methods. */
export const BENCH_SHIPPING_ADDRESS = { ...SHIPPING_ADDRESS, country: 'XB', regionCode: 'bench' };

export interface ShippingWorld {
  /** One SKU of the demo seller, one of a second seller. */
  skus: [string, string];
  /** POST /orders' `shipping`: the demo seller's own courier, the platform's post for the second seller. */
  choices: Array<{ sellerId: string; methodId: string }>;
}

/**
 * A two-seller cart with shipping methods (docs/shipping.md): a second seller
 * (registered, made a seller by the demo admin) with one product in the demo
 * catalog's currency; a zone over BENCH_SHIPPING_ADDRESS's region; the
 * platform's courier and post there, both flat, one chosen per seller.
 */
export const shippingWorld = (baseUrl: string) =>
  once(`shipping ${baseUrl}`, async (): Promise<ShippingWorld> => {
    const [skus, adminToken] = await Promise.all([stockedSkus(baseUrl), login(baseUrl, DEMO_ADMIN)]);
    const skuA = skus[0]!;
    const { body: page } = await callOk<{
      data: Array<{ categoryId: string; sellerId: string; mxik: string | null; packageCode: string | null; variants: Array<{ sku: string; price: number; currency: string }> }>;
    }>(
      baseUrl,
      'GET',
      '/api/v1/products?inStock=true&limit=100&sort=price_asc',
    );
    const productA = page.data.find((p) => p.variants.some((v) => v.sku === skuA));
    if (!productA) throw new Error(`bench setup: no product answers SKU ${skuA}`);
    const currency = productA.variants[0]!.currency;

    const run = randomUUID().slice(0, 8);
    const email = `bench-seller-${run}@ultramarket.local`;
    const password = `bench seller ${run}`;
    const { body: registered } = await callOk<{ user: { id: string } }>(baseUrl, 'POST', '/api/v1/auth/register', { body: { email, password, name: 'Bench Seller' } });
    await callOk(baseUrl, 'PATCH', `/api/v1/users/${registered.user.id}`, { token: adminToken, body: { role: 'seller' } });
    const sellerB = await login(baseUrl, { email, password });
    const skuB = `BENCH-${run}`;
    await callOk(baseUrl, 'POST', '/api/v1/products', {
      token: sellerB,
      body: {
        name: `Bench product ${run}`,
        categoryId: productA.categoryId,
        status: 'published',
        description: 'A product of the second bench seller.',
        // Its fiscal codes, as publishing requires where FISCAL_DATA_REQUIRED is on (the demo store).
        mxik: productA.mxik,
        packageCode: productA.packageCode,
        variants: [{ sku: skuB, price: productA.variants[0]!.price, currency, weightGrams: 800 }],
      },
    });
    await callOk(baseUrl, 'PUT', `/api/v1/inventory/${skuB}`, { token: sellerB, body: { onHand: BENCH_STOCK } });

    const names = { uz: 'Bench', ru: 'Bench', en: 'Bench' };
    const { body: zone } = await callOk<{ id: string }>(baseUrl, 'POST', '/api/v1/shipping/zones', {
      token: adminToken,
      body: { name: `Bench ${run}`, country: BENCH_SHIPPING_ADDRESS.country, regionCodes: [BENCH_SHIPPING_ADDRESS.regionCode] },
    });
    const method = async (token: string, kind: string, rate: Record<string, unknown>) =>
      (
        await callOk<{ id: string }>(baseUrl, 'POST', '/api/v1/shipping/methods', {
          token,
          body: { kind, names, currency, minDays: 1, maxDays: 3, rates: [{ zoneId: zone.id, ...rate }] },
        })
      ).body.id;
    // Flat, not by weight: the demo catalog's variants need not have a weight (a weight-priced method then is not offered).
    // Platform methods (the admin's): the demo catalog's products belong to several sellers.
    const courier = await method(adminToken, 'courier', { type: 'flat', amount: 1200 });
    const post = await method(adminToken, 'post', { type: 'flat', amount: 900 });
    return {
      skus: [skuA, skuB],
      choices: [
        { sellerId: productA.sellerId, methodId: courier },
        { sellerId: registered.user.id, methodId: post },
      ],
    };
  });

/** The demo code the cart-with-code entries enter (scripts/stack/demo-promotions.ts; an anonymous cart may use it). */
export const BENCH_DISCOUNT_CODE = 'FREESHIP';

/** An anonymous cart of three lines with the demo code entered (made once per run; apart from cart-get's cart). */
export const preparedCodedCart = (baseUrl: string) =>
  once(`coded cart ${baseUrl}`, async () => {
    const cartId = await newThreeLineCart(baseUrl);
    await callOk(baseUrl, 'POST', '/api/v1/cart/discounts', { body: { code: BENCH_DISCOUNT_CODE }, headers: { 'X-Cart-Id': cartId } });
    return cartId;
  });
