import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
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

const tags = ['Webhooks'];

export const createEndpoint = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Register a webhook endpoint (admin)',
  description: 'Answers with the signing secret — the only time it is shown. See docs/webhooks.md for the signature scheme.',
  request: { body: { ...json(CreateEndpointInput), required: true } },
  responses: { 201: { description: 'Registered', ...json(CreatedWebhookEndpoint) }, ...authProblems, ...apiProblems },
});

export const listEndpoints = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'List webhook endpoints (admin)',
  description: 'Newest first. Secrets are never listed.',
  request: { query: ListEndpointsQuery },
  responses: { 200: { description: 'A page of endpoints', ...json(pageOf(WebhookEndpoint)) }, ...authProblems, ...apiProblems },
});

export const getEndpoint = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'One webhook endpoint (admin)',
  request: { params: EndpointIdParams },
  responses: { 200: { description: 'The endpoint', ...json(WebhookEndpoint) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const deleteEndpoint = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Delete a webhook endpoint (admin)',
  description: 'Nothing more is delivered to it, including pending retries.',
  request: { params: EndpointIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404), ...authProblems, ...apiProblems },
});

export const enableEndpoint = defineRoute({
  method: 'post',
  path: '/{id}/enable',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Re-enable a disabled webhook endpoint (admin)',
  description: 'Clears the reason and the failure count. Deliveries dropped while it was disabled can be re-sent by hand.',
  request: { params: EndpointIdParams },
  responses: { 200: { description: 'The endpoint, enabled', ...json(WebhookEndpoint) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listDeliveries = defineRoute({
  method: 'get',
  path: '/{id}/deliveries',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Delivery log of an endpoint (admin)',
  description: 'Newest first; filter by status.',
  request: { params: EndpointIdParams, query: ListDeliveriesQuery },
  responses: { 200: { description: 'A page of deliveries', ...json(pageOf(WebhookDelivery)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const resendDelivery = defineRoute({
  method: 'post',
  path: '/{id}/deliveries/{deliveryId}/resend',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Re-send a delivery (admin)',
  description: 'Queues a new delivery of the same event (same event id and body) with its own retries. 409 when the endpoint is disabled.',
  request: { params: DeliveryIdParams },
  responses: { 202: { description: 'Queued', ...json(WebhookDelivery) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
