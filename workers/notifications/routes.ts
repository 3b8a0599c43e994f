import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
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

const tags = ['Notifications'];

export const listNotifications = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'My notifications',
  description: 'Newest first. `unread=true` lists only those not yet read.',
  request: { query: ListNotificationsQuery },
  responses: { 200: { description: 'A page of notifications', ...json(pageOf(Notification)) }, ...authProblems, ...apiProblems },
});

export const readAll = defineRoute({
  method: 'post',
  path: '/read-all',
  auth: 'required',
  tags,
  summary: 'Mark all my notifications read',
  responses: { 200: { description: 'How many changed', ...json(ReadAllResult) }, ...authProblems, ...apiProblems },
});

export const markRead = defineRoute({
  method: 'post',
  path: '/{id}/read',
  auth: 'required',
  tags,
  summary: 'Mark one of my notifications read',
  description: 'Idempotent: reading it again keeps the first `readAt`.',
  request: { params: NotificationIdParams },
  responses: { 200: { description: 'The notification', ...json(Notification) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listFailed = defineRoute({
  method: 'get',
  path: '/failed',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Emails that could not be delivered (admin)',
  description: 'Deliveries that ran out of retries or that the provider refused, newest first, with the last error.',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'A page of failed emails', ...json(pageOf(FailedEmail)) }, ...authProblems, ...apiProblems },
});

export const retryFailed = defineRoute({
  method: 'post',
  path: '/failed/{id}/retry',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Send a failed email again (admin)',
  description: 'Queues the original event again; the email is sent once, asynchronously. 409 unless the delivery is failed.',
  request: { params: DeliveryIdParams },
  responses: { 202: { description: 'Queued', ...json(RetryAccepted) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
