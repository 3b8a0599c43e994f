import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';

/** The most items one wishlist holds; adding past it is a 409. */
export const WISHLIST_LIMIT = 500;

const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a valid SKU')
  .openapi({ description: 'The variant’s SKU', example: 'IPH15P-256-BLK' });
const Id = (description: string) => z.uuid().openapi({ description, example: '01930000-0000-7000-8000-000000000001' });
const Notify = z.boolean().openapi({ description: 'Notify me (in-app and by email) when its price drops or it is back in stock', example: true });

export const WishlistSkuParams = z.object({ sku: Sku.openapi({ param: { name: 'sku', in: 'path' } }) });

export const WishlistQuery = PageQuerySchema;
export type WishlistQuery = z.infer<typeof WishlistQuery>;

export const AddWishlistItemInput = z
  .object({ sku: Sku, notify: Notify.optional().openapi({ description: 'Notify me of price drops and restocks (default true; an existing item keeps its setting unless given)' }) })
  .strict()
  .openapi('AddWishlistItemInput');
export type AddWishlistItemInput = z.infer<typeof AddWishlistItemInput>;

export const UpdateWishlistItemInput = z.object({ notify: Notify }).strict().openapi('UpdateWishlistItemInput');
export type UpdateWishlistItemInput = z.infer<typeof UpdateWishlistItemInput>;

export const WishlistItem = z
  .object({
    id: Id('Wishlist item id'),
    sku: Sku,
    productId: Id('Its product').nullable().openapi({ description: 'Its product; null when the SKU no longer exists' }),
    productName: z.string().nullable().openapi({ description: 'Its product’s name; null when the SKU no longer exists', example: 'iPhone 15 Pro' }),
    productSlug: z.string().nullable().openapi({ description: 'Its product’s slug, for links', example: 'iphone-15-pro' }),
    options: z.record(z.string(), z.string()).openapi({ description: 'The variant’s options', example: { color: 'Black', storage: '256 GB' } }),
    price: z.number().int().nullable().openapi({ description: 'Current price in minor units (tiyin for UZS); null when not for sale', example: 1_299_000_000 }),
    compareAtPrice: z.number().int().nullable().openapi({ description: 'The struck-through price, if any', example: null }),
    currency: z.string().openapi({ description: 'ISO 4217', example: 'UZS' }),
    purchasable: z.boolean().openapi({ description: 'The product is published and the variant still exists', example: true }),
    available: z.number().int().openapi({ description: 'Units that can be bought now (live from the SKU’s stock)', example: 7 }),
    inStock: z.boolean().openapi({ description: 'Whether any can be bought now', example: true }),
    notify: Notify,
    addedAt: z.iso.datetime().openapi({ description: 'When it was added', example: '2026-12-01T10:00:00.000Z' }),
  })
  .openapi('WishlistItem');
export type WishlistItem = z.infer<typeof WishlistItem>;
