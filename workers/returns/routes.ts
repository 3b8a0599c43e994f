import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  idempotencyHeader,
  ListReturnsQuery,
  ReceiveReturnInput,
  RefundReturnInput,
  RejectReturnInput,
  RequestReturnInput,
  Return,
  ReturnIdParams,
} from './schemas';

const tags = ['Returns'];
const sellerMoves = 'Only the seller of the seller order or an admin (its buyer: 403; anyone else: 404). An impossible move is 409.';

export const requestReturn = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  // The request is not money yet; a retry with the key answers the first return instead of a second one.
  idempotency: { scope: 'returns.request' },
  tags,
  summary: 'Ask to return delivered lines',
  description:
    'The buyer of the order asks to send back units of lines of one of its seller orders. Only a `delivered` seller order ' +
    '(409 CONFLICT otherwise), within RETURN_WINDOW_DAYS of its delivery (409 RETURN_WINDOW_CLOSED), never more units than ' +
    'delivered minus those already in open or completed returns (409 RETURN_QUANTITY_EXCEEDED). Photos are ids of files the buyer ' +
    'uploaded (400 otherwise). Another user\'s order: 404. The seller is notified.',
  request: { body: { ...json(RequestReturnInput), required: true } },
  responses: { 201: { description: 'The return, requested', ...json(Return) }, ...problems(400, 404, 409), ...authProblems, ...apiProblems },
});

export const listReturns = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'Returns I can see',
  description: 'A buyer: its own. A seller: those of its seller orders (and its own purchases). An admin: all. Newest first.',
  request: { query: ListReturnsQuery },
  responses: { 200: { description: 'A page of returns', ...json(pageOf(Return)) }, ...authProblems, ...apiProblems },
});

export const getReturn = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  tags,
  summary: 'One return, with its lines and history',
  request: { params: ReturnIdParams },
  responses: { 200: { description: 'The return', ...json(Return) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const approveReturn = defineRoute({
  method: 'post',
  path: '/{id}/approve',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Accept a return (seller, admin)',
  description: `requested → approved; the buyer is notified and sends the goods back. ${sellerMoves}`,
  request: { params: ReturnIdParams },
  responses: { 200: { description: 'The return', ...json(Return) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const rejectReturn = defineRoute({
  method: 'post',
  path: '/{id}/reject',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Refuse a return (seller, admin)',
  description: `requested → rejected with a reason the buyer is told. ${sellerMoves}`,
  request: { params: ReturnIdParams, body: { ...json(RejectReturnInput), required: true } },
  responses: { 200: { description: 'The return', ...json(Return) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const receiveReturn = defineRoute({
  method: 'post',
  path: '/{id}/receive',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'The goods are back: mark each line restockable or not (seller, admin)',
  description:
    'approved → received. Every line of the return, each once. Restockable units go back to the SKU\'s stock exactly once. ' +
    `Repeating the call with the same marks answers the return again; other marks: 409. ${sellerMoves}`,
  request: { params: ReturnIdParams, body: { ...json(ReceiveReturnInput), required: true } },
  responses: { 200: { description: 'The return', ...json(Return) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const refundReturn = defineRoute({
  method: 'post',
  path: '/{id}/refund',
  auth: 'required',
  roles: ['seller', 'admin'],
  idempotency: { scope: 'returns.refund', required: true },
  tags,
  summary: 'Refund a received return (seller, admin)',
  description:
    'received → refunded: the lines\' amounts, their share of the seller order\'s tax, and its shipping when this return brings ' +
    'back the last of its units, through the payment provider exactly once. With `items`, an approved return is received and ' +
    `refunded in one call. A second refund of the same return is 409. Requires Idempotency-Key. ${sellerMoves}`,
  request: { params: ReturnIdParams, headers: idempotencyHeader, body: { ...json(RefundReturnInput), required: false } },
  responses: { 200: { description: 'The return, refunded', ...json(Return) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
