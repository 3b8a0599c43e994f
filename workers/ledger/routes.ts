import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  BalanceQuery,
  Balances,
  CommissionInput,
  CreatePayoutInput,
  LedgerEntry,
  ListEntriesQuery,
  ListPayoutsQuery,
  Payout,
  ReconcileQuery,
  Reconciliation,
  SellerCommission,
  SellerIdParams,
  SellerSummary,
  SellerVat,
  SellerVatInput,
  SummaryQuery,
} from './schemas';

const tags = ['Ledger'];
const sellersAndAdmins = ['seller', 'admin'] as const;

export const getBalance = defineRoute({
  method: 'get',
  path: '/balance',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'A seller’s balance: pending, available, paid out',
  description: 'A seller: its own. An admin: `?sellerId=` (required). One row per currency; see docs/ledger.md for when earnings become available.',
  request: { query: BalanceQuery },
  responses: { 200: { description: 'Balances', ...json(Balances) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listEntries = defineRoute({
  method: 'get',
  path: '/entries',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'Ledger entries, newest first',
  description: 'A seller: its own. An admin: all, or `?sellerId=`. Filters: currency, kind, orderId.',
  request: { query: ListEntriesQuery },
  responses: { 200: { description: 'A page of entries', ...json(pageOf(LedgerEntry)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const createPayout = defineRoute({
  method: 'post',
  path: '/payouts',
  auth: 'required',
  roles: ['admin'],
  idempotency: { scope: 'ledger.payout', required: true },
  tags,
  summary: 'Pay a seller out (admin)',
  description:
    'Books a payout against the seller’s available balance in that currency: 409 INSUFFICIENT_BALANCE when it asks for more. ' +
    'Requires Idempotency-Key: a retry answers the first payout. The seller is notified.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Required: a retry with the same key and body answers the first payout' }) }),
    body: { ...json(CreatePayoutInput), required: true },
  },
  responses: { 201: { description: 'The payout', ...json(Payout) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listPayouts = defineRoute({
  method: 'get',
  path: '/payouts',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'Payouts, newest first',
  description: 'A seller: its own. An admin: all, or `?sellerId=`.',
  request: { query: ListPayoutsQuery },
  responses: { 200: { description: 'A page of payouts', ...json(pageOf(Payout)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const reconcile = defineRoute({
  method: 'get',
  path: '/reconcile',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Check the ledger against the money (admin)',
  description:
    'Per currency and per order: captured − refunded must equal seller earnings + platform commission. ' +
    'Lists the orders where it does not (`consistent: false`); an empty list when everything matches.',
  request: { query: ReconcileQuery },
  responses: { 200: { description: 'The reconciliation', ...json(Reconciliation) }, ...authProblems, ...apiProblems },
});

export const sellerSummary = defineRoute({
  method: 'get',
  path: '/sellers/{sellerId}/summary',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'A seller’s sales, commission, refunds and returns',
  description: 'An admin: any seller. A seller: itself only (another is 404). Range [from, to), default the last 30 days.',
  request: { params: SellerIdParams, query: SummaryQuery },
  responses: { 200: { description: 'The summary', ...json(SellerSummary) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const getSellerCommission = defineRoute({
  method: 'get',
  path: '/sellers/{sellerId}/commission',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'A seller’s commission override',
  description: 'An admin: any seller. A seller: itself only.',
  request: { params: SellerIdParams },
  responses: { 200: { description: 'The override and the default', ...json(SellerCommission) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const setSellerCommission = defineRoute({
  method: 'put',
  path: '/sellers/{sellerId}/commission',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Set or clear a seller’s commission override (admin)',
  description: 'Applies to orders placed from now on; orders already placed keep the commission fixed at checkout.',
  request: { params: SellerIdParams, body: { ...json(CommissionInput), required: true } },
  responses: { 200: { description: 'The override', ...json(SellerCommission) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const getSellerVat = defineRoute({
  method: 'get',
  path: '/sellers/{sellerId}/vat',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'Whether a seller pays VAT',
  description: 'An admin: any seller. A seller: itself only (another is 404). Sellers are VAT payers unless set otherwise (docs/vat-and-receipts.md).',
  request: { params: SellerIdParams },
  responses: { 200: { description: 'The seller’s VAT status', ...json(SellerVat) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const setSellerVat = defineRoute({
  method: 'put',
  path: '/sellers/{sellerId}/vat',
  auth: 'required',
  roles: sellersAndAdmins,
  tags,
  summary: 'Set whether a seller pays VAT',
  description:
    'An admin: any seller. A seller: itself only (another is 404). A seller who is not a VAT payer (turnover tax) sells with 0% VAT ' +
    'on its lines. Applies to orders placed from now on; orders already placed keep the VAT fixed at checkout.',
  request: { params: SellerIdParams, body: { ...json(SellerVatInput), required: true } },
  responses: { 200: { description: 'The seller’s VAT status', ...json(SellerVat) }, ...problems(404), ...authProblems, ...apiProblems },
});
