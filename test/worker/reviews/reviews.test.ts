import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { HOOK_TIMEOUT } from '../../support/catalog';
import { buy, openShop, payAndSettle, type Shop } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { upload } from '../../authz/platform-fixtures';
import { deliveredOrder, markDelivered, sellerOrdersOf } from '../returns/support';
import { expectRating, review, reviewApi, reviewed, type ReviewBody } from './support';

const DAY = 86_400_000;

/** One shop of three products; buyers A, B, C each received all three (one order each). */
let shop: Shop;
let products: [string, string, string];
let buyers: [TestUser, TestUser, TestUser];

beforeAll(async () => {
  shop = await openShop([1000, 2000, 3000], 100);
  products = shop.productIds as [string, string, string];
  buyers = [await createUser('customer', 'reviews-a'), await createUser('customer', 'reviews-b'), await createUser('customer', 'reviews-c')];
  for (const buyer of buyers) await deliveredOrder(buyer, shop.skus.map((sku) => [sku, 1] as [string, number]));
}, HOOK_TIMEOUT);

describe('writing a review', () => {
  it('only after delivery, once per product per buyer; photos must be the author\'s public images', async () => {
    const [p] = products;
    const late = await createUser('customer', 'reviews-late');
    const body = { stars: 4, title: 'Good', body: 'Fine.' };
    await expectProblem(await review(late, p, body), 403, 'FORBIDDEN');
    const placed = await buy(late, [[shop.skus[0] ?? '', 1]]);
    await payAndSettle(late, placed);
    // Paid, not delivered: still not a buyer who received it.
    await expectProblem(await review(late, p, body), 403, 'FORBIDDEN');
    for (const so of await sellerOrdersOf(placed.order.id)) await markDelivered(so.id);

    const privatePhoto = await upload(late, 'private');
    const othersPhoto = await upload(buyers[0], 'public');
    const bad = await expectProblem(await review(late, p, { ...body, photoFileIds: [privatePhoto, othersPhoto] }), 400, 'VALIDATION_FAILED');
    expect(bad.errors?.map((e) => e.path)).toEqual(['photoFileIds.0', 'photoFileIds.1']);

    const photo = await upload(late, 'public');
    const first = await reviewed(late, p, 4, { photoFileIds: [photo] });
    expect(first).toMatchObject({ productId: p, sellerId: shop.seller.id, authorId: late.id, photoFileIds: [photo], hidden: null, reply: null });
    const again = await expectProblem(await review(late, p, body), 409, 'CONFLICT');
    expect(again.reviewId).toBe(first.id);
    await expectProblem(await review(late, crypto.randomUUID(), body), 404, 'NOT_FOUND');
    await expectProblem(await review(late, p, { ...body, stars: 6 }), 400, 'VALIDATION_FAILED');
  });

  it('keeps the product rating equal to its visible reviews through create, edit and hide; the author sees the reason', async () => {
    const [, p] = products;
    const [a, b] = buyers;
    await expectRating(p, { average: null, count: 0 });
    const ra = await reviewed(a, p, 5);
    const rb = await reviewed(b, p, 2);
    await expectRating(p, { average: 3.5, count: 2 });

    const edited = await reviewApi(a, 'PATCH', `/${ra.id}`, { stars: 3, title: 'Changed my mind' });
    expect(edited.status, await edited.clone().text()).toBe(200);
    expect(await edited.json()).toMatchObject({ stars: 3, title: 'Changed my mind', body: 'As described.' });
    await expectRating(p, { average: 2.5, count: 2 });
    // Someone else's review: readable, not editable.
    await expectProblem(await reviewApi(b, 'PATCH', `/${ra.id}`, { stars: 1 }), 403, 'FORBIDDEN');

    await expectProblem(await reviewApi(a, 'POST', `/${rb.id}/hide`, { reason: 'Nope' }), 403, 'FORBIDDEN');
    const hid = await reviewApi(shop.admin, 'POST', `/${rb.id}/hide`, { reason: 'Contains a phone number' });
    expect(hid.status, await hid.clone().text()).toBe(200);
    await expectRating(p, { average: 3, count: 1 });
    // Hiding again changes only the reason; the rating stays.
    await reviewApi(shop.admin, 'POST', `/${rb.id}/hide`, { reason: 'Contains a phone number and a link' });
    await expectRating(p, { average: 3, count: 1 });

    await expectProblem(await reviewApi(undefined, 'GET', `/${rb.id}`), 404, 'NOT_FOUND');
    await expectProblem(await reviewApi(a, 'GET', `/${rb.id}`), 404, 'NOT_FOUND');
    const mine = await (await reviewApi(b, 'GET', '/mine')).json<{ data: ReviewBody[] }>();
    expect(mine.data.find((r) => r.id === rb.id)?.hidden?.reason).toBe('Contains a phone number and a link');
    const list = await (await api('GET', `/products/${p}/reviews`)).json<{ data: ReviewBody[] }>();
    expect(list.data.map((r) => r.id)).toEqual([ra.id]);
    // An edit of a hidden review does not count it back in.
    expect((await reviewApi(b, 'PATCH', `/${rb.id}`, { stars: 5 })).status).toBe(200);
    await expectRating(p, { average: 3, count: 1 });

    expect((await reviewApi(shop.admin, 'POST', `/${rb.id}/unhide`)).status).toBe(200);
    await expectRating(p, { average: 4, count: 2 });
    // Over the seller's products: 4 on the first (the previous case), 3 and 5 here.
    expect(await (await api('GET', `/sellers/${shop.seller.id}/rating`)).json()).toEqual({ sellerId: shop.seller.id, average: 4, count: 3 });
    await expectProblem(await api('GET', `/sellers/${a.id}/rating`), 404, 'NOT_FOUND');
  });

  it('is editable for REVIEW_EDIT_DAYS after writing it (30 by default), then 409', async () => {
    const [, , p] = products;
    const [, , c] = buyers;
    const r = await reviewed(c, p, 4);
    expect(Date.parse(r.editableUntil) - Date.now()).toBeGreaterThan(29 * DAY);
    await withDb((db) => db.execute(sql`update reviews set created_at = now() - interval '31 days' where id = ${r.id}::uuid`));
    const closed = await expectProblem(await reviewApi(c, 'PATCH', `/${r.id}`, { body: 'Later thoughts' }), 409, 'CONFLICT');
    expect(Date.parse(String(closed.editableUntil))).toBeLessThan(Date.now());
  });
});

describe('what others add to a review', () => {
  it('the product\'s seller replies once; another seller 404, a customer 403', async () => {
    const [p] = products;
    const [a] = buyers;
    const r = await reviewed(a, p, 5);
    const other = await createUser('seller', 'reviews-other-seller');
    await expectProblem(await reviewApi(other, 'POST', `/${r.id}/reply`, { body: 'Hi' }), 404, 'NOT_FOUND');
    await expectProblem(await reviewApi(a, 'POST', `/${r.id}/reply`, { body: 'Hi' }), 403, 'FORBIDDEN');
    const replied = await reviewApi(shop.seller, 'POST', `/${r.id}/reply`, { body: 'Thank you!' });
    expect(replied.status, await replied.clone().text()).toBe(201);
    expect((await replied.json<ReviewBody>()).reply).toMatchObject({ body: 'Thank you!', sellerId: shop.seller.id });
    await expectProblem(await reviewApi(shop.seller, 'POST', `/${r.id}/reply`, { body: 'Again' }), 409, 'CONFLICT');
  });

  it('helpful votes: one per user, idempotent both ways, not on one\'s own; the list sorts by them and pages by cursor', async () => {
    const [, p] = products;
    const [a, b, c] = buyers;
    const list = async (query: string, user?: TestUser) => (await api('GET', `/products/${p}/reviews${query}`, { token: user?.accessToken })).json<{ data: ReviewBody[]; nextCursor: string | null }>();
    const { data } = await list('');
    const ra = data.find((r) => r.authorId === a.id) as ReviewBody;
    const rb = data.find((r) => r.authorId === b.id) as ReviewBody;

    await expectProblem(await reviewApi(a, 'PUT', `/${ra.id}/helpful`), 403, 'FORBIDDEN');
    await expectProblem(await reviewApi(undefined, 'PUT', `/${ra.id}/helpful`), 401, 'UNAUTHENTICATED');
    for (const voter of [b, c, c]) expect(await (await reviewApi(voter, 'PUT', `/${ra.id}/helpful`)).json()).toMatchObject({ votedHelpful: true });
    expect(await (await reviewApi(c, 'PUT', `/${rb.id}/helpful`)).json()).toMatchObject({ helpfulCount: 1 });
    expect(await (await reviewApi(b, 'DELETE', `/${ra.id}/helpful`)).json()).toMatchObject({ helpfulCount: 1, votedHelpful: false });
    expect(await (await reviewApi(b, 'DELETE', `/${ra.id}/helpful`)).json()).toMatchObject({ helpfulCount: 1, votedHelpful: false });
    expect(await (await reviewApi(b, 'PUT', `/${ra.id}/helpful`)).json()).toMatchObject({ helpfulCount: 2, votedHelpful: true });

    // Newest first by default; by votes with sort=helpful; one row per page with a cursor.
    expect((await list('')).data.map((r) => r.id)).toEqual([rb.id, ra.id]);
    const first = await list('?sort=helpful&limit=1', c);
    expect(first.data.map((r) => [r.id, r.helpfulCount, r.votedHelpful])).toEqual([[ra.id, 2, true]]);
    const second = await list(`?sort=helpful&limit=1&cursor=${first.nextCursor}`);
    expect(second.data.map((r) => [r.id, r.helpfulCount, r.votedHelpful])).toEqual([[rb.id, 1, false]]);
    expect(second.nextCursor).toBeNull();
    expect((await list('?stars=5')).data.map((r) => r.id)).toEqual([rb.id]);
    await expectProblem(await api('GET', `/products/${p}/reviews?sort=helpful&cursor=${encodeURIComponent(btoa('{"id":"x"}'))}`), 400, 'VALIDATION_FAILED');
    await expectProblem(await api('GET', `/products/${crypto.randomUUID()}/reviews`), 404, 'NOT_FOUND');
  });

  it('anyone reports a review, REVIEW_REPORT_RATE_LIMIT an hour per network (anonymous) or per user', async () => {
    const [p] = products;
    const { data } = await (await api('GET', `/products/${p}/reviews`)).json<{ data: ReviewBody[] }>();
    const id = data[0]?.id ?? '';
    const ip = { 'cf-connecting-ip': `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
    for (let i = 0; i < 10; i++) expect((await reviewApi(undefined, 'POST', `/${id}/reports`, { reason: 'Spam link' }, ip)).status).toBe(202);
    await expectProblem(await reviewApi(undefined, 'POST', `/${id}/reports`, { reason: 'Spam link' }, ip), 429, 'RATE_LIMITED');
    // A signed-in reporter has its own allowance, from the same address.
    expect((await reviewApi(buyers[2], 'POST', `/${id}/reports`, { reason: 'Spam link' }, ip)).status).toBe(202);
    const rows = await withDb((db) => db.execute<{ n: number }>(sql`select count(*)::int as n from review_reports where review_id = ${id}::uuid`));
    expect(rows.rows[0]?.n).toBe(11);
  });

  it('admins read the reported reviews, the latest reported first, with counts and reasons; hiding moves one to hidden=true', async () => {
    const [, , p] = products;
    const target = await reviewed(buyers[0], p, 1);
    const other = await reviewed(buyers[1], p, 2);
    const report = (id: string, reason: string) => reviewApi(buyers[2], 'POST', `/${id}/reports`, { reason });
    expect((await report(target.id, 'Rude <script>alert(1)</script>')).status).toBe(202);
    expect((await report(other.id, 'Off topic')).status).toBe(202);
    expect((await report(target.id, 'Spam')).status).toBe(202);
    const admin = await createUser('admin', 'reviews-moderator');
    type Queue = { data: Array<{ review: ReviewBody; reports: { count: number; latestReasons: string[] } }>; nextCursor: string | null };
    const queue = async (query: string) => {
      const res = await api('GET', `/reviews/reported${query}`, { token: admin.accessToken });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json<Queue>();
    };
    const first = await queue('?limit=1&hidden=false');
    expect(first.data[0]?.review.id).toBe(target.id);
    expect(first.data[0]?.reports).toMatchObject({ count: 2, latestReasons: ['Spam', 'Rude <script>alert(1)</script>'] });
    const second = await queue(`?limit=1&hidden=false&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.data[0]?.review.id).toBe(other.id);

    expect((await reviewApi(admin, 'POST', `/${target.id}/hide`, { reason: 'Abusive' })).status).toBe(200);
    expect((await queue('?hidden=false')).data.map((r) => r.review.id)).not.toContain(target.id);
    expect((await queue('?hidden=true')).data.map((r) => r.review.id)).toContain(target.id);
    await expectProblem(await api('GET', '/reviews/reported', { token: buyers[0].accessToken }), 403, 'FORBIDDEN');
    await expectProblem(await api('GET', '/reviews/reported?hidden=maybe', { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });
});

describe('ratings in the catalog', () => {
  it('listings sort by rating (best first, unrated last) and filter by a minimum rating', async () => {
    const ids = async (query: string) =>
      (await (await api('GET', `/products?seller=${shop.seller.id}&${query}`)).json<{ data: Array<{ id: string; rating: { average: number | null } }> }>()).data.map((x) => [x.id, x.rating.average]);
    const byRating = await ids('sort=rating');
    const averages = byRating.map(([, average]) => Number(average ?? 0));
    expect(averages).toEqual([...averages].sort((x, y) => y - x));
    expect(byRating).toHaveLength(3);
    const paged = await (await api('GET', `/products?seller=${shop.seller.id}&sort=rating&limit=2`)).json<{ nextCursor: string }>();
    const rest = await (await api('GET', `/products?seller=${shop.seller.id}&sort=rating&limit=2&cursor=${paged.nextCursor}`)).json<{ data: Array<{ id: string }> }>();
    expect(rest.data.map((x) => x.id)).toEqual([byRating[2]?.[0]]);
    const good = await ids('minRating=4.5');
    expect(good.every(([, average]) => Number(average) >= 4.5)).toBe(true);
    expect(good.length).toBe(byRating.filter(([, average]) => Number(average ?? 0) >= 4.5).length);
    await expectProblem(await api('GET', '/products?minRating=6'), 400, 'VALIDATION_FAILED');
  });
});
