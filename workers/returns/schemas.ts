import { z } from '@hono/zod-openapi';
import { RETURN_STATUSES } from '../../shared/db/schema';
import { PageQuerySchema } from '../../shared/pagination';

export const ReturnStatus = z.enum(RETURN_STATUSES).openapi({ description: 'Return status (docs/returns.md)', example: 'requested' });

const Reason = z.string().trim().min(3).max(1000);

export const ReturnLineInput = z.strictObject({
  orderItemId: z.uuid().openapi({ description: 'A line (`items[].id`) of the seller order' }),
  quantity: z.number().int().min(1).max(10_000).openapi({ description: 'Units of that line to send back', example: 1 }),
});

export const RequestReturnInput = z
  .strictObject({
    orderId: z.uuid().openapi({ description: 'My order' }),
    sellerOrderId: z.uuid().openapi({ description: 'Its seller order whose lines go back (delivered, within RETURN_WINDOW_DAYS)' }),
    items: z
      .array(ReturnLineInput)
      .min(1)
      .max(100)
      .refine((items) => new Set(items.map((i) => i.orderItemId)).size === items.length, 'each line at most once')
      .openapi({ description: 'The lines and how many of their units' }),
    reason: Reason.openapi({ description: 'Why, in the buyer\'s words', example: 'The zip is broken' }),
    photoFileIds: z
      .array(z.uuid())
      .max(10)
      .default([])
      .refine((ids) => new Set(ids).size === ids.length, 'each file at most once')
      .openapi({ description: 'Files I uploaded (POST /files) showing the goods' }),
  })
  .openapi('RequestReturnInput');

export const RejectReturnInput = z
  .strictObject({ reason: Reason.openapi({ description: 'Told to the buyer', example: 'The item shows signs of use' }) })
  .openapi('RejectReturnInput');

export const ReceiveLineInput = z.strictObject({
  returnItemId: z.uuid().openapi({ description: 'A line of the return (`items[].id`)' }),
  restockable: z.boolean().openapi({ description: 'Whether its units go back on sale (to the SKU\'s stock)' }),
});

const receiveLines = z
  .array(ReceiveLineInput)
  .min(1)
  .max(100)
  .refine((items) => new Set(items.map((i) => i.returnItemId)).size === items.length, 'each line at most once');

export const ReceiveReturnInput = z
  .strictObject({ items: receiveLines.openapi({ description: 'Every line of the return, each once' }) })
  .openapi('ReceiveReturnInput');

export const RefundReturnInput = z
  .strictObject({
    items: receiveLines
      .optional()
      .openapi({ description: 'Only for an approved return not yet received: receive it with these lines in the same call' }),
  })
  .openapi('RefundReturnInput');

export const ReturnItem = z
  .object({
    id: z.uuid(),
    orderItemId: z.uuid(),
    sku: z.string(),
    quantity: z.number().int(),
    unitPrice: z.number().int().openapi({ description: 'Minor units, as bought' }),
    restockable: z.boolean().nullable().openapi({ description: 'null until received' }),
    restockedAt: z.iso.datetime().nullable().openapi({ description: 'When its units went back to stock (restockable lines)' }),
  })
  .openapi('ReturnItem');

export const ReturnHistoryEntry = z
  .object({ from: ReturnStatus.nullable(), to: ReturnStatus, actor: z.string(), note: z.string().nullable(), at: z.iso.datetime() })
  .openapi('ReturnHistoryEntry');

export const Return = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    orderNumber: z.string().openapi({ example: 'UM-2026-000123' }),
    sellerOrderId: z.uuid(),
    sellerId: z.uuid(),
    userId: z.uuid().openapi({ description: 'The buyer' }),
    status: ReturnStatus,
    reason: z.string(),
    rejectReason: z.string().nullable(),
    photoFileIds: z.array(z.uuid()),
    currency: z.string(),
    refundAmount: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'What the refund step refunds (lines + their tax share + shipping when the whole seller order came back); null before it' }),
    refundedAmount: z.number().int().nullable().openapi({ description: 'What the payment provider refunded; null until refunded' }),
    items: z.array(ReturnItem),
    history: z.array(ReturnHistoryEntry),
    approvedAt: z.iso.datetime().nullable(),
    rejectedAt: z.iso.datetime().nullable(),
    receivedAt: z.iso.datetime().nullable(),
    refundedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Return');

export const ListReturnsQuery = PageQuerySchema.extend({
  status: ReturnStatus.optional(),
  orderId: z.uuid().optional().openapi({ description: 'Only returns of this order' }),
});

export const ReturnIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Required: a retry with the same key and body answers the first answer' }),
});

export type RequestReturnInput = z.infer<typeof RequestReturnInput>;
export type ReceiveLineInput = z.infer<typeof ReceiveLineInput>;
export type ListReturnsQuery = z.infer<typeof ListReturnsQuery>;
export type Return = z.infer<typeof Return>;
