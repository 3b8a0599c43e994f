import { z } from '@hono/zod-openapi';
import { FACETS, SEARCH_SORTS } from './engine';

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Bounds on `q`: each word costs the engine a lookup (and Postgres a trigram scan). */
export const SEARCH_MAX_QUERY_LENGTH = 100;
export const SEARCH_MAX_TERMS = 10;

export const SearchQuerySchema = z.object({
  q: z
    .string()
    // Normalised before the bounds and before it becomes part of a cache key: `IPhone  15` and `iphone 15` are one query.
    .overwrite((s) => s.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase())
    .max(SEARCH_MAX_QUERY_LENGTH)
    .refine((s) => s.split(' ').length <= SEARCH_MAX_TERMS, `must have at most ${SEARCH_MAX_TERMS} words`)
    .optional()
    .openapi({
      description: `Words to find (at most ${SEARCH_MAX_QUERY_LENGTH} characters and ${SEARCH_MAX_TERMS} words; case and extra spaces do not matter); typos are tolerated`,
      example: 'iphone',
    }),
  category: z.uuid().optional().openapi({ description: 'Category id, including its descendants' }),
  minPrice: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Minor units', example: 1000 }),
  maxPrice: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Minor units', example: 200000 }),
  inStock: Bool.optional().openapi({ description: 'Only products with stock (true) or without (false)' }),
  sort: z.enum(SEARCH_SORTS).default('relevance').openapi({ description: 'Order of the hits', example: 'relevance' }),
  facets: z
    .string()
    .optional()
    .transform((v) => (v ? [...new Set(v.split(',').map((f) => f.trim()))].sort() : [...FACETS]))
    .pipe(z.array(z.enum(FACETS)))
    .openapi({ description: `Comma-separated facets to count (default all: ${FACETS.join(',')})`, example: 'brand,price' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Hits per page', example: 20 }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
});

const Bucket = z.object({ value: z.string(), count: z.number().int() });

export const SearchResponse = z
  .object({
    hits: z.array(
      z.object({
        id: z.uuid(),
        slug: z.string(),
        name: z.string(),
        categoryId: z.uuid(),
        sellerId: z.uuid(),
        price: z.number().int().openapi({ description: 'Lowest variant price, minor units' }),
        currency: z.string(),
        brand: z.string().nullable(),
        image: z.string().nullable(),
        inStock: z.boolean(),
        popularity: z.number().int(),
        createdAt: z.iso.datetime(),
      }),
    ),
    facets: z.object({
      category: z.array(Bucket).optional(),
      brand: z.array(Bucket).optional(),
      price: z.array(z.object({ from: z.number().int(), to: z.number().int().nullable(), count: z.number().int() })).optional(),
      inStock: z.array(z.object({ value: z.boolean(), count: z.number().int() })).optional(),
    }),
    total: z.number().int().openapi({ description: 'Hits across all pages' }),
    nextCursor: z.string().nullable(),
    engine: z.enum(['postgres', 'typesense']).openapi({ description: 'Which implementation answered' }),
  })
  .openapi('SearchResponse');

export type SearchQueryInput = z.infer<typeof SearchQuerySchema>;
