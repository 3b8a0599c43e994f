import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { invalidate } from '../../shared/cache';
import type { Deps, Principal } from '../../shared/context';
import { orderItems, orders, products, reviews, sellerOrders, users } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate, type PageQuery } from '../../shared/pagination';
import { assertOwnPhotos, authorReviewsPage, loadReview, moveRating, productExists, productReviewsPage, reviewJson, type ReviewCursor } from './queries';
import type { CreateReviewInput, EditReviewInput, ListReviewsQuery, Review } from './schemas';

const DAY_MS = 86_400_000;
const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * A review write changed a product's rating: every cached catalog answer (its detail, the listings that show or
 * sort by it) is outdated. Called after the transaction committed, like the product writes (shared/cache.ts).
 */
const ratingChanged = (deps: Deps) => invalidate(deps, 'catalog');

/** Reviews are written by customer accounts (a seller's or admin's purchases are not reviews of the marketplace). */
function assertCustomer(auth: Principal): void {
  if (auth.role !== 'customer') throw new Forbidden('Reviews are written by customer accounts.');
}

export async function getReview(deps: Deps, viewer: Principal | undefined, id: string): Promise<Review> {
  const review = await loadReview(deps, id, viewer);
  if (!review) throw new NotFound('review', id);
  return review;
}

/** A product's visible reviews, newest or most helpful first. */
export async function listProductReviews(deps: Deps, viewer: Principal | undefined, productId: string, query: ListReviewsQuery) {
  const shape = query.sort === 'helpful' ? z.strictObject({ id: z.uuid(), k: z.number().int().min(0) }) : z.strictObject({ id: z.uuid() });
  const after = decodeCursor(query.cursor, shape) as ReviewCursor | undefined;
  const rows = await productReviewsPage(deps, viewer, productId, query, after);
  // Only an empty page asks whether the product exists: a normal page costs one statement.
  if (!rows.length && !(await productExists(deps, productId))) throw new NotFound('product', productId);
  const positionOf = (row: (typeof rows)[number]): Record<string, string | number> =>
    query.sort === 'helpful' ? { id: row.review.id, k: Number(row.k) } : { id: row.review.id };
  const page = paginate(rows, query.limit, positionOf);
  return { data: page.data.map((row) => row.review), nextCursor: page.nextCursor };
}

/** The caller's own reviews, hidden ones included with the reason. */
export async function listMyReviews(deps: Deps, auth: Principal, query: PageQuery) {
  const after = decodeCursor(query.cursor, z.strictObject({ id: z.uuid() }))?.id;
  const rows = await authorReviewsPage(deps, auth, query.limit, after);
  return paginate(rows, query.limit, (review) => ({ id: review.id }));
}

/**
 * A buyer reviews a product it received: some line of it in a seller order of the buyer's that is `delivered`
 * (403 otherwise); one review per product per buyer (409). The review, the product's rating and the eligibility
 * check are one statement: the unique index settles two racing first reviews, the rating moves by an increment.
 */
export async function createReview(deps: Deps, auth: Principal, productId: string, input: CreateReviewInput): Promise<Review> {
  assertCustomer(auth);
  await assertOwnPhotos(deps, auth, input.photoFileIds);
  const rows = await deps.db.execute<{ found: boolean; eligible: boolean; review: Review | null; existing: string | null }>(sql`
    with p as (select id, seller_id from ${products} where id = ${productId}::uuid and deleted_at is null),
    eligible as (
      select 1 from ${orderItems} i
        join ${sellerOrders} so on so.id = i.seller_order_id
        join ${orders} o on o.id = i.order_id
      where i.product_id = ${productId}::uuid and o.user_id = ${auth.userId}::uuid and so.status = 'delivered'
      limit 1),
    ins as (
      insert into ${reviews} (id, product_id, seller_id, author_id, stars, title, body, photo_file_ids)
      select ${newId()}::uuid, p.id, p.seller_id, ${auth.userId}::uuid, ${input.stars}::smallint, ${input.title}::text, ${input.body}::text,
        ${uuidArray(input.photoFileIds)}
      from p where exists (select 1 from eligible)
      on conflict (product_id, author_id) do nothing
      returning *),
    rating as (
      update ${products} set rating_sum = rating_sum + ins.stars, rating_count = rating_count + 1 from ins where ${products}.id = ins.product_id)
    select exists (select 1 from p) as found, exists (select 1 from eligible) as eligible,
      (select ${reviewJson(deps, auth)} from ins r join ${users} u on u.id = r.author_id) as review,
      (select id from ${reviews} where product_id = ${productId}::uuid and author_id = ${auth.userId}::uuid) as existing`);
  const row = rows.rows[0];
  if (!row?.found) throw new NotFound('product', productId);
  if (!row.eligible) throw new Forbidden('Only a buyer who received this product (a delivered order line) may review it.');
  if (!row.review) throw new Conflict('You have already reviewed this product; edit that review instead.', { reviewId: row.existing });
  await ratingChanged(deps);
  return row.review;
}

/** The review row a write works on, locked; 404 when the caller may not see it, 403 when it may see but not change it. */
async function lockForAuthor(tx: Pick<Deps['db'], 'execute'>, auth: Principal, id: string) {
  const rows = await tx.execute<{ product_id: string; author_id: string; stars: number; hidden: boolean; created_at: string }>(sql`
    select product_id, author_id, stars, hidden_at is not null as hidden, created_at from ${reviews} where id = ${id}::uuid for update`);
  const row = rows.rows[0];
  const visible = row && (!row.hidden || row.author_id === auth.userId || auth.role === 'admin');
  if (!row || !visible) throw new NotFound('review', id);
  if (row.author_id !== auth.userId) throw new Forbidden('Only its author edits a review.');
  return row;
}

/** Its author edits a review within REVIEW_EDIT_DAYS of writing it (409 after); a change of stars moves the rating. */
export async function editReview(deps: Deps, auth: Principal, id: string, input: EditReviewInput): Promise<Review> {
  assertCustomer(auth);
  if (input.photoFileIds) await assertOwnPhotos(deps, auth, input.photoFileIds);
  const moved = await deps.db.transaction(async (tx) => {
    const row = await lockForAuthor(tx, auth, id);
    const editableUntil = new Date(new Date(row.created_at).getTime() + deps.config.REVIEW_EDIT_DAYS * DAY_MS);
    if (Date.now() > editableUntil.getTime()) {
      throw new Conflict(`This review could be edited until ${editableUntil.toISOString()}.`, { editableUntil: editableUntil.toISOString() });
    }
    await tx.execute(sql`
      update ${reviews} set
        stars = coalesce(${input.stars ?? null}::smallint, stars),
        title = coalesce(${input.title ?? null}::text, title),
        body = coalesce(${input.body ?? null}::text, body),
        photo_file_ids = ${input.photoFileIds ? uuidArray(input.photoFileIds) : sql`photo_file_ids`},
        edited_at = now(), updated_at = now()
      where id = ${id}::uuid`);
    const delta = input.stars === undefined ? 0 : input.stars - Number(row.stars);
    if (delta === 0 || row.hidden) return false;
    await tx.execute(moveRating(row.product_id, delta, 0));
    return true;
  });
  if (moved) await ratingChanged(deps);
  return getReview(deps, auth, id);
}

/**
 * An admin hides a review with a reason its author is shown, or shows it again. Either is idempotent (hiding a
 * hidden review only changes the reason); the product's rating loses or regains the review in the same transaction.
 */
export async function setHidden(deps: Deps, auth: Principal, id: string, reason: string | null): Promise<Review> {
  if (auth.role !== 'admin') throw new Forbidden('Only admins hide reviews.');
  const moved = await deps.db.transaction(async (tx) => {
    const rows = await tx.execute<{ product_id: string; stars: number; hidden: boolean }>(sql`
      select product_id, stars, hidden_at is not null as hidden from ${reviews} where id = ${id}::uuid for update`);
    const row = rows.rows[0];
    if (!row) throw new NotFound('review', id);
    if (reason === null) {
      if (!row.hidden) return false;
      await tx.execute(sql`update ${reviews} set hidden_at = null, hidden_reason = null, hidden_by = null, updated_at = now() where id = ${id}::uuid`);
      await tx.execute(moveRating(row.product_id, Number(row.stars), 1));
      return true;
    }
    await tx.execute(sql`
      update ${reviews} set hidden_at = coalesce(hidden_at, now()), hidden_reason = ${reason}, hidden_by = ${auth.userId}::uuid, updated_at = now()
      where id = ${id}::uuid`);
    if (row.hidden) return false;
    await tx.execute(moveRating(row.product_id, -Number(row.stars), -1));
    return true;
  });
  if (moved) await ratingChanged(deps);
  return getReview(deps, auth, id);
}
