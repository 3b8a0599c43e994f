import { z } from '@hono/zod-openapi';
import { Product } from '../products/public';

export const RecommendationsQuery = z.object({
  productId: z.uuid().optional().openapi({ description: 'Recommend for this product page' }),
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: 'How many', example: 10 }),
});

export const RecommendationStrategy = z
  .enum(['bought_together', 'same_category', 'your_categories', 'popular'])
  .openapi({ description: 'What the list was mostly built from' });

export const Recommendations = z
  .object({ data: z.array(Product), strategy: RecommendationStrategy })
  .openapi('Recommendations');

export type RecommendationsQuery = z.infer<typeof RecommendationsQuery>;
export type RecommendationStrategy = z.infer<typeof RecommendationStrategy>;
