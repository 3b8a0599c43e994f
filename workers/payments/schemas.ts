import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';

export const Payment = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    provider: z.string().openapi({ example: 'stripe' }),
    paymentIntentId: z.string(),
    status: z.string().openapi({ description: 'Stripe PaymentIntent status', example: 'succeeded' }),
    amount: z.number().int(),
    amountReceived: z.number().int(),
    amountRefunded: z.number().int(),
    currency: z.string(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Payment');

export const IntentInput = z.strictObject({ orderId: z.uuid() }).openapi('PaymentIntentInput');
export const ProcessInput = z
  .strictObject({
    orderId: z.uuid(),
    paymentMethodId: z.string().min(3).max(255).openapi({ description: 'A Stripe PaymentMethod id', example: 'pm_card_visa' }),
  })
  .openapi('ProcessPaymentInput');
export const RefundInput = z
  .strictObject({
    amount: z.number().int().positive().optional().openapi({ description: 'Minor units; the whole remainder when omitted', example: 500 }),
    reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  })
  .openapi('RefundInput');

export const IntentAnswer = z
  .object({ paymentIntentId: z.string(), clientSecret: z.string().nullable(), status: z.string() })
  .openapi('PaymentIntentAnswer');

export const ListPaymentsQuery = PageQuerySchema.extend({ orderId: z.uuid().optional() });
export const PaymentIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export type Payment = z.infer<typeof Payment>;
export type ListPaymentsQuery = z.infer<typeof ListPaymentsQuery>;
