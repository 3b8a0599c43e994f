import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems } from '../../shared/openapi';
import { Overview, RangeQuery, Sales, SalesQuery, TopProducts, TopProductsQuery } from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Analytics'];
const security = [{ bearerAuth: [] }];
const scoping =
  'Admins see the marketplace (or one seller with `sellerId`); a seller sees only its own products’ lines. ' +
  'Orders count by the day they were paid (UTC); refunds count against the orders they refund. Definitions: docs/analytics.md.';

export const overview = createRoute({
  method: 'get',
  path: '/overview',
  tags,
  security,
  summary: 'Revenue, orders, average order value and new customers over a range',
  description: scoping,
  request: { query: RangeQuery },
  responses: { 200: { description: 'The figures', ...json(Overview) }, ...authProblems, ...apiProblems },
});

export const sales = createRoute({
  method: 'get',
  path: '/sales',
  tags,
  security,
  summary: 'Orders and revenue per day, week or month',
  description: `${scoping} Every bucket is present (zeros where nothing sold); at most 366 buckets.`,
  request: { query: SalesQuery },
  responses: { 200: { description: 'The series', ...json(Sales) }, ...authProblems, ...apiProblems },
});

export const topProducts = createRoute({
  method: 'get',
  path: '/top-products',
  tags,
  security,
  summary: 'Best-selling products by net revenue or units',
  description: scoping,
  request: { query: TopProductsQuery },
  responses: { 200: { description: 'The ranking', ...json(TopProducts) }, ...authProblems, ...apiProblems },
});
