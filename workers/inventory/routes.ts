import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { PageQuerySchema, pageOf } from '../../shared/pagination';
import {
  AdjustStockInput,
  LowStockItem,
  LowStockQuery,
  Movement,
  PublicStock,
  ReconcileInput,
  ReconcileReport,
  SetShardsInput,
  SetStockInput,
  SkuParams,
  Stock,
  StockShards,
} from './schemas';

const tags = ['Inventory'];

export const getStock = defineRoute({
  method: 'get',
  path: '/{sku}',
  auth: 'optional',
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

export const setStock = defineRoute({
  method: 'put',
  path: '/{sku}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Set the count on hand (owner or admin)',
  description: '409 when it would leave less than what is reserved.',
  request: { params: SkuParams, body: { ...json(SetStockInput), required: true } },
  responses: { 200: { description: 'New level', ...json(Stock) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const adjustStock = defineRoute({
  method: 'post',
  path: '/{sku}/adjust',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Add or remove units with a reason (owner or admin)',
  request: { params: SkuParams, body: { ...json(AdjustStockInput), required: true } },
  responses: { 200: { description: 'New level', ...json(Stock) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listMovements = defineRoute({
  method: 'get',
  path: '/{sku}/movements',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Movement log of a SKU, newest first (owner or admin)',
  request: { params: SkuParams, query: PageQuerySchema },
  responses: { 200: { description: 'Movements', ...json(pageOf(Movement)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listLowStock = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'SKUs running low (seller: its own; admin: all)',
  request: { query: LowStockQuery },
  responses: { 200: { description: 'Low-stock SKUs', ...json(pageOf(LowStockItem)) }, ...authProblems, ...apiProblems },
});

export const reconcile = defineRoute({
  method: 'post',
  path: '/reconcile',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Repair the Postgres read table from the Durable Objects (admin)',
  description: 'Checks a batch of SKUs; call again with nextCursor until it is null.',
  request: { body: { ...json(ReconcileInput), required: true } },
  responses: { 200: { description: 'What differed and was repaired', ...json(ReconcileReport) }, ...authProblems, ...apiProblems },
});

export const setShards = defineRoute({
  method: 'put',
  path: '/{sku}/shards',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Split a SKU\'s stock over N shards for a flash sale (admin)',
  description:
    'Each shard is its own Durable Object holding part of the units, so one SKU is no longer capped at one object\'s throughput. ' +
    '1 merges the stock back into one object. 409 while any reservation of the SKU is active (a reservation\'s shard follows from the count): ' +
    'set the shards before the sale opens. Sellers cannot: the shard count is an operating decision, not stock.',
  request: { params: SkuParams, body: { ...json(SetShardsInput), required: true } },
  responses: { 200: { description: 'The SKU\'s shards and level', ...json(StockShards) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
