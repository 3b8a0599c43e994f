import { z } from '@hono/zod-openapi';
import { CurrencySchema, MinorUnitsSchema } from '../../shared/money';
import { PageQuerySchema } from '../../shared/pagination';
import { Slug } from '../../shared/schemas/slug';
import { ProductTranslationsInput, TranslationsAnswer } from '../../shared/schemas/translations';
import { imageUrlProblem, MAX_IMAGE_URL_LENGTH } from './image-urls';

const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore')
  .openapi({ description: 'Stock keeping unit, unique across the catalog', example: 'IPH15P-256-BLK' });

const AttributeKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case, up to 40 characters');
export const AttributeValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
export const Attributes = z
  .record(AttributeKey, AttributeValue)
  .refine((a) => Object.keys(a).length <= 30, 'at most 30 attributes')
  .openapi({ description: 'Typed facets such as brand or material', example: { brand: 'Apple', storage_gb: 256 } });

/** Fiscal codes (docs/vat-and-receipts.md): the goods' class in the national classifier (tasnif.soliq.uz) and its package. */
const Mxik = z
  .string()
  .regex(/^[0-9]{17}$/, 'must be the 17-digit MXIK (IKPU) code')
  .openapi({
    description: 'MXIK (IKPU) code of the goods, 17 digits, from the national classifier; required to publish when the deployment requires fiscal data',
    example: '08517001001000000',
  });
const PackageCode = z
  .string()
  .regex(/^[0-9]{1,20}$/, 'must be the classifier’s numeric package code')
  .openapi({ description: 'Package (unit) code the classifier gives with the MXIK code; required to publish with it', example: '1501002' });

export const ProductStatus = z
  .enum(['draft', 'published', 'archived'])
  .openapi({ description: 'Only published products are public', example: 'published' });

export const VariantInput = z
  .strictObject({
    sku: Sku,
    price: MinorUnitsSchema,
    compareAtPrice: MinorUnitsSchema.nullable().optional().openapi({ description: 'The “was” price', example: 2499 }),
    currency: CurrencySchema,
    options: z
      .record(z.string().min(1).max(40), z.string().min(1).max(80))
      .default({})
      .openapi({ description: 'Option values', example: { colour: 'Black', storage: '256 GB' } }),
    weightGrams: z.number().int().positive().max(1_000_000).nullable().optional().openapi({ example: 187 }),
  })
  .openapi('VariantInput');

export const ProductInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ description: 'Product name', example: 'iPhone 15 Pro' }),
    slug: Slug.optional().openapi({ description: 'Derived from the name when omitted' }),
    description: z.string().max(20_000).default('').openapi({ description: 'Plain text or Markdown', example: 'Titanium.' }),
    categoryId: z.uuid().openapi({ description: 'Category id', example: '01930000-0000-7000-8000-0000000000c1' }),
    status: ProductStatus.default('draft'),
    attributes: Attributes.default({}),
    images: z
      .array(
        z
          .string()
          .min(1)
          .max(MAX_IMAGE_URL_LENGTH)
          .superRefine((entry, ctx) => {
            const problem = imageUrlProblem(entry);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
      )
      .max(20)
      .default([])
      .openapi({
        description:
          'External image URLs (https only), in order. Uploaded files are attached with POST /products/{id}/images and listed first; ' +
          '`/api/v1/files/{id}` entries sent here are ignored (the attachments decide them).',
        example: ['https://cdn.example.com/p/iphone.jpg'],
      }),
    variants: z.array(VariantInput).min(1).max(100),
    purchaseLimit: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .default(null)
      .openapi({ description: 'Most units one customer may buy, over all its orders that are not cancelled (flash sales); null = no limit', example: 2 }),
    mxik: Mxik.nullable().default(null),
    packageCode: PackageCode.nullable().default(null),
    cashOnDelivery: z
      .boolean()
      .default(true)
      .openapi({ description: 'Whether the seller takes cash on delivery for it (docs/cash-on-delivery.md); false: a cash checkout with it is refused', example: true }),
    translations: ProductTranslationsInput,
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.variants.forEach((v, i) => {
      if (seen.has(v.sku)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'sku'], message: 'is repeated' });
      seen.add(v.sku);
      if (v.currency !== p.variants[0]?.currency) {
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'currency'], message: 'all variants must share one currency' });
      }
      if (v.compareAtPrice != null && v.compareAtPrice < v.price) {
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'compareAtPrice'], message: 'must not be below price' });
      }
    });
  })
  .openapi('ProductInput');

export const Variant = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    price: z.number().int(),
    compareAtPrice: z.number().int().nullable(),
    currency: z.string(),
    options: z.record(z.string(), z.string()),
    weightGrams: z.number().int().nullable(),
    available: z.number().int().openapi({
      description:
        'Units that can be bought now (on hand minus reserved), as of when this answer was built: a cached answer may be ' +
        'up to a few minutes old (docs/catalog.md); the cart and checkout re-check stock',
      example: 12,
    }),
  })
  .openapi('Variant');

/** Kept with the reviews in their own transactions (docs/reviews.md), never computed on a read. */
export const ProductRating = z
  .object({
    average: z.number().nullable().openapi({ description: 'Mean stars of its visible reviews, to two places; null without reviews', example: 4.33 }),
    count: z.number().int().openapi({ description: 'Visible reviews', example: 3 }),
  })
  .openapi('ProductRating');

export const Product = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    categoryId: z.uuid(),
    sellerId: z.uuid(),
    status: ProductStatus,
    attributes: z.record(z.string(), AttributeValue),
    images: z.array(z.string()),
    variants: z.array(Variant),
    purchaseLimit: z.number().int().nullable().openapi({ description: 'Most units one customer may buy; null = no limit', example: 2 }),
    mxik: z.string().nullable().openapi({ description: 'MXIK (IKPU) code for fiscal receipts; null = not given', example: '08517001001000000' }),
    packageCode: z.string().nullable().openapi({ description: 'Package code that goes with the MXIK code; null = not given', example: '1501002' }),
    cashOnDelivery: z.boolean().openapi({ description: 'Whether it may be paid in cash on delivery', example: true }),
    attributeLabels: z
      .record(z.string(), z.string())
      .openapi({ description: 'Display labels of attribute keys in the answer’s locale (Content-Language); a key without one is its own label', example: { brand: 'Brend' } }),
    translations: TranslationsAnswer.optional(),
    rating: ProductRating,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Product');

export const ProductSort = z
  .enum(['newest', 'price_asc', 'price_desc', 'name', 'popular', 'rating'])
  .default('newest')
  .openapi({ description: 'Order of the list (`rating`: best average first)', example: 'price_asc' });

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListProductsQuery = PageQuerySchema.extend({
  category: z.uuid().optional().openapi({ description: 'Category id; includes its descendants' }),
  seller: z.uuid().optional().openapi({ description: 'Seller id' }),
  minPrice: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Some variant costs at least this' }),
  maxPrice: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Some variant costs at most this' }),
  inStock: Bool.optional().openapi({ description: 'true: only products with a variant in stock' }),
  status: ProductStatus.optional().openapi({ description: 'Not published: the owner’s own or (admin) anyone’s' }),
  sort: ProductSort,
  minRating: z.coerce
    .number()
    .min(1)
    .max(5)
    .optional()
    .openapi({ description: 'Only products whose average rating is at least this (products without reviews are left out)', example: 4 }),
  attr: z
    .union([z.string(), z.array(z.string())])
    .optional()
    // Deduplicated and sorted: the filters are a set, and the listing's cache key is built from them.
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])].sort())
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}:.{1,200}$/, 'must be key:value')).max(10))
    .openapi({ description: 'Attribute filters, repeatable: attr=brand:Apple&attr=colour:Black', example: 'brand:Apple' }),
});

/** GET accepts a slug where the other operations on /products/{id} take the id (one path, one parameter name). */
export const IdOrSlugParams = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The product id, or its slug', example: 'iphone-15-pro' }),
});
export const ProductIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000a1' }),
});

export type ProductInput = z.infer<typeof ProductInput>;
export type Product = z.infer<typeof Product>;
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;
export type ProductSort = z.infer<typeof ProductSort>;
