import { sql, type SQL } from 'drizzle-orm';
import { z } from '@hono/zod-openapi';
import type { Deps, Principal } from '../../shared/context';
import { reviewReports, reviews, users } from '../../shared/db/schema';
import { Forbidden } from '../../shared/errors';
import { decodeCursor, paginate } from '../../shared/pagination';
import { iso, reviewJson } from './queries';
import type { ReportedReview, ReportedReviewsQuery } from './schemas';

/** How many of a review's latest report reasons the queue shows. */
const REASONS_SHOWN = 5;

const Cursor = z.strictObject({ at: z.string(), id: z.uuid() });

/**
 * The admins' moderation queue: reviews someone reported, the most recently
 * reported first, each with its report count and latest reasons. `hidden`
 * narrows it to reviews still shown (false) or already hidden (true).
 */
export async function listReportedReviews(deps: Deps, auth: Principal, query: ReportedReviewsQuery) {
  if (auth.role !== 'admin') throw new Forbidden('Only admins read the review reports.');
  const after = decodeCursor(query.cursor, Cursor);
  const where: SQL[] = [];
  if (query.hidden !== undefined) where.push(query.hidden ? sql`r.hidden_at is not null` : sql`r.hidden_at is null`);
  if (after) where.push(sql`(rep.latest, r.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await deps.db.execute<{ item: ReportedReview; at: string }>(sql`
    with rep as (
      select review_id, count(*)::int as count, max(created_at) as latest,
        (array_agg(reason order by created_at desc))[1:${REASONS_SHOWN}] as reasons
      from ${reviewReports} group by review_id)
    select json_build_object('review', ${reviewJson(deps, auth)}, 'reports', json_build_object(
        'count', rep.count, 'latestAt', ${iso(sql`rep.latest`)}, 'latestReasons', to_json(rep.reasons))) as item,
      to_char(rep.latest at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
    from rep join ${reviews} r on r.id = rep.review_id join ${users} u on u.id = r.author_id
    ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by rep.latest desc, r.id desc limit ${query.limit + 1}`);
  const page = paginate(rows.rows, query.limit, (row) => ({ at: row.at, id: row.item.review.id }));
  return { data: page.data.map((row) => row.item), nextCursor: page.nextCursor };
}
