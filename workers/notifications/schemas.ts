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
    userId: Id('Recipient').nullable(),
    to: z.string().openapi({ description: 'Recipient address', example: 'ada@example.com' }),
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
