import { createRoute, z } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { PageQuerySchema, pageOf } from '../../shared/pagination';
import {
  AdjustStockInput,
  LowStockItem,
  LowStockQuery,
  Movement,
  PublicStock,
  ReconcileInput,
  ReconcileReport,
  SetStockInput,
  SkuParams,
  Stock,
} from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Inventory'];
const security = [{ bearerAuth: [] }];

export const getStock = createRoute({
  method: 'get',
  path: '/{sku}',
  tags,
  summary: 'Stock of a SKU',
  description: 'Everyone: `{sku, available, inStock}`. The owning seller and admins also get onHand, reserved and active reservations.',
  request: { params: SkuParams },
  responses: {
    200: { description: 'Stock', ...json(z.union([Stock, PublicStock])) },
    ...problems(404),
    ...authProblems,
    ...apiProblems,
  },
});

export const setStock = createRoute({
  method: 'put',
  path: '/{sku}',
  tags,
  security,
  summary: 'Set the count on hand (owner or admin)',
  description: '409 when it would leave less than what is reserved.',
  request: { params: SkuParams, body: { ...json(SetStockInput), required: true } },
  responses: { 200: { description: 'New level', ...json(Stock) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const adjustStock = createRoute({
  method: 'post',
  path: '/{sku}/adjust',
  tags,
  security,
  summary: 'Add or remove units with a reason (owner or admin)',
  request: { params: SkuParams, body: { ...json(AdjustStockInput), required: true } },
  responses: { 200: { description: 'New level', ...json(Stock) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listMovements = createRoute({
  method: 'get',
  path: '/{sku}/movements',
  tags,
  security,
  summary: 'Movement log of a SKU, newest first (owner or admin)',
  request: { params: SkuParams, query: PageQuerySchema },
  responses: { 200: { description: 'Movements', ...json(pageOf(Movement)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listLowStock = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'SKUs running low (seller: its own; admin: all)',
  request: { query: LowStockQuery },
  responses: { 200: { description: 'Low-stock SKUs', ...json(pageOf(LowStockItem)) }, ...authProblems, ...apiProblems },
});

export const reconcile = createRoute({
  method: 'post',
  path: '/reconcile',
  tags,
  security,
  summary: 'Repair the Postgres read table from the Durable Objects (admin)',
  description: 'Checks a batch of SKUs; call again with nextCursor until it is null.',
  request: { body: { ...json(ReconcileInput), required: true } },
  responses: { 200: { description: 'What differed and was repaired', ...json(ReconcileReport) }, ...authProblems, ...apiProblems },
});
