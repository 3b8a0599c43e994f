import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { files, products, reviews, reviewVotes, users } from '../../shared/db/schema';
import { ValidationFailed } from '../../shared/errors';
import type { ListReviewsQuery, Review } from './schemas';

/**
 * The SQL behind reviews. Every read is one statement that builds the API's
 * JSON in Postgres; the text columns go into it untouched (JSON-escaped by
 * json_build_object, never HTML-escaped or trimmed).
 */

export const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A review as the API's JSON: `r` the review, `u` its author; `viewer` decides `votedHelpful`. */
export function reviewJson(deps: Deps, viewer: Principal | undefined): SQL {
  const voted = viewer
    ? sql`exists (select 1 from ${reviewVotes} rv where rv.review_id = r.id and rv.user_id = ${viewer.userId}::uuid)`
    : sql`false`;
  return sql`json_build_object(
    'id', r.id, 'productId', r.product_id, 'sellerId', r.seller_id, 'authorId', r.author_id, 'authorName', u.name,
    'stars', r.stars, 'title', r.title, 'body', r.body, 'photoFileIds', to_json(r.photo_file_ids),
    'helpfulCount', r.helpful_count, 'votedHelpful', ${voted}, 'reply', r.reply,
    'hidden', case when r.hidden_at is null then null else json_build_object('reason', r.hidden_reason, 'at', ${iso(sql`r.hidden_at`)}) end,
    'editableUntil', ${iso(sql`(r.created_at + make_interval(days => ${deps.config.REVIEW_EDIT_DAYS}::int))`)},
    'editedAt', ${iso(sql`r.edited_at`)}, 'createdAt', ${iso(sql`r.created_at`)}, 'updatedAt', ${iso(sql`r.updated_at`)})`;
}

/** Who sees a review: everyone while it is visible; its author and admins once hidden. */
function visibleTo(viewer: Principal | undefined): SQL {
  if (viewer?.role === 'admin') return sql`true`;
  if (viewer) return sql`(r.hidden_at is null or r.author_id = ${viewer.userId}::uuid)`;
  return sql`r.hidden_at is null`;
}

export async function loadReview(deps: Deps, id: string, viewer: Principal | undefined): Promise<Review | undefined> {
  const rows = await deps.db.execute<{ review: Review }>(sql`
    select ${reviewJson(deps, viewer)} as review from ${reviews} r join ${users} u on u.id = r.author_id
    where r.id = ${id}::uuid and ${visibleTo(viewer)}`);
  return rows.rows[0]?.review;
}

/** Keyset position: the last row's id, and its helpful count under `sort=helpful`. */
export interface ReviewCursor {
  id: string;
  k?: number;
}

/** A page (limit + 1 rows) of a product's visible reviews, in the chosen order. */
export async function productReviewsPage(deps: Deps, viewer: Principal | undefined, productId: string, q: ListReviewsQuery, after: ReviewCursor | undefined) {
  const where: SQL[] = [sql`r.product_id = ${productId}::uuid`, sql`r.hidden_at is null`];
  if (q.stars !== undefined) where.push(sql`r.stars = ${q.stars}`);
  const helpful = q.sort === 'helpful';
  if (after) where.push(helpful ? sql`(r.helpful_count, r.id) < (${after.k ?? 0}, ${after.id}::uuid)` : sql`r.id < ${after.id}::uuid`);
  const order = helpful ? sql`r.helpful_count desc, r.id desc` : sql`r.id desc`;
  const rows = await deps.db.execute<{ review: Review; k: number }>(sql`
    select ${reviewJson(deps, viewer)} as review, r.helpful_count as k from ${reviews} r join ${users} u on u.id = r.author_id
    where ${sql.join(where, sql` and `)} order by ${order} limit ${q.limit + 1}`);
  return rows.rows;
}

/** A page (limit + 1 rows) of the caller's own reviews, hidden ones with their reason, newest first. */
export async function authorReviewsPage(deps: Deps, author: Principal, limit: number, afterId: string | undefined) {
  const after = afterId ? sql`and r.id < ${afterId}::uuid` : sql``;
  const rows = await deps.db.execute<{ review: Review }>(sql`
    select ${reviewJson(deps, author)} as review from ${reviews} r join ${users} u on u.id = r.author_id
    where r.author_id = ${author.userId}::uuid ${after} order by r.id desc limit ${limit + 1}`);
  return rows.rows.map((r) => r.review);
}

/** Whether the product exists (and is not deleted): a list of its reviews is a 404 otherwise. */
export async function productExists(deps: Deps, productId: string): Promise<boolean> {
  const rows = await deps.db.execute(sql`select 1 from ${products} where id = ${productId}::uuid and deleted_at is null`);
  return rows.rows.length > 0;
}

/** The photos must be live public images the author uploaded; otherwise a 400 naming each. */
export async function assertOwnPhotos(deps: Deps, author: Principal, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const owned = await deps.db.execute<{ id: string }>(sql`
    select id from ${files} where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
      and owner_id = ${author.userId}::uuid and deleted_at is null and visibility = 'public' and content_type like 'image/%'`);
  const have = new Set(owned.rows.map((f) => f.id));
  const missing = ids.flatMap((id, i) => (have.has(id) ? [] : [{ path: `photoFileIds.${i}`, message: 'no such public image of yours' }]));
  if (missing.length) throw new ValidationFailed(missing, 'Photos must be public images you uploaded.');
}

/**
 * Moves a product's rating by one review's change, in the caller's transaction:
 * `stars` added to the sum and `count` (+1, 0 or -1) to the count. An increment,
 * not a recount: concurrent writers each apply their own change under the row's lock.
 */
export const moveRating = (productId: string, stars: number, count: number) => sql`
  update ${products} set rating_sum = rating_sum + ${stars}::int, rating_count = rating_count + ${count}::int
  where id = ${productId}::uuid`;
