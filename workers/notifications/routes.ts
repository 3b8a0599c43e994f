import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { PageQuerySchema, pageOf } from '../../shared/pagination';
import {
  DeliveryIdParams,
  FailedEmail,
  ListNotificationsQuery,
  Notification,
  NotificationIdParams,
  ReadAllResult,
  RetryAccepted,
} from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const security = [{ bearerAuth: [] }];
const tags = ['Notifications'];

export const listNotifications = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'My notifications',
  description: 'Newest first. `unread=true` lists only those not yet read.',
  request: { query: ListNotificationsQuery },
  responses: { 200: { description: 'A page of notifications', ...json(pageOf(Notification)) }, ...authProblems, ...apiProblems },
});

export const readAll = createRoute({
  method: 'post',
  path: '/read-all',
  tags,
  security,
  summary: 'Mark all my notifications read',
  responses: { 200: { description: 'How many changed', ...json(ReadAllResult) }, ...authProblems, ...apiProblems },
});

export const markRead = createRoute({
  method: 'post',
  path: '/{id}/read',
  tags,
  security,
  summary: 'Mark one of my notifications read',
  description: 'Idempotent: reading it again keeps the first `readAt`.',
  request: { params: NotificationIdParams },
  responses: { 200: { description: 'The notification', ...json(Notification) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listFailed = createRoute({
  method: 'get',
  path: '/failed',
  tags,
  security,
  summary: 'Emails that could not be delivered (admin)',
  description: 'Deliveries that ran out of retries or that the provider refused, newest first, with the last error.',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'A page of failed emails', ...json(pageOf(FailedEmail)) }, ...authProblems, ...apiProblems },
});

export const retryFailed = createRoute({
  method: 'post',
  path: '/failed/{id}/retry',
  tags,
  security,
  summary: 'Send a failed email again (admin)',
  description: 'Queues the original event again; the email is sent once, asynchronously. 409 unless the delivery is failed.',
  request: { params: DeliveryIdParams },
  responses: { 202: { description: 'Queued', ...json(RetryAccepted) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
