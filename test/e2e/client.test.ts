import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem, createClient, idempotencyKey, memoryStore, unwrap } from '../../client/src/index';
import { startStack, type Stack } from '../../scripts/stack/index';
import { DEMO_ACCOUNTS } from '../../scripts/stack/seed';
import { startWorkerRunner, type WorkerRunner } from '../../scripts/stack/workerd-runner';

/** The typed client (client/) against the bundled Worker running in workerd on the local stack. */
let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
const sent: Array<{ method: string; path: string; headers: Headers }> = [];

/** fetch that records what the client sent, so the tests can see its headers. */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init);
  sent.push({ method: request.method, path: new URL(request.url).pathname, headers: new Headers(request.headers) });
  return fetch(request);
};

beforeAll(async () => {
  stack = await startStack({ seed: true, catalogProducts: 12 });
  runner = await startWorkerRunner({
    bindings: { ...stack.bindings, APP_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' },
    outDir: 'test/out/bundle-client',
  });
}, 240_000);

afterAll(async () => {
  await runner?.close();
  await stack?.close();
});

const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer')!;
const newClient = (store = memoryStore()) => createClient({ baseUrl: runner!.entryUrl, store, fetch: recordingFetch });

describe('the typed client against the running Worker', () => {
  it('signs in, reads typed answers, and turns problems into ApiProblem values', async () => {
    const client = newClient();
    await client.signIn(customer.email, customer.password);
    const me = unwrap(await client.GET('/api/v1/users/me'));
    expect(me.email).toBe(customer.email);
    expect(me.role).toBe('customer');

    const page = unwrap(await client.GET('/api/v1/products', { params: { query: { limit: 5 } } }));
    expect(page.data.length).toBeGreaterThan(0);
    const first = page.data[0]!;
    const one = unwrap(await client.GET('/api/v1/products/{id}', { params: { path: { id: first.id } } }));
    expect(one.id).toBe(first.id);

    const missing = await client.GET('/api/v1/products/{id}', { params: { path: { id: 'no-such-product-slug' } } });
    expect(() => unwrap(missing)).toThrow(ApiProblem);
    try {
      unwrap(missing);
    } catch (err) {
      expect((err as ApiProblem).status).toBe(404);
      expect((err as ApiProblem).code).toBe('NOT_FOUND');
      expect((err as ApiProblem).problem.requestId).toBeTruthy();
    }
  });

  it('refreshes an expired access token once with the rotating refresh token, then repeats the request', async () => {
    const store = memoryStore();
    const seen: Array<string | undefined> = [];
    const client = createClient({ baseUrl: runner!.entryUrl, store, fetch: recordingFetch, onTokens: (t) => seen.push(t?.refreshToken) });
    const signedIn = await client.signIn(customer.email, customer.password);
    // An access token the server will not accept, as an expired one would be.
    store.setTokens({ ...signedIn, accessToken: `${signedIn.accessToken.slice(0, -4)}AAAA` });
    const [a, b] = await Promise.all([client.GET('/api/v1/users/me'), client.GET('/api/v1/auth/profile')]);
    expect(a.response.status).toBe(200);
    expect(b.response.status).toBe(200);
    // Both 401s shared one refresh: the token rotated once, and the old refresh token is spent.
    expect(seen).toHaveLength(2);
    expect(store.tokens()!.refreshToken).not.toBe(signedIn.refreshToken);
    const reused = await fetch(new URL('/api/v1/auth/refresh', runner!.entryUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: signedIn.refreshToken }),
    });
    expect(reused.status).toBe(401);
  });

  it('keeps the anonymous cart id from the answers and sends it back', async () => {
    const store = memoryStore();
    const client = newClient(store);
    const products = unwrap(await client.GET('/api/v1/products', { params: { query: { limit: 1 } } }));
    const sku = products.data[0]!.variants[0]!.sku;
    const added = unwrap(await client.POST('/api/v1/cart/items', { body: { sku, quantity: 1 } }));
    const cartId = store.cartId();
    expect(cartId).toBeTruthy();
    expect(added.id).toBe(cartId);
    const again = unwrap(await client.GET('/api/v1/cart'));
    expect(again.id).toBe(cartId);
    expect(again.lines.map((l) => l.sku)).toEqual([sku]);
    expect(sent.at(-1)?.headers.get('x-cart-id')).toBe(cartId);
  });

  it('puts an Idempotency-Key on every money write, and the same one on its retry after a refresh', async () => {
    const store = memoryStore();
    const client = newClient(store);
    const signedIn = await client.signIn(customer.email, customer.password);
    store.setTokens({ ...signedIn, accessToken: 'not-a-token' });
    const before = sent.length;
    const key = idempotencyKey();
    const placed = await client.POST('/api/v1/orders', { params: { header: { 'idempotency-key': key } }, body: { shippingAddress: ADDRESS } });
    // The cart is empty: a clear 400, after one refresh.
    expect(placed.response.status).toBe(400);
    const attempts = sent.slice(before).filter((s) => s.method === 'POST' && s.path === '/api/v1/orders');
    expect(attempts).toHaveLength(2);
    expect(attempts.map((a) => a.headers.get('idempotency-key'))).toEqual([key, key]);

    // A money write sent without one (an untyped caller) gets one made by the client, kept on its retry.
    store.setTokens({ ...store.tokens()!, accessToken: 'not-a-token' });
    const mark = sent.length;
    const untyped = client.POST as unknown as (path: string, init: { body: unknown }) => Promise<{ response: Response }>;
    expect((await untyped('/api/v1/orders', { body: { shippingAddress: ADDRESS } })).response.status).toBe(400);
    const made = sent.slice(mark).filter((s) => s.path === '/api/v1/orders').map((a) => a.headers.get('idempotency-key'));
    expect(made).toHaveLength(2);
    expect(made[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(made[1]).toBe(made[0]);
    // A read carries none.
    await client.GET('/api/v1/cart');
    expect(sent.at(-1)?.headers.get('idempotency-key')).toBeNull();
  });
});

const ADDRESS = {
  recipientName: 'Dilnoza Karimova',
  phone: '+998901234567',
  country: 'UZ',
  city: 'Toshkent',
  street: 'Amir Temur 1',
};
