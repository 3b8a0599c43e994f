import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf, PageQuerySchema } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  CreateReviewInput,
  EditReviewInput,
  HelpfulVote,
  HideReviewInput,
  ListReviewsQuery,
  ProductIdParams,
  ReplyInput,
  ReportedReview,
  ReportedReviewsQuery,
  ReportReceipt,
  ReportReviewInput,
  Review,
  ReviewIdParams,
  SellerIdParams,
  SellerRating,
} from './schemas';

const tags = ['Reviews'];
const asData = 'Text is stored exactly as sent and answered as JSON data; clients escape it (docs/reviews.md).';

export const createReview = defineRoute({
  method: 'post',
  path: '/{id}/reviews',
  auth: 'required',
  roles: ['customer'],
  tags,
  summary: 'Review a product I received (customer)',
  description:
    'Only a buyer with a line of this product in a `delivered` seller order (403 otherwise); one review per product per buyer ' +
    `(409, naming the existing review). Photos are public images the author uploaded (400 otherwise). The product's rating moves at once. ${asData}`,
  request: { params: ProductIdParams, body: { ...json(CreateReviewInput), required: true } },
  responses: { 201: { description: 'The review', ...json(Review) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listProductReviews = defineRoute({
  method: 'get',
  path: '/{id}/reviews',
  auth: 'optional',
  tags,
  summary: 'A product\'s reviews',
  description: 'Visible reviews (hidden ones never), newest or most helpful first; `votedHelpful` tells a signed-in caller its own votes.',
  request: { params: ProductIdParams, query: ListReviewsQuery },
  responses: { 200: { description: 'A page of reviews', ...json(pageOf(Review)) }, ...problems(404), ...apiProblems },
});

export const listMyReviews = defineRoute({
  method: 'get',
  path: '/mine',
  auth: 'required',
  tags,
  summary: 'Reviews I wrote',
  description: 'Newest first, hidden ones included with the reason an admin gave.',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'A page of my reviews', ...json(pageOf(Review)) }, ...authProblems, ...apiProblems },
});

export const listReportedReviews = defineRoute({
  method: 'get',
  path: '/reported',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Reported reviews (admin)',
  description: 'The moderation queue: reviews someone reported, the most recently reported first, with the report count and the latest reasons; hide or leave each.',
  request: { query: ReportedReviewsQuery },
  responses: { 200: { description: 'A page of reported reviews', ...json(pageOf(ReportedReview)) }, ...authProblems, ...apiProblems },
});

export const getReview = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'optional',
  tags,
  summary: 'One review',
  description: 'A hidden review is 404 to all but its author (who sees the reason) and admins.',
  request: { params: ReviewIdParams },
  responses: { 200: { description: 'The review', ...json(Review) }, ...problems(404), ...apiProblems },
});

export const editReview = defineRoute({
  method: 'patch',
  path: '/{id}',
  auth: 'required',
  roles: ['customer'],
  tags,
  summary: 'Edit my review (customer)',
  description: `Its author only (403 to others who can see it), within REVIEW_EDIT_DAYS of writing it (409 after, with editableUntil). ${asData}`,
  request: { params: ReviewIdParams, body: { ...json(EditReviewInput), required: true } },
  responses: { 200: { description: 'The review', ...json(Review) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const replyToReview = defineRoute({
  method: 'post',
  path: '/{id}/reply',
  auth: 'required',
  roles: ['seller'],
  tags,
  summary: 'Reply to a review of my product (seller)',
  description: `The product's seller, once (409 after); another seller gets 404. ${asData}`,
  request: { params: ReviewIdParams, body: { ...json(ReplyInput), required: true } },
  responses: { 201: { description: 'The review with its reply', ...json(Review) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const hideReview = defineRoute({
  method: 'post',
  path: '/{id}/hide',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Hide a review (admin)',
  description: 'It leaves public lists and the product\'s and seller\'s ratings; its author sees it with the reason. Hiding a hidden review changes the reason.',
  request: { params: ReviewIdParams, body: { ...json(HideReviewInput), required: true } },
  responses: { 200: { description: 'The review, hidden', ...json(Review) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const unhideReview = defineRoute({
  method: 'post',
  path: '/{id}/unhide',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Show a hidden review again (admin)',
  description: 'It counts in the ratings again. A visible review is answered as it is.',
  request: { params: ReviewIdParams },
  responses: { 200: { description: 'The review, visible', ...json(Review) }, ...problems(404), ...authProblems, ...apiProblems },
});

const voteRoute = (method: 'put' | 'delete', summary: string) =>
  defineRoute({
    method,
    path: '/{id}/helpful',
    auth: 'required',
    tags,
    summary,
    description: 'One vote per user per review; idempotent. Not on one\'s own review (403).',
    request: { params: ReviewIdParams },
    responses: { 200: { description: 'The review\'s count and my vote', ...json(HelpfulVote) }, ...problems(404), ...authProblems, ...apiProblems },
  });

export const voteHelpful = voteRoute('put', 'Vote a review helpful');
export const unvoteHelpful = voteRoute('delete', 'Take back my helpful vote');

export const reportReview = defineRoute({
  method: 'post',
  path: '/{id}/reports',
  auth: 'optional',
  tags,
  summary: 'Report a review to the admins',
  description: 'Anyone, signed in or not; REVIEW_REPORT_RATE_LIMIT reports an hour per user (or per client network when anonymous), then 429.',
  request: { params: ReviewIdParams, body: { ...json(ReportReviewInput), required: true } },
  responses: { 202: { description: 'Received', ...json(ReportReceipt) }, ...problems(404), ...apiProblems },
});

export const getSellerRating = defineRoute({
  method: 'get',
  path: '/{id}/rating',
  auth: 'none',
  tags,
  summary: 'A seller\'s rating',
  description: 'Over the visible reviews of all its products, from the sums kept on the products.',
  request: { params: SellerIdParams },
  responses: { 200: { description: 'The rating', ...json(SellerRating) }, ...problems(404), ...apiProblems },
});
