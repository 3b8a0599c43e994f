import { principalOf, verifiedCaller } from '../../shared/auth/middleware';
import { clientNetwork } from '../../shared/client-network';
import { createRouter } from '../../shared/openapi';
import { clientIp, rateLimit } from '../../shared/rate-limit';
import * as feedback from './feedback';
import { listReportedReviews } from './moderation';
import * as routes from './routes';
import * as service from './service';

/** /products/{id}/reviews: mounted next to the products router (docs/reviews.md). */
export const productReviews = createRouter();

productReviews.openapi(routes.createReview, async (c) =>
  c.json(await service.createReview(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);
productReviews.openapi(routes.listProductReviews, async (c) =>
  c.json(await service.listProductReviews(c.get('deps'), c.get('auth'), c.req.valid('param').id, c.req.valid('query')), 200),
);

/** /reviews: one review, its author's edits, the seller's reply, votes, reports and moderation. */
export const reviews = createRouter();

// Reports are open to anyone: each signed-in user, or each anonymous client network, gets
// REVIEW_REPORT_RATE_LIMIT an hour on top of the API-wide limit. Identified before the route's own
// auth runs, so a bad token simply counts as anonymous here (the route then answers 401).
reviews.use('/:id/reports', async (c, next) => {
  const caller = await verifiedCaller(c);
  const { config } = c.get('deps');
  return rateLimit({
    name: 'review-report',
    limit: config.REVIEW_REPORT_RATE_LIMIT,
    windowSeconds: 3600,
    identify: () => (caller ? `user:${caller.userId}` : clientNetwork(clientIp(c))),
  })(c, next);
});

reviews.openapi(routes.listMyReviews, async (c) => c.json(await service.listMyReviews(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
reviews.openapi(routes.listReportedReviews, async (c) => c.json(await listReportedReviews(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
reviews.openapi(routes.getReview, async (c) => c.json(await service.getReview(c.get('deps'), c.get('auth'), c.req.valid('param').id), 200));
reviews.openapi(routes.editReview, async (c) =>
  c.json(await service.editReview(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
reviews.openapi(routes.replyToReview, async (c) =>
  c.json(await feedback.replyToReview(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').body), 201),
);
reviews.openapi(routes.hideReview, async (c) =>
  c.json(await service.setHidden(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
);
reviews.openapi(routes.unhideReview, async (c) => c.json(await service.setHidden(c.get('deps'), principalOf(c), c.req.valid('param').id, null), 200));
reviews.openapi(routes.voteHelpful, async (c) => c.json(await feedback.voteHelpful(c.get('deps'), principalOf(c), c.req.valid('param').id, true), 200));
reviews.openapi(routes.unvoteHelpful, async (c) => c.json(await feedback.voteHelpful(c.get('deps'), principalOf(c), c.req.valid('param').id, false), 200));
reviews.openapi(routes.reportReview, async (c) =>
  c.json(await feedback.reportReview(c.get('deps'), c.get('auth'), c.req.valid('param').id, c.req.valid('json').reason), 202),
);

/** /sellers/{id}/rating: there is no seller profile route yet, so the seller's rating has its own. */
export const sellers = createRouter();

sellers.openapi(routes.getSellerRating, async (c) => c.json(await feedback.sellerRating(c.get('deps'), c.req.valid('param').id), 200));
