import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';

export const OutboxQuery = PageQuerySchema.extend({
  to: z
    .string()
    .trim()
    .toLowerCase()
    .min(3)
    .max(254)
    .optional()
    .openapi({ description: 'Only emails to this address', example: 'ada@example.com' }),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const OutboxEmail = z
  .object({
    id: z.uuid().openapi({ description: 'Outbox entry id', example: '01930000-0000-7000-8000-000000000001' }),
    deliveryId: z.uuid().nullable().openapi({ description: 'The email delivery it belongs to', example: '01930000-0000-7000-8000-000000000002' }),
    from: z.string().openapi({ description: 'Sender', example: 'UltraMarket <no-reply@ultramarket.example>' }),
    to: z.string().openapi({ description: 'Recipient', example: 'ada@example.com' }),
    subject: z.string().openapi({ description: 'Subject line', example: 'Confirm your email address' }),
    text: z.string().openapi({ description: 'Plain-text body', example: 'Hello Ada,\n\n…' }),
    html: z.string().openapi({ description: 'HTML body', example: '<!doctype html>…' }),
    createdAt: z.iso.datetime().openapi({ description: 'When it was "sent"', example: '2026-11-28T10:00:00.000Z' }),
  })
  .openapi('OutboxEmail');
export type OutboxEmail = z.infer<typeof OutboxEmail>;
