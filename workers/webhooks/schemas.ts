import { z } from '@hono/zod-openapi';
import { DOMAIN_EVENTS, DOMAIN_EVENT_TYPES, type DomainEventType } from '../../shared/events';
import { PageQuerySchema } from '../../shared/pagination';

/**
 * Event types third parties may receive: every domain event except auth.*,
 * whose payloads carry one-time tokens (email verification, password reset)
 * that must never leave the platform.
 */
/** Not for receivers: account secrets (`auth.*`), a shopper's wishes (`wishlist.*`) and the wishlists' internal stock trigger. */
const PRIVATE_EVENT = (t: string) => t.startsWith('auth.') || t.startsWith('wishlist.') || t === 'inventory.stock_changed';
export const DELIVERABLE_EVENT_TYPES = DOMAIN_EVENT_TYPES.filter((t) => !PRIVATE_EVENT(t)) as [DomainEventType, ...DomainEventType[]];

/** Subscribing to `*` means every deliverable type, including ones added later. */
export const ALL_EVENTS = '*';

const Id = z.uuid().openapi({ description: 'UUIDv7 id', example: '01930000-0000-7000-8000-000000000001' });
const Timestamp = (description: string) => z.iso.datetime().openapi({ description, example: '2026-11-28T10:00:00.000Z' });

export const EndpointIdParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, description: 'Endpoint id' }) });
export const DeliveryIdParams = EndpointIdParams.extend({
  deliveryId: Id.openapi({ param: { name: 'deliveryId', in: 'path' }, description: 'Delivery id' }),
});

const EventType = z.enum([ALL_EVENTS, ...DELIVERABLE_EVENT_TYPES]).openapi({
  description: `A deliverable event type, or "*" for all of them (now and future). ${DELIVERABLE_EVENT_TYPES.map((t) => `${t}: ${DOMAIN_EVENTS[t]}`).join('; ')}`,
  example: 'order.paid',
});

export const CreateEndpointInput = z
  .strictObject({
    url: z
      .url()
      .max(2048)
      .openapi({ description: 'Where events are POSTed: https (http only in development and test), no credentials', example: 'https://hooks.example.com/ultramarket' }),
    description: z.string().trim().max(500).nullable().optional().openapi({ description: 'A note for admins', example: 'ERP order sync' }),
    eventTypes: z
      .array(EventType)
      .min(1)
      .max(DELIVERABLE_EVENT_TYPES.length)
      .refine((types) => new Set(types).size === types.length, 'must not repeat an event type')
      .refine((types) => !types.includes(ALL_EVENTS) || types.length === 1, '"*" already means every type: send it alone')
      .openapi({ description: 'The event types to deliver; ["*"] for all', example: ['order.paid', 'order.refunded'] }),
  })
  .openapi('CreateWebhookEndpointInput');

export const WebhookEndpoint = z
  .object({
    id: Id,
    url: z.string().openapi({ description: 'Delivery URL', example: 'https://hooks.example.com/ultramarket' }),
    description: z.string().nullable().openapi({ description: 'A note for admins', example: 'ERP order sync' }),
    eventTypes: z.array(z.string()).openapi({ description: 'Subscribed event types; ["*"] for all', example: ['order.paid'] }),
    status: z.enum(['enabled', 'disabled']).openapi({ description: 'A disabled endpoint receives nothing until re-enabled', example: 'enabled' }),
    disabledReason: z.string().nullable().openapi({ description: 'Why it was disabled', example: '5 deliveries in a row failed; last: HTTP 500' }),
    disabledAt: z.iso.datetime().nullable().openapi({ description: 'When it was disabled', example: null }),
    consecutiveFailures: z.number().int().openapi({ description: 'Deliveries in a row that ran out of retries (reset by any success)', example: 0 }),
    createdAt: Timestamp('Created at'),
    updatedAt: Timestamp('Updated at'),
  })
  .openapi('WebhookEndpoint');

export const CreatedWebhookEndpoint = WebhookEndpoint.extend({
  secret: z.string().openapi({
    description: 'The signing secret. Shown only in this response: store it now.',
    example: 'whsec_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  }),
}).openapi('CreatedWebhookEndpoint');

export const ListEndpointsQuery = PageQuerySchema.extend({
  status: z.enum(['enabled', 'disabled']).optional().openapi({ description: 'Only endpoints in this state', example: 'disabled' }),
});

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']).openapi({ description: 'pending: not yet delivered (retries may follow)', example: 'succeeded' });

export const WebhookDelivery = z
  .object({
    id: Id,
    endpointId: Id,
    eventId: Id.openapi({ description: 'The event id: the same on every attempt and re-send' }),
    eventType: z.string().openapi({ description: 'Event type', example: 'order.paid' }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'The event data (`data` in the body sent)', example: { orderId: '0193…' } }),
    status: DeliveryStatus,
    attempts: z.number().int().openapi({ description: 'Tries so far', example: 1 }),
    nextAttemptAt: z.iso.datetime().nullable().openapi({ description: 'When the next try is due (pending only)', example: null }),
    lastStatusCode: z.number().int().nullable().openapi({ description: 'HTTP status of the last try; null when no response came', example: 200 }),
    lastError: z.string().nullable().openapi({ description: 'Why the last try failed', example: null }),
    lastResponseMs: z.number().int().nullable().openapi({ description: 'How long the last try took', example: 84 }),
    redeliveryOf: z.uuid().nullable().openapi({ description: 'For a manual re-send: the delivery it repeats', example: null }),
    createdAt: Timestamp('Created at'),
    updatedAt: Timestamp('Updated at'),
    deliveredAt: z.iso.datetime().nullable().openapi({ description: 'When a 2xx answer came', example: '2026-11-28T10:00:01.000Z' }),
  })
  .openapi('WebhookDelivery');

export const ListDeliveriesQuery = PageQuerySchema.extend({ status: DeliveryStatus.optional() });

export type CreateEndpointInput = z.infer<typeof CreateEndpointInput>;
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;
export type ListEndpointsQuery = z.infer<typeof ListEndpointsQuery>;
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuery>;
