import { z } from '@hono/zod-openapi';
import { LEDGER_ENTRY_KINDS } from '../../shared/db/schema';
import { CurrencySchema } from '../../shared/money';
import { PageQuerySchema } from '../../shared/pagination';

const Amount = z.number().int().openapi({ description: 'Minor units (cents, tiyin)', example: 90_000 });
const SellerIdQuery = z.uuid().openapi({ description: 'Admin: the seller. A seller may only name itself (another seller is 404)' });
const Currency = CurrencySchema.optional();

export const LedgerEntryKind = z.enum(LEDGER_ENTRY_KINDS).openapi({ description: 'What the entry books', example: 'sale' });

export const LedgerEntry = z
  .object({
    id: z.uuid(),
    key: z.string().openapi({ description: 'The fact it books, unique: `sale:<sellerOrderId>`, `refund:<refundAllocationId>`, `payout:<payoutId>`, ...' }),
    sellerId: z.uuid(),
    kind: LedgerEntryKind,
    amount: z.number().int().openapi({ description: 'Signed minor units: positive is owed to the seller', example: -10_000 }),
    currency: z.string().openapi({ example: 'UZS' }),
    orderId: z.uuid().nullable(),
    sellerOrderId: z.uuid().nullable(),
    refundAllocationId: z.uuid().nullable(),
    payoutId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('LedgerEntry');

export const ListEntriesQuery = PageQuerySchema.extend({
  sellerId: SellerIdQuery.optional(),
  currency: Currency,
  kind: LedgerEntryKind.optional(),
  orderId: z.uuid().optional().openapi({ description: 'Only the entries of this order' }),
});

export const BalanceQuery = z.object({
  sellerId: SellerIdQuery.optional().openapi({ description: 'Required for an admin; a seller gets its own' }),
  currency: Currency,
});

export const Balance = z
  .object({
    currency: z.string().openapi({ example: 'UZS' }),
    pending: Amount.openapi({ description: 'Earnings of seller orders not delivered, or delivered less than LEDGER_HOLD_DAYS ago' }),
    available: Amount.openapi({ description: 'Matured earnings minus payouts: what can be paid out now (negative if refunds came after a payout)' }),
    paidOut: Amount.openapi({ description: 'Everything paid out so far' }),
  })
  .openapi('Balance');

export const Balances = z
  .object({ sellerId: z.uuid(), holdDays: z.number().int(), balances: z.array(Balance) })
  .openapi('Balances', { description: 'One balance per currency the seller has entries in' });

export const CreatePayoutInput = z
  .strictObject({
    sellerId: z.uuid().openapi({ description: 'The seller paid' }),
    amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Minor units; at most the available balance', example: 50_000 }),
    currency: CurrencySchema,
    reference: z.string().trim().min(1).max(200).openapi({ description: 'The transfer reference, e.g. the bank order number', example: 'PP-2026-000123' }),
  })
  .openapi('CreatePayoutInput');

export const Payout = z
  .object({
    id: z.uuid(),
    sellerId: z.uuid(),
    amount: z.number().int(),
    currency: z.string(),
    reference: z.string(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Payout');

export const ListPayoutsQuery = PageQuerySchema.extend({ sellerId: SellerIdQuery.optional(), currency: Currency });

export const ReconcileLine = z
  .object({
    currency: z.string(),
    captured: Amount.openapi({ description: 'Money received from buyers (payments.amount_received)' }),
    refunded: Amount.openapi({ description: 'Money given back (payments.amount_refunded)' }),
    sellerEarnings: Amount.openapi({ description: 'Σ the sellers’ sale, commission, refund and commission_refund entries' }),
    platformCommission: Amount.openapi({ description: 'Commission kept: −Σ commission and commission_refund entries' }),
    difference: Amount.openapi({ description: '(captured − refunded) − (sellerEarnings + platformCommission); 0 when consistent' }),
  })
  .openapi('ReconcileLine');

export const Reconciliation = z
  .object({
    consistent: z.boolean(),
    totals: z.array(ReconcileLine.extend({ orders: z.number().int() })).openapi({ description: 'Per currency' }),
    mismatches: z.array(ReconcileLine.extend({ orderId: z.uuid() })).openapi({ description: 'Orders whose ledger does not match their money (at most `limit`)' }),
  })
  .openapi('Reconciliation');

export const ReconcileQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'Most mismatching orders listed' }),
});

export const SellerIdParams = z.object({ sellerId: z.uuid().openapi({ param: { name: 'sellerId', in: 'path' } }) });

export const SummaryQuery = z.object({
  from: z.iso.datetime().optional().openapi({ description: 'Start (inclusive). Default: 30 days before `to`', example: '2026-11-01T00:00:00Z' }),
  to: z.iso.datetime().optional().openapi({ description: 'End (exclusive). Default: now', example: '2026-12-01T00:00:00Z' }),
});

export const SellerSummary = z
  .object({
    sellerId: z.uuid(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        sales: Amount.openapi({ description: 'Seller order totals booked (incl. tax and shipping)' }),
        commission: Amount.openapi({ description: 'Commission charged minus commission given back with refunds' }),
        refunds: Amount.openapi({ description: 'All money refunded (cancellations, returns, provider refunds)' }),
        returns: Amount.openapi({ description: 'The part of `refunds` that came from returns' }),
        net: Amount.openapi({ description: 'sales − commission − refunds: the seller’s earnings' }),
        payouts: Amount,
        orders: z.number().int().openapi({ description: 'Seller orders sold' }),
        refundCount: z.number().int(),
        returnCount: z.number().int(),
      }),
    ),
  })
  .openapi('SellerSummary', { description: 'Booked in [from, to), by the entries’ dates' });

export const CommissionInput = z
  .strictObject({
    commissionBps: z.number().int().min(0).max(10_000).nullable().openapi({ description: 'Basis points (1000 = 10%); null removes the override', example: 800 }),
  })
  .openapi('SellerCommissionInput');

export const SellerCommission = z
  .object({ sellerId: z.uuid(), commissionBps: z.number().int().nullable(), defaultBps: z.number().int() })
  .openapi('SellerCommission');

export const SellerVatInput = z
  .strictObject({
    vatPayer: z.boolean().openapi({ description: 'true: a VAT payer (lines at TAX_RATE_BPS); false: turnover tax, lines at 0% VAT', example: true }),
  })
  .openapi('SellerVatInput');

export const SellerVat = z
  .object({
    sellerId: z.uuid(),
    vatPayer: z.boolean().openapi({ description: 'Whether the seller’s lines carry VAT', example: true }),
    vatPercent: z.number().openapi({ description: 'The VAT rate of its lines now, in percent (0 for a turnover-tax seller)', example: 12 }),
  })
  .openapi('SellerVat');

export type ListEntriesQuery = z.infer<typeof ListEntriesQuery>;
export type BalanceQuery = z.infer<typeof BalanceQuery>;
export type CreatePayoutInput = z.infer<typeof CreatePayoutInput>;
export type ListPayoutsQuery = z.infer<typeof ListPayoutsQuery>;
export type SummaryQuery = z.infer<typeof SummaryQuery>;
