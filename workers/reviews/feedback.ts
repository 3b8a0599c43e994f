import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { products, reviewReports, reviews, reviewVotes, users } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { iso } from './queries';
import { getReview } from './service';
import type { HelpfulVote, Review, SellerRating } from './schemas';

/**
 * What others add to a review: the seller's one reply, "helpful" votes and
 * reports; and the seller's rating over its products.
 */

/** The seller of the reviewed product answers once (409 after); another seller does not learn the review exists (404). */
export async function replyToReview(deps: Deps, auth: Principal, id: string, body: string): Promise<Review> {
  if (auth.role !== 'seller') throw new Forbidden('Only the seller of the product replies to its reviews.');
  const review = await getReview(deps, auth, id);
  if (review.sellerId !== auth.userId) throw new NotFound('review', id);
  const rows = await deps.db.execute(sql`
    update ${reviews} set reply = jsonb_build_object('body', ${body}::text, 'sellerId', ${auth.userId}::text, 'createdAt', ${iso(sql`now()`)}),
      updated_at = now()
    where id = ${id}::uuid and reply is null returning id`);
  if (!rows.rows.length) throw new Conflict('This review already has your reply; a seller replies once.');
  return getReview(deps, auth, id);
}

/**
 * One "helpful" vote per user per review: `on` adds the caller's vote, off takes it back, each idempotent. The
 * vote row and the review's count change in one statement, so the count is always the number of votes.
 */
export async function voteHelpful(deps: Deps, auth: Principal, id: string, on: boolean): Promise<HelpfulVote> {
  const review = await getReview(deps, auth, id);
  if (review.hidden) throw new NotFound('review', id);
  if (review.authorId === auth.userId) throw new Forbidden('Authors do not vote on their own reviews.');
  const change = on
    ? sql`insert into ${reviewVotes} (review_id, user_id) values (${id}::uuid, ${auth.userId}::uuid) on conflict do nothing returning 1`
    : sql`delete from ${reviewVotes} where review_id = ${id}::uuid and user_id = ${auth.userId}::uuid returning 1`;
  const sign = on ? 1 : -1;
  const rows = await deps.db.execute<{ helpful_count: number }>(sql`
    with changed as (${change})
    update ${reviews} set helpful_count = helpful_count + ${sign}::int * (select count(*) from changed)::int
    where id = ${id}::uuid returning helpful_count`);
  return { reviewId: id, helpfulCount: Number(rows.rows[0]?.helpful_count ?? review.helpfulCount), votedHelpful: on };
}

/** Anyone reports a visible review for the admins (the route is rate limited); a hidden one is 404 to all but its author and admins. */
export async function reportReview(deps: Deps, reporter: Principal | undefined, id: string, reason: string) {
  const rows = await deps.db.execute(sql`
    insert into ${reviewReports} (id, review_id, reporter_id, reason)
    select ${newId()}::uuid, r.id, ${reporter?.userId ?? null}::uuid, ${reason}::text from ${reviews} r
    where r.id = ${id}::uuid and (r.hidden_at is null or r.author_id = ${reporter?.userId ?? null}::uuid or ${reporter?.role === 'admin' ? sql`true` : sql`false`})
    returning id`);
  if (!rows.rows.length) throw new NotFound('review', id);
  return { reviewId: id, status: 'received' as const };
}

/** A seller's rating: the sums kept on its products (never a recount of reviews), 404 for a user who is not a seller. */
export async function sellerRating(deps: Deps, sellerId: string): Promise<SellerRating> {
  const rows = await deps.db.execute<{ total: string; count: string }>(sql`
    select coalesce(sum(p.rating_sum), 0) as total, coalesce(sum(p.rating_count), 0) as count
    from ${users} u left join ${products} p on p.seller_id = u.id
    where u.id = ${sellerId}::uuid and u.role = 'seller' group by u.id`);
  const row = rows.rows[0];
  if (!row) throw new NotFound('seller', sellerId);
  const count = Number(row.count);
  return { sellerId, average: count ? Math.round((Number(row.total) / count) * 100) / 100 : null, count };
}
