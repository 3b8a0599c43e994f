import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { CreateOrderInput, ListOrdersQuery, Order, OrderIdParams, OrderStats, PlacedOrder, ReceiptSchema, SetStatusInput, StatsQuery } from './schemas';
import { z } from '@hono/zod-openapi';

const tags = ['Orders'];
const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Required: retries with the same key and body return the first answer' }),
});

export const placeOrder = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  // Without Redis, orders' unique (user_id, idempotency_key) still makes a retry find the first order, never a second one.
  idempotency: { scope: 'orders.create', required: true, whenStoreDown: 'proceed' },
  tags,
  summary: 'Place an order from my cart',
  description:
    'Prices the cart, reserves every SKU (all or nothing), creates the Stripe PaymentIntent and the order. ' +
    '409 OUT_OF_STOCK names the SKUs and what is available; an empty cart is a 400. Requires Idempotency-Key: ' +
    'a retry with the key of an order already placed (within 24 hours) answers that order again, with `Idempotent-Replayed: true`, ' +
    'even when the first answer was a 503 or never arrived. With `expectedTotal`, a re-priced total that differs is ' +
    '409 PRICE_CHANGED with the re-priced `cart`, and nothing is placed. Anti-hoarding limits: 409 TOO_MANY_UNPAID_ORDERS, ' +
    'UNIT_LIMIT_EXCEEDED, PURCHASE_LIMIT_EXCEEDED; 403 EMAIL_NOT_VERIFIED when checkout requires a verified email. ' +
    'One checkout per customer runs at a time (a second waits, then 409 CHECKOUT_IN_PROGRESS).',
  request: { headers: idempotencyHeader, body: { ...json(CreateOrderInput), required: true } },
  responses: { 201: { description: 'Placed; pay it with the client secret', ...json(PlacedOrder) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listOrders = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'Orders I can see',
  description:
    'A customer: its own. A seller: orders containing its products, with only its lines and totals, the address once paid, ' +
    'no payment ids and only its own history notes. An admin: all.',
  request: { query: ListOrdersQuery },
  responses: { 200: { description: 'A page of orders', ...json(pageOf(Order)) }, ...authProblems, ...apiProblems },
});

export const orderStats = defineRoute({
  method: 'get',
  path: '/stats',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Order statistics (admin)',
  description:
    'Counts by status, revenue (paid totals minus refunds), average order value and a per-day series, for one currency, ' +
    'over orders created in [from, to). Without a range: the last 30 days up to now; the answer echoes the range used.',
  request: { query: StatsQuery },
  responses: { 200: { description: 'Statistics', ...json(OrderStats) }, ...authProblems, ...apiProblems },
});

export const getOrder = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  tags,
  summary: 'One order, with its history',
  request: { params: OrderIdParams },
  responses: { 200: { description: 'The order', ...json(Order) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const getReceipt = defineRoute({
  method: 'get',
  path: '/{id}/receipt',
  auth: 'required',
  tags,
  summary: 'The order’s fiscal receipt data',
  description:
    'Per line: title, SKU, quantity, unit price, total, MXIK and package codes, VAT rate and amount as fixed at checkout; each seller ' +
    'order’s shipping as a line of its own; the payments (docs/vat-and-receipts.md). The buyer and an admin get the whole order, whose ' +
    'lines add up to its total and tax; a seller of the order only its own lines and no payments; anyone else 404.',
  request: { params: OrderIdParams },
  responses: { 200: { description: 'The receipt data', ...json(ReceiptSchema) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const setStatus = defineRoute({
  method: 'put',
  path: '/{id}/status',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Move an order through fulfilment',
  description: 'Admin: any legal step. Seller: processing, shipped, delivered on orders with its products. Illegal transitions: 409.',
  request: { params: OrderIdParams, body: { ...json(SetStatusInput), required: true } },
  responses: { 200: { description: 'The order', ...json(Order) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const cancelOrder = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  tags,
  summary: 'Cancel my order',
  description: 'Unpaid: releases the stock. Paid but not shipped: refunds in full and restocks. Otherwise 409.',
  request: { params: OrderIdParams },
  responses: { 200: { description: 'The cancelled order', ...json(Order) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
