import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';

/**
 * Review text is stored exactly as sent and answered as JSON data (docs/reviews.md): no trimming, no
 * escaping, no HTML. Clients escape it where they render it.
 */
const Title = z.string().min(1).max(200);
const Body = z.string().min(1).max(5000);
const Stars = z.number().int().min(1).max(5);

const photoFileIds = z
  .array(z.uuid())
  .max(10)
  .refine((ids) => new Set(ids).size === ids.length, 'each file at most once')
  .openapi({ description: 'Public image files I uploaded (POST /files with visibility=public)' });

export const CreateReviewInput = z
  .strictObject({
    stars: Stars.openapi({ description: '1 to 5', example: 5 }),
    title: Title.openapi({ description: 'Stored and answered exactly as sent', example: 'Fits well' }),
    body: Body.openapi({ description: 'Stored and answered exactly as sent (plain text; clients escape it)', example: 'Warm and light.' }),
    photoFileIds: photoFileIds.default([]),
  })
  .openapi('CreateReviewInput');

export const EditReviewInput = z
  .strictObject({
    stars: Stars.optional().openapi({ description: '1 to 5', example: 4 }),
    title: Title.optional().openapi({ description: 'Stored and answered exactly as sent', example: 'Fits well' }),
    body: Body.optional().openapi({ description: 'Stored and answered exactly as sent', example: 'Warm, a little short.' }),
    photoFileIds: photoFileIds.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'change at least one field')
  .openapi('EditReviewInput');

export const ReplyInput = z
  .strictObject({ body: Body.openapi({ description: 'The seller\'s answer, stored exactly as sent', example: 'Thank you!' }) })
  .openapi('ReviewReplyInput');

export const HideReviewInput = z
  .strictObject({ reason: z.string().min(3).max(1000).openapi({ description: 'Shown to the review\'s author', example: 'Contains a phone number' }) })
  .openapi('HideReviewInput');

export const ReportReviewInput = z
  .strictObject({ reason: z.string().min(3).max(1000).openapi({ description: 'What is wrong with the review', example: 'Spam' }) })
  .openapi('ReportReviewInput');

export const ReviewReply = z
  .object({
    body: z.string(),
    sellerId: z.uuid(),
    createdAt: z.iso.datetime(),
  })
  .openapi('ReviewReply');

export const Review = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    sellerId: z.uuid().openapi({ description: 'The product\'s seller, who may reply' }),
    authorId: z.uuid(),
    authorName: z.string().openapi({ example: 'Dilnoza' }),
    stars: z.number().int().openapi({ example: 5 }),
    title: z.string().openapi({ description: 'Exactly as the author sent it: data, never markup', example: 'Fits well' }),
    body: z.string().openapi({ description: 'Exactly as the author sent it: data, never markup', example: 'Warm and light.' }),
    photoFileIds: z.array(z.uuid()).openapi({ description: 'Files to show with it (GET /files/{id})' }),
    helpfulCount: z.number().int().openapi({ description: '"Helpful" votes', example: 2 }),
    votedHelpful: z.boolean().openapi({ description: 'Whether the caller voted it helpful (false for anonymous callers)' }),
    reply: ReviewReply.nullable().openapi({ description: 'The seller\'s one reply' }),
    hidden: z
      .object({ reason: z.string(), at: z.iso.datetime() })
      .nullable()
      .openapi({ description: 'Set when an admin hid it; only its author and admins see a hidden review' }),
    editableUntil: z.iso.datetime().openapi({ description: 'Its author may edit it until then (REVIEW_EDIT_DAYS after writing)' }),
    editedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Review');

export const ReviewSort = z
  .enum(['newest', 'helpful'])
  .default('newest')
  .openapi({ description: '`helpful`: most helpful votes first, then newest', example: 'newest' });

export const ListReviewsQuery = PageQuerySchema.extend({
  sort: ReviewSort,
  stars: z.coerce.number().int().min(1).max(5).optional().openapi({ description: 'Only reviews with this many stars', example: 5 }),
});

export const ReviewIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000e1' }) });
export const ProductIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000a1' }) });
export const SellerIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000b1' }) });

export const HelpfulVote = z
  .object({
    reviewId: z.uuid(),
    helpfulCount: z.number().int().openapi({ example: 3 }),
    votedHelpful: z.boolean().openapi({ description: 'The caller\'s vote after this call' }),
  })
  .openapi('HelpfulVote');

export const ReportReceipt = z
  .object({ reviewId: z.uuid(), status: z.literal('received').openapi({ description: 'The admins will look at it' }) })
  .openapi('ReviewReportReceipt');

export const SellerRating = z
  .object({
    sellerId: z.uuid(),
    average: z.number().nullable().openapi({ description: 'Mean stars over the visible reviews of all its products; null without reviews', example: 4.6 }),
    count: z.number().int().openapi({ description: 'Visible reviews of its products', example: 25 }),
  })
  .openapi('SellerRating');

export type CreateReviewInput = z.infer<typeof CreateReviewInput>;
export type EditReviewInput = z.infer<typeof EditReviewInput>;
export const ReportedReviewsQuery = PageQuerySchema.extend({
  hidden: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ description: 'Only reviews still shown (false) or already hidden (true); both when left out', example: 'false' }),
});

export const ReportedReview = z
  .object({
    review: Review,
    reports: z.object({
      count: z.number().int().openapi({ description: 'Reports received', example: 3 }),
      latestAt: z.iso.datetime(),
      latestReasons: z.array(z.string()).openapi({ description: 'The latest reasons given (at most 5), newest first; data, never markup', example: ['Spam'] }),
    }),
  })
  .openapi('ReportedReview');

export type ListReviewsQuery = z.infer<typeof ListReviewsQuery>;
export type ReportedReviewsQuery = z.infer<typeof ReportedReviewsQuery>;
export type ReportedReview = z.infer<typeof ReportedReview>;
export type Review = z.infer<typeof Review>;
export type HelpfulVote = z.infer<typeof HelpfulVote>;
export type SellerRating = z.infer<typeof SellerRating>;
