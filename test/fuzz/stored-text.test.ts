import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOOK_TIMEOUT } from '../support/catalog';
import { openShop, type Shop } from '../support/checkout';
import { api, createUser, type TestUser, withDb } from '../support/users';
import { deliveredOrder } from '../worker/returns/support';
import { INJECTION, UNICODE } from './hostile';

/**
 * Review text is data (docs/reviews.md): what an author or seller sends is
 * stored and answered exactly, as JSON (never HTML, never sniffed), whatever
 * markup, script or odd Unicode it holds. Excluded, with their own rules:
 * U+0000 (Postgres cannot store it: 400) and lone surrogates (not encodable
 * as UTF-8, so no JSON body can carry them to the database unchanged).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PAYLOADS = [
  ...INJECTION,
  ...UNICODE.filter((s) => s.length > 0 && !s.includes('\u0000') && !LONE_SURROGATE.test(s)),
  '<script>document.cookie</script>',
  '</textarea><iframe srcdoc="<script>parent.alert(1)</script>">',
  '&lt;b&gt;already escaped&lt;/b&gt; &amp; &#x3C;',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '  leading and trailing spaces  ',
];

let shop: Shop;
let author: TestUser;
let reviewId: string;

async function exactJson(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  return JSON.parse(await res.text()) as Record<string, unknown>;
}

describe('review text is stored and answered byte for byte, as JSON data', () => {
  beforeAll(async () => {
    shop = await openShop([1000], 10);
    author = await createUser('customer', 'hostile-text');
    await deliveredOrder(author, [[shop.skus[0] ?? '', 1]]);
    const res = await api('POST', `/products/${shop.productIds[0]}/reviews`, { token: author.accessToken, body: { stars: 3, title: PAYLOADS[0], body: PAYLOADS[1] } });
    expect(res.status, await res.clone().text()).toBe(201);
    reviewId = (await res.json<{ id: string }>()).id;
  }, HOOK_TIMEOUT);

  it.each(PAYLOADS.map((p, i) => [i, p] as const))('payload %i round-trips unchanged through the write, the read, the list and the database', async (_, payload) => {
    const title = payload.length <= 200 ? payload : payload.slice(0, 100);
    const written = await exactJson(await api('PATCH', `/reviews/${reviewId}`, { token: author.accessToken, body: { title, body: payload } }));
    expect(written.title).toBe(title);
    expect(written.body).toBe(payload);
    const read = await exactJson(await api('GET', `/reviews/${reviewId}`));
    expect([read.title, read.body]).toEqual([title, payload]);
    const listed = (await exactJson(await api('GET', `/products/${shop.productIds[0]}/reviews`))).data as Array<Record<string, unknown>>;
    expect(listed.find((r) => r.id === reviewId)?.body).toBe(payload);
    const rows = await withDb((db) => db.execute<{ title: string; body: string }>(sql`select title, body from reviews where id = ${reviewId}::uuid`));
    expect(rows.rows[0]).toEqual({ title, body: payload });
  });

  it('a seller\'s reply is data too; text Postgres cannot store is a 400 that changes nothing', async () => {
    const reply = '<img src=x onerror=alert(document.domain)>';
    const res = await api('POST', `/reviews/${reviewId}/reply`, { token: shop.seller.accessToken, body: { body: reply } });
    expect(res.status).toBe(201);
    expect(((await exactJson(res)).reply as { body: string }).body).toBe(reply);

    const before = await (await api('GET', `/reviews/${reviewId}`)).text();
    const refused = await api('PATCH', `/reviews/${reviewId}`, { token: author.accessToken, body: { body: 'a\u0000b' } });
    expect(refused.status).toBe(400);
    expect(await (await api('GET', `/reviews/${reviewId}`)).text()).toBe(before);
  });
});
