import { z } from '@hono/zod-openapi';
import { Slug } from '../../shared/schemas/slug';
import { CategoryTranslationsInput, TranslationsAnswer } from '../../shared/schemas/translations';

export const CategoryInput = z
  .strictObject({
    parentId: z.uuid().nullable().default(null).openapi({ description: 'Parent category; null for a root', example: null }),
    slug: Slug.openapi({ example: 'smartphones' }),
    name: z.string().trim().min(1).max(100).openapi({ description: 'Display name', example: 'Smartphones' }),
    description: z.string().max(2_000).nullable().default(null).openapi({ description: 'Shown on the category page', example: null }),
    position: z.number().int().min(0).max(100_000).default(0).openapi({ description: 'Order among siblings', example: 0 }),
    commissionBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .nullable()
      .default(null)
      .openapi({ description: "The platform's commission on its products in basis points (1000 = 10%); null: its parent's, else COMMISSION_BPS (docs/ledger.md)", example: null }),
    translations: CategoryTranslationsInput,
  })
  .openapi('CategoryInput');

export interface CategoryNode {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  description: string | null;
  position: number;
  children: CategoryNode[];
  /** Every locale's texts: only with `?locale=*` and in write answers. */
  translations?: z.infer<typeof TranslationsAnswer>;
}

export const Category: z.ZodType<CategoryNode> = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    children: z.array(z.lazy(() => Category)).openapi({ description: 'Sub-categories, by position' }),
    translations: TranslationsAnswer.optional(),
  })
  .openapi('Category');

export const CategoryTree = z.object({ data: z.array(Category) }).openapi('CategoryTree');

export const CategoryIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000c1' }),
});

export type CategoryInput = z.infer<typeof CategoryInput>;
