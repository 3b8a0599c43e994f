import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';
import { NOTIFIED_EVENTS } from './templates';

const Id = (description: string) => z.uuid().openapi({ description, example: '01930000-0000-7000-8000-000000000001' });
const Timestamp = (description: string) => z.iso.datetime().openapi({ description, example: '2026-11-28T10:00:00.000Z' });
const EventType = z.enum(NOTIFIED_EVENTS).openapi({ description: 'The domain event behind it', example: 'order.shipped' });

export const NotificationIdParams = z.object({ id: Id('Notification id').openapi({ param: { name: 'id', in: 'path' } }) });
export const DeliveryIdParams = z.object({ id: Id('Email delivery id').openapi({ param: { name: 'id', in: 'path' } }) });

export const ListNotificationsQuery = PageQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'Only notifications not yet read', example: 'true' }),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const Notification = z
  .object({
    id: Id('Notification id'),
    type: EventType,
    title: z.string().openapi({ description: 'Headline, in the user’s language', example: 'Order shipped' }),
    body: z.string().openapi({ description: 'One or two sentences, in the user’s language', example: 'Order 0193… is on its way.' }),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'What the event was about (ids, amounts), for deep links', example: { orderId: '0193…', total: 2599, currency: 'USD' } }),
    readAt: Timestamp('When it was marked read').nullable(),
    createdAt: Timestamp('When it was created'),
  })
  .openapi('Notification');
export type Notification = z.infer<typeof Notification>;

export const ReadAllResult = z
  .object({ updated: z.number().int().openapi({ description: 'How many notifications were unread and are now read', example: 3 }) })
  .openapi('ReadAllResult');

export const FailedEmail = z
  .object({
    id: Id('Email delivery id'),
    eventId: Id('The event it was for'),
    eventType: EventType,
    channel: z.enum(['email', 'sms']).openapi({ description: 'Email or SMS', example: 'email' }),
    userId: Id('Recipient').nullable(),
    to: z.string().openapi({ description: 'Recipient address (a phone for an SMS)', example: 'ada@example.com' }),
    template: z.string().openapi({ description: 'Template name', example: 'order.shipped' }),
    locale: z.string().openapi({ description: 'Language it was rendered in', example: 'uz' }),
    subject: z.string().openapi({ description: 'Subject line', example: 'Your order has shipped' }),
    attempts: z.number().int().openapi({ description: 'Send attempts made', example: 6 }),
    lastError: z.string().nullable().openapi({ description: 'The provider’s last answer', example: 'email provider answered 503: …' }),
    failedAt: Timestamp('When it was given up on').nullable(),
    createdAt: Timestamp('When the event was first handled'),
  })
  .openapi('FailedEmail');
export type FailedEmail = z.infer<typeof FailedEmail>;

export const RetryAccepted = z
  .object({
    id: Id('Email delivery id'),
    status: z.literal('pending').openapi({ description: 'Queued for another attempt', example: 'pending' }),
  })
  .openapi('RetryAccepted');

const Channel = z.enum(['email', 'sms', 'in_app']).openapi({ description: 'How it reaches the user', example: 'sms' });

export const NotificationPreference = z
  .object({
    kind: EventType,
    channel: Channel,
    enabled: z.boolean().openapi({ description: 'Whether this kind goes out on this channel (SMS also needs a phone on the account)', example: true }),
    editable: z.boolean().openapi({ description: 'False for security emails, which are always sent', example: true }),
  })
  .openapi('NotificationPreference');

export const NotificationPreferences = z
  .object({ data: z.array(NotificationPreference).openapi({ description: 'Every kind × channel it can go out on' }) })
  .openapi('NotificationPreferences');

export const UpdateNotificationPreferences = z
  .object({
    preferences: z
      .array(
        z
          .object({
            kind: EventType,
            channel: Channel,
            enabled: z.boolean().openapi({ description: 'On or off', example: false }),
          })
          .strict(),
      )
      .min(1)
      .max(200)
      .openapi({ description: 'The choices to change; the others stay as they are', example: [{ kind: 'order.paid', channel: 'sms', enabled: false }] }),
  })
  .strict()
  .openapi('UpdateNotificationPreferences');
export type UpdateNotificationPreferences = z.infer<typeof UpdateNotificationPreferences>;

export const SmsReportQuery = z.object({
  key: z.string().max(200).optional().openapi({ description: 'The shared key of the callback URL (ESKIZ_CALLBACK_KEY)', example: 'k3y…' }),
});

/** Eskiz's delivery report (its documented callback body); fields other than these are ignored. */
export const SmsReport = z
  .object({
    request_id: z.string().min(1).max(100).openapi({ description: 'The id Eskiz answered the send with', example: '59bf10a2-aba8-4694-8fd5-0be20102a580' }),
    status: z.string().min(1).max(40).openapi({ description: 'DELIVRD, UNDELIV, REJECTD, EXPIRED…', example: 'DELIVRD' }),
    message_id: z.union([z.string(), z.number()]).optional().openapi({ description: 'Eskiz’s message id', example: '4385062' }),
    phone_number: z.string().max(20).optional().openapi({ description: 'Digits of the number', example: '998901234567' }),
    status_date: z.string().max(40).optional().openapi({ description: 'When the status was set (Tashkent time)', example: '2021-04-02 00:39:36' }),
  })
  .openapi('SmsReport');
export type SmsReport = z.infer<typeof SmsReport>;

export const SmsReportAck = z
  .object({ matched: z.boolean().openapi({ description: 'Whether it concerned an SMS we sent', example: true }) })
  .openapi('SmsReportAck');
