import { createRouter } from '../../shared/openapi';

/** Admin management of outgoing webhook endpoints: /api/v1/webhooks/endpoints. */
export const webhookEndpointsRouter = createRouter();
