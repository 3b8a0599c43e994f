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
    name: z.string().nullable().openapi({ description: 'The product’s name in the answer’s locale (Content-Language), else the default locale’s; null: no longer in the catalog' }),
    quantity: z.number().int(),
    unitPrice: z.number().int().nullable().openapi({ description: 'Current price, minor units; null when unavailable' }),
    lineTotal: z.number().int().openapi({ description: 'unitPrice × quantity, before discounts' }),
    discount: z.number().int().openapi({ description: "The promotions' share of this line (docs/promotions.md); the line costs lineTotal − discount", example: 0 }),
    currency: z.string(),
    available: z.number().int().openapi({ description: 'Units that can be bought now' }),
    inStock: z.boolean(),
    holdExpiresAt: z.iso.datetime().nullable(),
  })
  .openapi('CartLine');

export const DiscountCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
  .openapi({ description: 'A discount code as the shopper typed it (compared upper-case)', example: 'WELCOME10' });

export const AddDiscountInput = z.strictObject({ code: DiscountCode }).openapi('AddCartDiscountInput');

export const DiscountCodeParams = z.object({ code: DiscountCode.openapi({ param: { name: 'code', in: 'path' }, example: 'WELCOME10' }) });

export const CartPromotion = z
  .object({
    promotionId: z.uuid(),
    name: z.string().openapi({ example: 'Welcome: 10% off' }),
    kind: z.enum(['percentage', 'fixed_amount', 'free_shipping', 'buy_x_get_y', 'tiered']).openapi({ example: 'percentage' }),
    code: z.string().nullable().openapi({ description: 'The code that activated it; null for an automatic promotion', example: 'WELCOME10' }),
    funding: z.enum(['platform', 'seller']).openapi({ description: 'Who gives the discount', example: 'platform' }),
    amount: z.number().int().openapi({ description: 'What it takes off in all (lines + shipping)', example: 150_000 }),
    linesAmount: z.number().int(),
    shippingAmount: z.number().int(),
  })
  .openapi('CartPromotion');

export const CartCode = z
  .object({
    code: z.string().openapi({ example: 'WELCOME10' }),
    applied: z.boolean(),
    reason: z
      .enum(['unknown_code', 'inactive', 'not_started', 'expired', 'limit_reached', 'sign_in_required', 'not_eligible', 'minimum_not_met', 'not_combinable'])
      .nullable()
      .openapi({ description: 'Why the code gives no discount (stable); null when it applies', example: null }),
  })
  .openapi('CartCode');

export const Cart = z
  .object({
    id: z.string().openapi({ description: 'The cart id (anonymous carts: also in X-Cart-Id)' }),
    lines: z.array(CartLineView),
    subtotal: z.number().int().openapi({ description: 'The lines before discounts' }),
    tax: z.number().int().openapi({ description: 'After discounts (VAT extracted from the discounted lines when prices include it)' }),
    shipping: z.number().int().openapi({ description: 'After a shipping discount' }),
    total: z.number().int().openapi({ description: 'What checkout charges: subtotal − line discounts + shipping (+ tax when prices exclude it)' }),
    discount: z.number().int().openapi({ description: 'Everything the promotions take off, lines and shipping', example: 0 }),
    shippingDiscount: z.number().int().openapi({ description: 'The part of `discount` off shipping', example: 0 }),
    currency: z.string(),
    itemCount: z.number().int(),
    promotions: z.array(CartPromotion).openapi({ description: 'The promotions applied, automatic and by code, in the order applied' }),
    codes: z.array(CartCode).openapi({ description: 'The codes entered on this cart, each applied or with the reason it is not' }),
    problems: z.array(CartProblem),
  })
  .openapi('Cart');

export type Cart = z.infer<typeof Cart>;
export type CartProblem = z.infer<typeof CartProblem>;
