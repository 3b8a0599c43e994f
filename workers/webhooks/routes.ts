import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import {
  CreatedWebhookEndpoint,
  CreateEndpointInput,
  DeliveryIdParams,
  EndpointIdParams,
  ListDeliveriesQuery,
  ListEndpointsQuery,
  WebhookDelivery,
  WebhookEndpoint,
} from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Webhooks'];
const security = [{ bearerAuth: [] }];

export const createEndpoint = createRoute({
  method: 'post',
  path: '/',
  tags,
  security,
  summary: 'Register a webhook endpoint (admin)',
  description: 'Answers with the signing secret — the only time it is shown. See docs/webhooks.md for the signature scheme.',
  request: { body: { ...json(CreateEndpointInput), required: true } },
  responses: { 201: { description: 'Registered', ...json(CreatedWebhookEndpoint) }, ...authProblems, ...apiProblems },
});

export const listEndpoints = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'List webhook endpoints (admin)',
  description: 'Newest first. Secrets are never listed.',
  request: { query: ListEndpointsQuery },
  responses: { 200: { description: 'A page of endpoints', ...json(pageOf(WebhookEndpoint)) }, ...authProblems, ...apiProblems },
});

export const getEndpoint = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  security,
  summary: 'One webhook endpoint (admin)',
  request: { params: EndpointIdParams },
  responses: { 200: { description: 'The endpoint', ...json(WebhookEndpoint) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const deleteEndpoint = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  security,
  summary: 'Delete a webhook endpoint (admin)',
  description: 'Nothing more is delivered to it, including pending retries.',
  request: { params: EndpointIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404), ...authProblems, ...apiProblems },
});

export const enableEndpoint = createRoute({
  method: 'post',
  path: '/{id}/enable',
  tags,
  security,
  summary: 'Re-enable a disabled webhook endpoint (admin)',
  description: 'Clears the reason and the failure count. Deliveries dropped while it was disabled can be re-sent by hand.',
  request: { params: EndpointIdParams },
  responses: { 200: { description: 'The endpoint, enabled', ...json(WebhookEndpoint) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listDeliveries = createRoute({
  method: 'get',
  path: '/{id}/deliveries',
  tags,
  security,
  summary: 'Delivery log of an endpoint (admin)',
  description: 'Newest first; filter by status.',
  request: { params: EndpointIdParams, query: ListDeliveriesQuery },
  responses: { 200: { description: 'A page of deliveries', ...json(pageOf(WebhookDelivery)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const resendDelivery = createRoute({
  method: 'post',
  path: '/{id}/deliveries/{deliveryId}/resend',
  tags,
  security,
  summary: 'Re-send a delivery (admin)',
  description: 'Queues a new delivery of the same event (same event id and body) with its own retries. 409 when the endpoint is disabled.',
  request: { params: DeliveryIdParams },
  responses: { 202: { description: 'Queued', ...json(WebhookDelivery) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
