import { createRouter } from '../../shared/openapi';
import { webhookEndpointsRouter } from './endpoints';
import { stripeWebhook } from './stripe';

/** /api/v1/webhooks: Stripe's incoming events, and the outgoing endpoints admins register. */
export const webhooks = createRouter();
webhooks.route('/', stripeWebhook);
webhooks.route('/endpoints', webhookEndpointsRouter);
