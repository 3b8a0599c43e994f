import { createRoute, z } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { IntentAnswer, IntentInput, ListPaymentsQuery, Payment, PaymentIdParams, ProcessInput, RefundInput } from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Payments'];
const security = [{ bearerAuth: [] }];

export const intent = createRoute({
  method: 'post',
  path: '/intent',
  tags,
  security,
  summary: 'The PaymentIntent of my order',
  description: 'Returns the client secret for Stripe.js.',
  request: { body: { ...json(IntentInput), required: true } },
  responses: { 200: { description: 'The intent', ...json(IntentAnswer) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const processPayment = createRoute({
  method: 'post',
  path: '/process',
  tags,
  security,
  summary: 'Pay my order with a payment method (server-side confirm)',
  description: 'A decline answers 402 PAYMENT_FAILED and the order stays payable until its reservation expires.',
  request: { body: { ...json(ProcessInput), required: true } },
  responses: {
    200: { description: 'Paid', ...json(z.object({ paymentIntentId: z.string(), status: z.string(), orderId: z.uuid() })) },
    ...problems(402, 404, 409),
    ...authProblems,
    ...apiProblems,
  },
});

export const listPayments = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'My payments (admin: all)',
  request: { query: ListPaymentsQuery },
  responses: { 200: { description: 'A page of payments', ...json(pageOf(Payment)) }, ...authProblems, ...apiProblems },
});

export const getPayment = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  security,
  summary: 'One payment',
  request: { params: PaymentIdParams },
  responses: { 200: { description: 'The payment', ...json(Payment) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const refund = createRoute({
  method: 'post',
  path: '/{id}/refund',
  tags,
  security,
  summary: 'Refund a payment, fully or partly (admin)',
  description: 'Never more than captured minus already refunded (409). Requires Idempotency-Key.',
  request: {
    params: PaymentIdParams,
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255) }),
    body: { ...json(RefundInput), required: true },
  },
  responses: { 200: { description: 'The payment after the refund', ...json(Payment) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
