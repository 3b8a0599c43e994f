import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { Category, CategoryIdParams, CategoryInput, CategoryTree } from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Categories'];
const security = [{ bearerAuth: [] }];

export const getTree = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'The whole category tree',
  description: 'Roots with nested children, by position. Cached; sends ETag.',
  responses: {
    200: { description: 'The tree', ...json(CategoryTree) },
    304: { description: 'Not modified' },
    ...apiProblems,
  },
});

export const createCategory = createRoute({
  method: 'post',
  path: '/',
  tags,
  security,
  summary: 'Create a category (admin)',
  request: { body: { ...json(CategoryInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Category) }, ...problems(409), ...authProblems, ...apiProblems },
});

export const updateCategory = createRoute({
  method: 'put',
  path: '/{id}',
  tags,
  security,
  summary: 'Replace a category (admin)',
  request: { params: CategoryIdParams, body: { ...json(CategoryInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Category) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const deleteCategory = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  security,
  summary: 'Delete a category (admin)',
  description: '409 while it has sub-categories or products.',
  request: { params: CategoryIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
