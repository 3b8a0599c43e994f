import { LocaleQuery } from '../../shared/locale';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { Category, CategoryIdParams, CategoryInput, CategoryTree } from './schemas';

const tags = ['Categories'];

export const getTree = defineRoute({
  method: 'get',
  path: '/',
  auth: 'none',
  tags,
  summary: 'The whole category tree',
  description:
    'Roots with nested children, by position. Cached; sends ETag. Names and descriptions in the locale of `?locale=` or Accept-Language ' +
    '(Content-Language says which); `?locale=*` adds every translation.',
  request: { query: LocaleQuery },
  responses: {
    200: { description: 'The tree', ...json(CategoryTree) },
    304: { description: 'Not modified' },
    ...apiProblems,
  },
});

export const createCategory = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Create a category (admin)',
  request: { body: { ...json(CategoryInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Category) }, ...problems(409), ...authProblems, ...apiProblems },
});

export const updateCategory = defineRoute({
  method: 'put',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Replace a category (admin)',
  request: { params: CategoryIdParams, body: { ...json(CategoryInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Category) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const deleteCategory = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Delete a category (admin)',
  description: '409 while it has sub-categories or products.',
  request: { params: CategoryIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
