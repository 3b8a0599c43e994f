import { z } from '@hono/zod-openapi';
import { MAX_SHARDS } from '../../durable-objects/inventory-client';
import { PageQuerySchema } from '../../shared/pagination';

export const SkuParams = z.object({
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a valid SKU')
    .openapi({ param: { name: 'sku', in: 'path' }, example: 'IPH15P-256-BLK' }),
});

export const PublicStock = z
  .object({
    sku: z.string(),
    available: z.number().int().openapi({ description: 'Units that can be bought now', example: 12 }),
    inStock: z.boolean(),
  })
  .openapi('PublicStock');

export const Stock = PublicStock.extend({
  onHand: z.number().int().openapi({ description: 'Units in the warehouse', example: 15 }),
  reserved: z.number().int().openapi({ description: 'Units held by checkouts and carts', example: 3 }),
  reservations: z
    .array(z.object({ id: z.string(), qty: z.number().int(), expiresAt: z.iso.datetime() }))
    .optional()
    .openapi({ description: 'Active holds (owner and admin only)' }),
}).openapi('Stock');

export const SetStockInput = z
  .strictObject({ onHand: z.number().int().min(0).max(10_000_000).openapi({ description: 'New count on hand', example: 40 }) })
  .openapi('SetStockInput');

export const AdjustStockInput = z
  .strictObject({
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((d) => d !== 0, 'must not be zero')
      .openapi({ description: 'Units to add (positive) or remove (negative)', example: -2 }),
    reason: z
      .enum(['restock', 'damaged', 'lost', 'returned', 'correction', 'other'])
      .openapi({ description: 'Why the count changes', example: 'damaged' }),
  })
  .openapi('AdjustStockInput');

export const Movement = z
  .object({
    seq: z.number().int(),
    at: z.iso.datetime(),
    delta: z.number().int(),
    reason: z.string().openapi({ example: 'sale' }),
    actor: z.string().openapi({ description: 'User id, or system/checkout' }),
    reservationId: z.string().nullable(),
    onHand: z.number().int().openapi({ description: 'On hand after the movement' }),
  })
  .openapi('Movement');

export const LowStockQuery = PageQuerySchema.extend({
  lowStock: z.coerce.number().int().min(0).max(1_000_000).default(5).openapi({ description: 'Available at or below this', example: 5 }),
});

export const LowStockItem = z
  .object({
    sku: z.string(),
    productId: z.uuid(),
    productName: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
  })
  .openapi('LowStockItem');

export const ReconcileInput = z
  .strictObject({
    cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous call' }),
    limit: z.number().int().min(1).max(500).default(200).openapi({ description: 'SKUs to check in this call', example: 200 }),
    skus: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: 'Only these SKUs (default: every SKU in the catalog)', example: ['IPH15P-256-BLK'] }),
  })
  .openapi('ReconcileInput');

export const ReconcileReport = z
  .object({
    checked: z.number().int(),
    repaired: z.array(
      z.object({
        sku: z.string(),
        table: z.object({ onHand: z.number().int(), reserved: z.number().int(), available: z.number().int() }).nullable(),
        actual: z.object({ onHand: z.number().int(), reserved: z.number().int(), available: z.number().int() }),
      }),
    ),
    nextCursor: z.string().nullable().openapi({ description: 'Call again with it until null' }),
  })
  .openapi('ReconcileReport');

export type ReconcileInput = z.infer<typeof ReconcileInput>;
export type LowStockQuery = z.infer<typeof LowStockQuery>;

export const SetShardsInput = z
  .strictObject({
    count: z
      .number()
      .int()
      .min(1)
      .max(MAX_SHARDS)
      .openapi({ description: `Stock shards for the SKU (1 = one object, as every SKU starts; at most ${MAX_SHARDS})`, example: 8 }),
  })
  .openapi('SetShardsInput');

export const StockShards = Stock.omit({ reservations: true })
  .extend({ shards: z.number().int().openapi({ description: 'Stock shards the units are split over', example: 8 }) })
  .openapi('StockShards');
