import { z } from '@hono/zod-openapi';
import { PROMOTION_ACTIVATIONS, PROMOTION_KINDS, PROMOTION_STATUSES } from '../../shared/db/schema';
import { PageQuerySchema } from '../../shared/pagination';

const MAX_AMOUNT = 1_000_000_000_000;
const Id = (description: string) => z.uuid().openapi({ description, example: '01930000-0000-7000-8000-000000000010' });
const Amount = (description: string, example: number) => z.number().int().min(1).max(MAX_AMOUNT).openapi({ description, example });
const IdList = (description: string) => z.array(z.uuid()).max(500).default([]).openapi({ description });
const Instant = (description: string) => z.iso.datetime({ offset: true }).openapi({ description, example: '2026-12-31T19:00:00Z' });
const Limit = (description: string) => z.number().int().min(1).max(100_000_000).nullable().openapi({ description, example: 100 });

/** A code as typed: trimmed and upper-cased, then 3–40 of A–Z, 0–9, `-`, `_` (starting with a letter or digit). */
export const CodeString = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{2,39}$/, 'must be 3–40 letters, digits, - or _ (case does not matter)')
  .openapi({ description: 'A discount code; compared case-insensitively, stored upper-case', example: 'YANGIYIL25' });

export const PromotionParamsInput = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('percentage'),
      percent: z.number().int().min(1).max(100).openapi({ description: 'Percent off the targeted lines, 1–100', example: 10 }),
      maxDiscount: Amount('At most this much off (needs `currency`); null = no cap', 100_000_00).nullable().default(null),
    }),
    z.strictObject({ kind: z.literal('fixed_amount'), amount: Amount('Amount off the targeted lines (the promotion’s currency, minor units)', 50_000_00) }),
    z.strictObject({ kind: z.literal('free_shipping') }),
    z.strictObject({
      kind: z.literal('buy_x_get_y'),
      buyQuantity: z.number().int().min(1).max(100).openapi({ description: 'Units to buy', example: 2 }),
      getQuantity: z.number().int().min(1).max(100).openapi({ description: 'Units given per buyQuantity bought', example: 1 }),
      rewardProductIds: z.array(z.uuid()).max(100).default([]).openapi({ description: 'The products given; empty: the cheapest of the targeted units themselves' }),
      rewardPercent: z.number().int().min(1).max(100).default(100).openapi({ description: 'Percent off each given unit (100 = free)', example: 100 }),
      maxApplications: z.number().int().min(1).max(1000).nullable().default(null).openapi({ description: 'Most rewards per order; null = no cap', example: 3 }),
    }),
    z.strictObject({
      kind: z.literal('tiered'),
      tiers: z
        .array(
          z.strictObject({
            minSubtotal: Amount('Spend at least this on the targeted lines', 500_000_00),
            amount: Amount('Amount off at this tier', 50_000_00),
          }),
        )
        .min(1)
        .max(20)
        .openapi({ description: 'Ascending by minSubtotal; the highest tier reached applies' }),
    }),
  ])
  .openapi('PromotionParams', { description: 'What the promotion gives; `kind` picks the shape' });

export const PromotionTargetsInput = z
  .strictObject({
    productIds: IdList('Only these products; empty = any'),
    categoryIds: IdList('Only products in these categories or their descendants; empty = any'),
    sellerIds: IdList('Only these sellers’ products; empty = any (a seller’s promotion: only its own anyway)'),
    customerIds: IdList('Only these customers; empty = anyone'),
  })
  .openapi('PromotionTargets', { description: 'Who and what it reaches; every non-empty list must match' });

const ruleFields = {
  name: z.string().trim().min(1).max(120).openapi({ description: 'Shown to buyers in the cart', example: 'Yangi yil: 10%' }),
  description: z.string().trim().max(2000).openapi({ description: 'For admins and sellers', example: 'New Year campaign' }),
  params: PromotionParamsInput,
  currency: z.string().regex(/^[A-Z]{3}$/).nullable().openapi({ description: 'The cart currency it applies to and its amounts are in; null = any (only without amounts)', example: 'UZS' }),
  targets: PromotionTargetsInput,
  minSubtotal: z.number().int().min(0).max(MAX_AMOUNT).nullable().openapi({ description: 'Least subtotal of the targeted lines (needs `currency`)', example: 200_000_00 }),
  minQuantity: z.number().int().min(1).max(100_000).nullable().openapi({ description: 'Least units of the targeted lines', example: 2 }),
  firstOrderOnly: z.boolean().openapi({ description: 'Only a customer’s first order', example: false }),
  startsAt: Instant('When it starts (ISO 8601; stored UTC — Tashkent is UTC+5)'),
  endsAt: Instant('When it ends, exclusive; null = open-ended').nullable(),
  exclusive: z.boolean().openapi({ description: 'Applies alone, never with another promotion', example: false }),
  priority: z.number().int().min(-1000).max(1000).openapi({ description: 'Higher applies earlier within its stage', example: 0 }),
  usageLimit: Limit('Redemptions in total; null = unlimited'),
  perCustomerLimit: Limit('Redemptions per customer; null = unlimited'),
  status: z.enum(['active', 'paused']).openapi({ description: 'paused: never applies (archive with DELETE)', example: 'active' }),
};

export const CreatePromotionInput = z
  .strictObject({
    ...ruleFields,
    description: ruleFields.description.default(''),
    activation: z.enum(PROMOTION_ACTIVATIONS).openapi({ description: 'automatic: applies when the rule matches; code: only with one of its codes', example: 'code' }),
    currency: ruleFields.currency.default(null),
    targets: ruleFields.targets.default({ productIds: [], categoryIds: [], sellerIds: [], customerIds: [] }),
    minSubtotal: ruleFields.minSubtotal.default(null),
    minQuantity: ruleFields.minQuantity.default(null),
    firstOrderOnly: ruleFields.firstOrderOnly.default(false),
    startsAt: ruleFields.startsAt.optional().openapi({ description: 'When it starts; default now' }),
    endsAt: ruleFields.endsAt.default(null),
    exclusive: ruleFields.exclusive.default(false),
    priority: ruleFields.priority.default(0),
    usageLimit: ruleFields.usageLimit.default(null),
    perCustomerLimit: ruleFields.perCustomerLimit.default(null),
    status: ruleFields.status.default('active'),
    sellerId: z.uuid().nullable().optional().openapi({ description: 'Admin only: the funding seller (default: the platform). A seller’s promotions are always its own.' }),
  })
  .openapi('CreatePromotionInput');

export const UpdatePromotionInput = z
  .strictObject({
    name: ruleFields.name.optional(),
    description: ruleFields.description.optional(),
    params: ruleFields.params.optional(),
    currency: ruleFields.currency.optional(),
    targets: ruleFields.targets.optional(),
    minSubtotal: ruleFields.minSubtotal.optional(),
    minQuantity: ruleFields.minQuantity.optional(),
    firstOrderOnly: ruleFields.firstOrderOnly.optional(),
    startsAt: ruleFields.startsAt.optional(),
    endsAt: ruleFields.endsAt.optional(),
    exclusive: ruleFields.exclusive.optional(),
    priority: ruleFields.priority.optional(),
    usageLimit: ruleFields.usageLimit.optional(),
    perCustomerLimit: ruleFields.perCustomerLimit.optional(),
    status: ruleFields.status.optional(),
  })
  .openapi('UpdatePromotionInput', { description: 'Only the fields sent change; the result is validated as a whole' });

export const Promotion = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(PROMOTION_KINDS).openapi({ description: 'The params’ kind' }),
    activation: z.enum(PROMOTION_ACTIVATIONS),
    status: z.enum(PROMOTION_STATUSES),
    funding: z.enum(['platform', 'seller']).openapi({ description: 'Who pays the discount' }),
    sellerId: z.uuid().nullable().openapi({ description: 'The funding seller; null = the platform' }),
    currency: z.string().nullable(),
    params: PromotionParamsInput,
    targets: PromotionTargetsInput,
    minSubtotal: z.number().int().nullable(),
    minQuantity: z.number().int().nullable(),
    firstOrderOnly: z.boolean(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime().nullable(),
    exclusive: z.boolean(),
    priority: z.number().int(),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    codeCount: z.number().int().openapi({ description: 'How many codes it has' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Promotion');

export const ListPromotionsQuery = PageQuerySchema.extend({
  status: z.enum(PROMOTION_STATUSES).optional().openapi({ description: 'Only this status (default: all but archived)' }),
  kind: z.enum(PROMOTION_KINDS).optional(),
  activation: z.enum(PROMOTION_ACTIVATIONS).optional(),
  sellerId: z.uuid().optional().openapi({ description: 'Admins: only this seller’s' }),
  platform: z.enum(['true', 'false']).optional().openapi({ description: 'Admins: only the platform’s (true) or only sellers’ (false)' }),
  code: CodeString.optional().openapi({ description: 'Only the promotion with this code' }),
});

export const PromotionIdParams = z.object({ id: Id('The promotion') });

export const PromotionCode = z
  .object({
    id: z.uuid(),
    promotionId: z.uuid(),
    code: z.string().openapi({ example: 'YANGIYIL25' }),
    usageLimit: z.number().int().nullable(),
    batchId: z.uuid().nullable().openapi({ description: 'The bulk generation it came from' }),
    createdAt: z.iso.datetime(),
  })
  .openapi('PromotionCode');

export const AddCodesInput = z
  .strictObject({
    codes: z
      .array(z.strictObject({ code: CodeString, usageLimit: Limit('Redemptions of this code; null = only the promotion’s limits').default(null) }))
      .min(1)
      .max(100)
      .refine((codes) => new Set(codes.map((c) => c.code)).size === codes.length, 'codes must be distinct'),
  })
  .openapi('AddPromotionCodesInput');

export const GenerateCodesInput = z
  .strictObject({
    count: z.number().int().min(1).max(1000).openapi({ description: 'How many unique codes (at most 1000 per call)', example: 500 }),
    prefix: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9_-]{0,19}$/, 'must be 1–20 letters, digits, - or _')
      .optional()
      .openapi({ description: 'Put before each code', example: 'NY26-' }),
    length: z.number().int().min(6).max(20).default(8).openapi({ description: 'Random characters after the prefix (no 0/O/1/I)', example: 8 }),
    usageLimit: Limit('Redemptions of each code (1 = single-use); null = only the promotion’s limits').default(1),
  })
  .openapi('GeneratePromotionCodesInput');

export const CodeList = z.object({ data: z.array(PromotionCode) }).openapi('PromotionCodeList');
export const GeneratedCodes = z
  .object({ batchId: z.uuid(), count: z.number().int(), codes: z.array(z.string()).openapi({ description: 'The codes made, in no particular order' }) })
  .openapi('GeneratedPromotionCodes');

export type CreatePromotionInput = z.infer<typeof CreatePromotionInput>;
export type UpdatePromotionInput = z.infer<typeof UpdatePromotionInput>;
export type Promotion = z.infer<typeof Promotion>;
export type PromotionCode = z.infer<typeof PromotionCode>;
export type ListPromotionsQuery = z.infer<typeof ListPromotionsQuery>;
export type AddCodesInput = z.infer<typeof AddCodesInput>;
export type GenerateCodesInput = z.infer<typeof GenerateCodesInput>;
