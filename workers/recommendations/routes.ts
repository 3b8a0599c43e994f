import { ReaderLocaleQuery } from '../../shared/locale';
import { apiProblems, authProblems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { Recommendations, RecommendationsQuery } from './schemas';

export const recommendations = defineRoute({
  method: 'get',
  path: '/',
  auth: 'optional',
  tags: ['Recommendations'],
  summary: 'Products to suggest',
  description:
    'With `productId`: products of the same category by popularity, then popular ones. Without it, for a signed-in user: ' +
    'products from the categories they viewed recently; otherwise the most popular. Only published products. Names, descriptions ' +
    'and attribute labels in the locale of `?locale=` or Accept-Language (Content-Language says which; docs/catalog.md).',
  request: { query: RecommendationsQuery.extend(ReaderLocaleQuery.shape) },
  responses: {
    200: { description: 'Suggested products', content: { 'application/json': { schema: Recommendations } } },
    ...authProblems,
    ...apiProblems,
  },
});
