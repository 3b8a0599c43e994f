import { z } from '@hono/zod-openapi';

/** A URL-safe unique name (products, categories). */
export const Slug = z
  .string()
  .min(2)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by dashes')
  // Products are fetched by id or slug: a slug shaped like an id would never be found.
  .refine((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s), 'must not look like an id')
  .openapi({ description: 'URL-safe unique name', example: 'iphone-15-pro' });
