import { LocaleQuery } from '../../shared/locale';
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
    'Postgres answers by default; Typesense when configured. Same shape from both. Matches uz (any apostrophe form, or typed in Cyrillic), ' +
    'ru and en text (docs/search.md); hits’ names are in the locale of `?locale=` or Accept-Language (Content-Language says which).',
  request: { query: SearchQuerySchema.extend({ locale: LocaleQuery.shape.locale.unwrap().exclude(['*']).optional() }) },
  responses: {
    200: { description: 'Hits and facets', content: { 'application/json': { schema: SearchResponse } } },
    ...apiProblems,
  },
});
