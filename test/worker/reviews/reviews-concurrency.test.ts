import { describe, expect, inject, it } from 'vitest';
import { openShop } from '../../support/checkout';
import { createUser } from '../../support/users';
import { deliveredOrder } from '../returns/support';
import { expectRating, review, reviewApi, type ReviewBody } from './support';

// PGlite runs one transaction at a time: these races only really race on a real PostgreSQL (the backend project).
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

describe(`reviews under concurrency (${realPostgres ? 'real Postgres' : 'embedded, serialised'})`, () => {
  it('racing first reviews, edits, hides and votes leave the rating and the helpful count equal to the rows', { timeout: 120_000 }, async () => {
    const shop = await openShop([1500], 50);
    const [sku] = shop.skus as [string];
    const [productId] = shop.productIds as [string];
    const buyers = [];
    for (let i = 0; i < 5; i++) {
      const buyer = await createUser('customer', 'reviews-race');
      await deliveredOrder(buyer, [[sku, 1]]);
      buyers.push(buyer);
    }

    // Every buyer sends its first review twice at once: five written, five 409s.
    const body = (stars: number) => ({ stars, title: 'Race', body: 'At once.' });
    const sent = await Promise.all(buyers.flatMap((b, i) => [review(b, productId, body(i + 1)), review(b, productId, body(i + 1))]));
    expect(sent.map((r) => r.status).sort()).toEqual([...Array(5).fill(201), ...Array(5).fill(409)]);
    const written = await Promise.all(sent.filter((r) => r.status === 201).map((r) => r.json<ReviewBody>()));
    await expectRating(productId, { average: 3, count: 5 });

    // Edits of stars and hides of other reviews at the same time.
    const byAuthor = new Map(written.map((r) => [r.authorId, r]));
    const [first, second, third] = buyers.map((b) => byAuthor.get(b.id) as ReviewBody);
    await Promise.all([
      reviewApi(buyers[0], 'PATCH', `/${first?.id}`, { stars: 5 }),
      reviewApi(shop.admin, 'POST', `/${second?.id}/hide`, { reason: 'Off topic' }),
      reviewApi(shop.admin, 'POST', `/${second?.id}/hide`, { reason: 'Off topic' }),
      reviewApi(buyers[2], 'PATCH', `/${third?.id}`, { stars: 1 }),
      reviewApi(shop.admin, 'POST', `/${third?.id}/hide`, { reason: 'Spam' }),
    ]);
    // 1→5, 2 hidden, 3 hidden (whatever its stars became), 4 and 5 as written.
    await expectRating(productId, { average: 4.67, count: 3 });

    // Every voter votes twice at once on the first review: one vote each.
    const voters = buyers.slice(1);
    const votes = await Promise.all(voters.flatMap((v) => [reviewApi(v, 'PUT', `/${first?.id}/helpful`), reviewApi(v, 'PUT', `/${first?.id}/helpful`)]));
    expect(votes.every((r) => r.status === 200)).toBe(true);
    const now = await (await reviewApi(undefined, 'GET', `/${first?.id}`)).json<ReviewBody>();
    expect(now.helpfulCount).toBe(voters.length);
  });
});
