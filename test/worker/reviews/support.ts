import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { api, type TestUser, withDb } from '../../support/users';

export interface ReviewBody {
  id: string;
  productId: string;
  sellerId: string;
  authorId: string;
  stars: number;
  title: string;
  body: string;
  helpfulCount: number;
  votedHelpful: boolean;
  reply: { body: string; sellerId: string } | null;
  hidden: { reason: string; at: string } | null;
  editableUntil: string;
}

export interface Rating {
  average: number | null;
  count: number;
}

export const review = (user: TestUser | undefined, productId: string, body: Record<string, unknown>) =>
  api('POST', `/products/${productId}/reviews`, { token: user?.accessToken, body });

/** Writes a review; fails unless 201. */
export async function reviewed(user: TestUser, productId: string, stars: number, extra: Record<string, unknown> = {}): Promise<ReviewBody> {
  const res = await review(user, productId, { stars, title: `${stars} stars`, body: 'As described.', ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<ReviewBody>();
}

/** The product's rating as an anonymous shopper reads it (through the catalog cache). */
export async function ratingOf(productId: string): Promise<Rating> {
  const res = await api('GET', `/products/${productId}`);
  expect(res.status).toBe(200);
  return (await res.json<{ rating: Rating }>()).rating;
}

/** The rating recounted from the visible reviews: what the kept columns must always equal. */
export async function recount(productId: string): Promise<Rating> {
  const rows = await withDb((db) =>
    db.execute<{ average: string | null; count: number }>(sql`
      select round(avg(stars), 2) as average, count(*)::int as count from reviews where product_id = ${productId}::uuid and hidden_at is null`),
  );
  const row = rows.rows[0];
  return { average: row?.average === null || row?.average === undefined ? null : Number(row.average), count: Number(row?.count ?? 0) };
}

/** The product's answer carries exactly the recount. */
export async function expectRating(productId: string, expected: Rating): Promise<void> {
  expect(await recount(productId)).toEqual(expected);
  expect(await ratingOf(productId)).toEqual(expected);
}

export const reviewApi = (user: TestUser | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  api(method, `/reviews${path}`, { token: user?.accessToken, body, headers });
