import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { IntentAnswer, IntentInput, ListPaymentsQuery, Payment, PaymentIdParams, ProcessInput, RefundInput } from './schemas';

const tags = ['Payments'];

export const intent = defineRoute({
  method: 'post',
  path: '/intent',
  auth: 'required',
  idempotency: { scope: 'payments.intent' },
  tags,
  summary: 'The payment of my order',
  description: "Stripe: the client secret for Stripe.js. Payme, Click: the provider's checkout page while the order is payable. Cash: nothing to do.",
  request: { body: { ...json(IntentInput), required: true } },
  responses: { 200: { description: 'The intent', ...json(IntentAnswer) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const processPayment = defineRoute({
  method: 'post',
  path: '/process',
  auth: 'required',
  // Without Redis a retry re-confirms the order's one PaymentIntent, which Stripe charges at most once.
  idempotency: { scope: 'payments.process', whenStoreDown: 'proceed' },
  tags,
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

export const listPayments = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'My payments (admin: all)',
  request: { query: ListPaymentsQuery },
  responses: { 200: { description: 'A page of payments', ...json(pageOf(Payment)) }, ...authProblems, ...apiProblems },
});

export const getPayment = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  tags,
  summary: 'One payment',
  request: { params: PaymentIdParams },
  responses: { 200: { description: 'The payment', ...json(Payment) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const refund = defineRoute({
  method: 'post',
  path: '/{id}/refund',
  auth: 'required',
  roles: ['admin'],
  idempotency: { scope: 'payments.refund', required: true },
  tags,
  summary: 'Refund a payment, fully or partly (admin)',
  description: 'Never more than captured minus already refunded (409). Requires Idempotency-Key.',
  request: {
    params: PaymentIdParams,
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255) }),
    body: { ...json(RefundInput), required: true },
  },
  responses: { 200: { description: 'The payment after the refund', ...json(Payment) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
