import { apiProblems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { SearchQuerySchema, SearchResponse } from './schemas';

export const search = defineRoute({
  method: 'get',
  path: '/',
  auth: 'none',
  tags: ['Search'],
  summary: 'Search published products',
  description:
    'Full-text with typo tolerance, filters, sorting and facet counts (category, brand, price ranges, inStock). ' +
    'Postgres answers by default; Typesense when configured. Same shape from both.',
  request: { query: SearchQuerySchema },
  responses: {
    200: { description: 'Hits and facets', content: { 'application/json': { schema: SearchResponse } } },
    ...apiProblems,
  },
});
