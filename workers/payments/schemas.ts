import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';

export const Payment = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    provider: z.string().openapi({ description: 'stripe, payme, click or cash', example: 'payme' }),
    paymentIntentId: z.string().openapi({ description: "Stripe's PaymentIntent id, or `payme_…`, `click_…`, `cash_…`" }),
    status: z.string().openapi({
      description: "Stripe's PaymentIntent status; the same words for the others: requires_payment_method, processing, succeeded, canceled",
      example: 'succeeded',
    }),
    amount: z.number().int(),
    amountReceived: z.number().int(),
    amountRefunded: z.number().int(),
    currency: z.string(),
    lastError: z.string().nullable(),
    closedAt: z.iso.datetime().nullable().openapi({ description: 'Payme, Click, cash: when the order was cancelled or expired and the payment closed' }),
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
  .object({
    provider: z.string().openapi({ example: 'payme' }),
    paymentIntentId: z.string(),
    clientSecret: z.string().nullable().openapi({ description: 'Stripe only' }),
    checkoutUrl: z.string().nullable().openapi({ description: "Payme, Click: the provider's checkout page while the order is payable" }),
    status: z.string(),
  })
  .openapi('PaymentIntentAnswer');

export const ListPaymentsQuery = PageQuerySchema.extend({ orderId: z.uuid().optional() });
export const PaymentIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export type Payment = z.infer<typeof Payment>;
export type ListPaymentsQuery = z.infer<typeof ListPaymentsQuery>;
