import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  CashCollectedInput,
  CreateShipmentInput,
  ListSellerOrdersQuery,
  Order,
  OrderSellerOrderParams,
  SellerOrder,
  SellerOrderIdParams,
  SetSellerOrderStatusInput,
  ShipmentIdParams,
} from './schemas';

const tags = ['Seller orders'];
const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Required: retries with the same key and body return the first answer' }),
});

/** `/seller-orders`: a seller's part of an order (docs/marketplace.md). */
export const listSellerOrders = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'My seller orders (admin: all)',
  description:
    "A seller: its own seller orders, newest first; an admin: all, or one seller's with `sellerId`. Filters: `status`, `orderId`, " +
    '`from`/`to` (created). Lines, totals and shipments; the delivery address only once paid; never other sellers\' lines or payment ids.',
  request: { query: ListSellerOrdersQuery },
  responses: { 200: { description: 'A page of seller orders', ...json(pageOf(SellerOrder)) }, ...authProblems, ...apiProblems },
});

export const getSellerOrder = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'One seller order, with its history and shipments',
  description: "Its seller or an admin; another seller's is 404.",
  request: { params: SellerOrderIdParams },
  responses: { 200: { description: 'The seller order', ...json(SellerOrder) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const setSellerOrderStatus = defineRoute({
  method: 'post',
  path: '/{id}/status',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Move my seller order: processing, or delivered',
  description:
    '`processing` from paid; `delivered` only once every unit has shipped (its shipments are delivered with it). ' +
    "Its seller or an admin; another seller's (and, to a seller that bought it, its own purchase) is 404; an impossible move is 409 with `from` and `to`.",
  request: { params: SellerOrderIdParams, body: { ...json(SetSellerOrderStatusInput), required: true } },
  responses: { 200: { description: 'The seller order', ...json(SellerOrder) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const createShipment = defineRoute({
  method: 'post',
  path: '/{id}/shipments',
  auth: 'required',
  roles: ['seller', 'admin'],
  idempotency: { scope: 'orders.create-shipment' },
  tags,
  summary: 'Ship some or all of a seller order',
  description:
    'One parcel: lines and units, carrier, tracking number and URL. A line never ships more units than it has left (409 with what is left). ' +
    'The seller order becomes partially_shipped, or shipped with its last units; the buyer is told with the tracking. ' +
    'From paid, processing or partially_shipped only (409). With an Idempotency-Key, a retried request answers the first parcel instead of sending a second.',
  request: {
    params: SellerOrderIdParams,
    headers: z.object({
      'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Optional: retries with the same key and body return the first answer (one parcel)' }),
    }),
    body: { ...json(CreateShipmentInput), required: true },
  },
  responses: { 201: { description: 'The seller order with the new shipment', ...json(SellerOrder) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const cashCollected = defineRoute({
  method: 'post',
  path: '/{id}/cash-collected',
  auth: 'required',
  roles: ['seller', 'admin'],
  idempotency: { scope: 'orders.cash-collected' },
  tags,
  summary: 'The cash of my cash-on-delivery seller order was collected at the door',
  description:
    'Cash on delivery (docs/cash-on-delivery.md): its seller (for its courier) or an admin records the cash collected for one seller order, ' +
    "once all of it has shipped. `amount` must be the seller order's total (409 otherwise, nothing changes). The seller order becomes delivered; " +
    'when every seller order of the order is collected, the order is paid (and delivered) and the sales are booked. A repeat answers the same. ' +
    "Not a cash order, not shipped yet, or the order was cancelled: 409. Another seller's: 404. Idempotency-Key optional.",
  request: {
    params: SellerOrderIdParams,
    headers: z.object({
      'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Optional: retries with the same key and body return the first answer' }),
    }),
    body: { ...json(CashCollectedInput), required: true },
  },
  responses: { 200: { description: 'The seller order after the collection', ...json(SellerOrder) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

/** `/shipments` */
export const deliverShipment = defineRoute({
  method: 'post',
  path: '/{id}/delivered',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'A parcel arrived',
  description:
    'Its seller or an admin. When every shipment of a fully shipped seller order is delivered, the seller order is delivered. ' +
    'A parcel already delivered answers as it is.',
  request: { params: ShipmentIdParams },
  responses: { 200: { description: 'The seller order of the parcel', ...json(SellerOrder) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const readyForPickup = defineRoute({
  method: 'post',
  path: '/{id}/ready-for-pickup',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'A parcel waits for the buyer at its pickup point',
  description:
    'For a seller order shipped to a pickup point (a `pickup` method chosen at checkout): its seller or an admin marks the parcel ready at the point. ' +
    "The time is kept (`readyForPickupAt` on the shipment) and the buyer is told in-app, by email and by SMS, with the point and the pickup code. " +
    'Marked again: answers as it is, nobody is told twice. A parcel not to a pickup point, already delivered, or of a refunded seller order: 409. ' +
    "Another seller's: 404.",
  request: { params: ShipmentIdParams },
  responses: { 200: { description: 'The seller order of the parcel', ...json(SellerOrder) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

/** On the orders router: `/orders/{id}/seller-orders/{sellerOrderId}/cancel`. */
export const cancelSellerOrder = defineRoute({
  method: 'post',
  path: '/{id}/seller-orders/{sellerOrderId}/cancel',
  auth: 'required',
  idempotency: { scope: 'orders.cancel-seller-order', required: true },
  tags: ['Orders'],
  summary: "Cancel one seller's part of my order",
  description:
    'Before it ships (paid or processing): its units go back on the shelf and its total is refunded through the payment provider, once. ' +
    'The other seller orders are untouched; the order\'s status is derived again. The buyer, the seller order\'s seller or an admin; ' +
    'anyone else 404. An unpaid order is cancelled whole (DELETE /orders/{id}): 409. Shipped: 409. Requires Idempotency-Key.',
  request: { params: OrderSellerOrderParams, headers: idempotencyHeader },
  responses: { 200: { description: 'The order after the cancellation, as the caller sees it', ...json(Order) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
