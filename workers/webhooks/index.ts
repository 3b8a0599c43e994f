import { createRouter } from '../../shared/openapi';
import { webhookEndpointsRouter } from './endpoints';

/** /api/v1/webhooks/endpoints: the outgoing webhook endpoints admins register. (Stripe's incoming events are the payments domain's.) */
export const webhooks = createRouter();
webhooks.route('/endpoints', webhookEndpointsRouter);
