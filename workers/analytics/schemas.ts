import { z } from '@hono/zod-openapi';

const Day = (description: string, example: string) => z.iso.date().optional().openapi({ description, example });
const Money = (description: string, example: number) => z.number().int().openapi({ description: `${description}, minor units`, example });
const Count = (description: string, example: number) => z.number().int().openapi({ description, example });

export const RangeQuery = z.object({
  from: Day('First day counted (UTC, inclusive). Default: 29 days before `to`', '2026-11-01'),
  to: Day('Last day counted (UTC, inclusive). Default: today', '2026-11-30'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional()
    .openapi({ description: 'Money is never summed across currencies: the figures are for this one. Default: the shop currency', example: 'USD' }),
  sellerId: z.uuid().optional().openapi({ description: 'Admin only: that seller’s view. A seller always gets its own', example: '01930000-0000-7000-8000-000000000002' }),
});

export const INTERVALS = ['day', 'week', 'month'] as const;
export const SalesQuery = RangeQuery.extend({
  interval: z.enum(INTERVALS).default('day').openapi({ description: 'Bucket size (UTC; weeks start on Monday)', example: 'day' }),
});

export const TopProductsQuery = RangeQuery.extend({
  by: z.enum(['revenue', 'units']).default('revenue').openapi({ description: 'Rank by net revenue or by units sold', example: 'revenue' }),
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: 'How many products (1–100)', example: 10 }),
});

/** The window the figures cover, echoed so a default range is visible. */
const Window = {
  from: z.iso.date().openapi({ description: 'First day counted (UTC)', example: '2026-11-01' }),
  to: z.iso.date().openapi({ description: 'Last day counted (UTC, inclusive)', example: '2026-11-30' }),
  currency: z.string().openapi({ description: 'ISO 4217 currency of every amount', example: 'USD' }),
  sellerId: z.uuid().nullable().openapi({ description: 'The seller whose lines are counted; null: the whole marketplace', example: null }),
};

const Figures = {
  orders: Count('Orders paid in the period (for a seller: paid orders containing its products)', 42),
  units: Count('Units in those orders (for a seller: its units)', 97),
  grossRevenue: Money('Paid order totals (for a seller: its line totals)', 1_250_000),
  refunded: Money('Refunded so far on those orders (for a seller: its lines’ share of each refund)', 50_000),
  netRevenue: Money('grossRevenue − refunded', 1_200_000),
  averageOrderValue: Money('grossRevenue ÷ orders, rounded; 0 without orders', 29_762),
};

export const Overview = z
  .object({
    ...Window,
    ...Figures,
    newCustomers: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Customer accounts created in the period (marketplace view only; null in a seller’s view)', example: 12 }),
    firstTimeBuyers: Count('Buyers whose first paid order (for a seller: first paid order with its products) falls in the period', 9),
  })
  .openapi('AnalyticsOverview');

export const SalesBucket = z
  .object({ bucket: z.iso.date().openapi({ description: 'First day of the bucket (UTC)', example: '2026-11-02' }), ...Figures })
  .openapi('SalesBucket');

export const Sales = z
  .object({
    ...Window,
    interval: z.enum(INTERVALS).openapi({ description: 'Bucket size', example: 'week' }),
    buckets: z.array(SalesBucket).openapi({ description: 'Every bucket from the one holding `from` to the one holding `to`, empty ones as zeros' }),
  })
  .openapi('SalesSeries');

export const TopProduct = z
  .object({
    productId: z.uuid().openapi({ description: 'Product', example: '01930000-0000-7000-8000-000000000003' }),
    sellerId: z.uuid().openapi({ description: 'Its seller', example: '01930000-0000-7000-8000-000000000002' }),
    name: z.string().openapi({ description: 'Name on its most recent order line', example: 'Atlas silk scarf' }),
    orders: Count('Paid orders containing it', 17),
    units: Count('Units sold', 23),
    grossRevenue: Money('Its line totals', 345_000),
    refunded: Money('Its lines’ share of refunds', 15_000),
    netRevenue: Money('grossRevenue − refunded', 330_000),
  })
  .openapi('TopProduct');

export const TopProducts = z
  .object({ ...Window, by: z.enum(['revenue', 'units']).openapi({ description: 'Ranking', example: 'revenue' }), data: z.array(TopProduct) })
  .openapi('TopProducts');

export type RangeQuery = z.infer<typeof RangeQuery>;
export type SalesQuery = z.infer<typeof SalesQuery>;
export type TopProductsQuery = z.infer<typeof TopProductsQuery>;
export type Interval = (typeof INTERVALS)[number];
