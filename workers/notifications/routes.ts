import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { PageQuerySchema, pageOf } from '../../shared/pagination';
import {
  DeliveryIdParams,
  FailedEmail,
  ListNotificationsQuery,
  Notification,
  NotificationIdParams,
  NotificationPreferences,
  ReadAllResult,
  RetryAccepted,
  SmsReport,
  SmsReportAck,
  SmsReportQuery,
  UpdateNotificationPreferences,
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

export const getPreferences = defineRoute({
  method: 'get',
  path: '/preferences',
  auth: 'required',
  tags,
  summary: 'My notification channels',
  description: 'For every kind of notification, the channels (email, SMS, in-app) it can go out on and whether it does for me. SMS go to the phone on my account; without one, none are sent.',
  responses: { 200: { description: 'My choices', ...json(NotificationPreferences) }, ...authProblems, ...apiProblems },
});

export const putPreferences = defineRoute({
  method: 'put',
  path: '/preferences',
  auth: 'required',
  tags,
  summary: 'Change my notification channels',
  description:
    'Sets the listed kind × channel choices (the others stay). 400, changing nothing, for a channel a kind is not sent by (SMS only for order paid, shipped and delivered) or for turning off a security email.',
  request: { body: { ...json(UpdateNotificationPreferences), required: true } },
  responses: { 200: { description: 'My choices after the change', ...json(NotificationPreferences) }, ...authProblems, ...apiProblems },
});

export const smsReport = defineRoute({
  method: 'post',
  path: '/sms/reports',
  auth: 'none',
  tags,
  summary: 'Eskiz delivery report (called by Eskiz)',
  description:
    'The `callback_url` every SMS is sent with. Authenticated by the `key` query parameter (ESKIZ_CALLBACK_KEY): 401 without it. A report that the SMS never arrived marks its delivery failed.',
  request: { query: SmsReportQuery, body: { ...json(SmsReport), required: true } },
  responses: { 200: { description: 'Recorded', ...json(SmsReportAck) }, ...problems(401), ...apiProblems },
});
