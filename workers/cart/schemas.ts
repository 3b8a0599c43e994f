import { z } from '@hono/zod-openapi';

const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a valid SKU')
  .openapi({ example: 'IPH15P-256-BLK' });

export const AddItemInput = z
  .strictObject({
    sku: Sku,
    quantity: z.number().int().min(1).max(10_000).openapi({ description: 'Units to add', example: 1 }),
  })
  .openapi('AddCartItemInput');

export const SetQuantityInput = z
  .strictObject({ quantity: z.number().int().min(1).max(10_000).openapi({ description: 'New quantity (DELETE the line to remove it)', example: 2 }) })
  .openapi('SetCartQuantityInput');

export const MergeInput = z
  .strictObject({ cartId: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a cart id').openapi({ description: 'The anonymous cart (X-Cart-Id)' }) })
  .openapi('MergeCartInput');

export const LineIdParams = z.object({
  lineId: z.string().regex(/^ln_[0-9a-f]{24}$/, 'not a line id').openapi({ param: { name: 'lineId', in: 'path' }, example: 'ln_0123456789abcdef01234567' }),
});

export const CartProblem = z
  .object({
    lineId: z.string(),
    sku: z.string(),
    code: z
      .enum(['unavailable', 'price_changed', 'insufficient_stock', 'hold_expired', 'currency_mismatch'])
      .openapi({ description: 'What needs the shopper’s attention' }),
    message: z.string(),
    previousPrice: z.number().int().optional(),
    price: z.number().int().optional(),
    available: z.number().int().optional(),
  })
  .openapi('CartProblem');

export const CartLineView = z
  .object({
    id: z.string(),
    sku: z.string(),
    productId: z.uuid().nullable(),
    name: z.string().nullable(),
    quantity: z.number().int(),
    unitPrice: z.number().int().nullable().openapi({ description: 'Current price, minor units; null when unavailable' }),
    lineTotal: z.number().int(),
    currency: z.string(),
    available: z.number().int().openapi({ description: 'Units that can be bought now' }),
    inStock: z.boolean(),
    holdExpiresAt: z.iso.datetime().nullable(),
  })
  .openapi('CartLine');

export const Cart = z
  .object({
    id: z.string().openapi({ description: 'The cart id (anonymous carts: also in X-Cart-Id)' }),
    lines: z.array(CartLineView),
    subtotal: z.number().int(),
    tax: z.number().int(),
    shipping: z.number().int(),
    total: z.number().int(),
    currency: z.string(),
    itemCount: z.number().int(),
    problems: z.array(CartProblem),
  })
  .openapi('Cart');

export type Cart = z.infer<typeof Cart>;
export type CartProblem = z.infer<typeof CartProblem>;
