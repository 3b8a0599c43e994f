import { apiProblems, authProblems, json } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { PromotionFigures, PromotionFiguresQuery } from './promotions';
import { Overview, RangeQuery, Sales, SalesQuery, TopProducts, TopProductsQuery } from './schemas';

const tags = ['Analytics'];
const scoping =
  'Admins see the marketplace (or one seller with `sellerId`); a seller sees only its own products’ lines. ' +
  'Orders count by the day they were paid (UTC); refunds count against the orders they refund. Definitions: docs/analytics.md.';

export const overview = defineRoute({
  method: 'get',
  path: '/overview',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Revenue, orders, average order value and new customers over a range',
  description: scoping,
  request: { query: RangeQuery },
  responses: { 200: { description: 'The figures', ...json(Overview) }, ...authProblems, ...apiProblems },
});

export const sales = defineRoute({
  method: 'get',
  path: '/sales',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Orders and revenue per day, week or month',
  description: `${scoping} Every bucket is present (zeros where nothing sold); at most 366 buckets.`,
  request: { query: SalesQuery },
  responses: { 200: { description: 'The series', ...json(Sales) }, ...authProblems, ...apiProblems },
});

export const topProducts = defineRoute({
  method: 'get',
  path: '/top-products',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Best-selling products by net revenue or units',
  description: scoping,
  request: { query: TopProductsQuery },
  responses: { 200: { description: 'The ranking', ...json(TopProducts) }, ...authProblems, ...apiProblems },
});

export const promotionFigures = defineRoute({
  method: 'get',
  path: '/promotions',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Promotion redemptions, discount total and revenue with a promotion',
  description:
    'Per promotion and in all, by the day orders were paid. An admin sees every promotion (or, with `sellerId`, those that seller funds); ' +
    'a seller the promotions it funds. Redemptions released by an unpaid order cancelled or expired do not count. Definitions: docs/analytics.md.',
  request: { query: PromotionFiguresQuery },
  responses: { 200: { description: 'The figures', ...json(PromotionFigures) }, ...authProblems, ...apiProblems },
});
