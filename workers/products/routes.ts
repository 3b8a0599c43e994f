import { LocaleQuery } from '../../shared/locale';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { IdOrSlugParams, ListProductsQuery, Product, ProductIdParams, ProductInput } from './schemas';

const tags = ['Products'];
const notModified = { 304: { description: 'Not modified (If-None-Match matched the ETag)' } };

export const listProducts = defineRoute({
  method: 'get',
  path: '/',
  auth: 'optional',
  tags,
  summary: 'List products',
  description:
    'Published products for everyone; with a token, a seller also sees its own drafts and archives (`status=`), an admin all. ' +
    'Sends ETag and Cache-Control; `Cache-Control: no-cache` skips the server cache. Names and descriptions in the locale of `?locale=` or ' +
    'Accept-Language (Content-Language says which; docs/catalog.md).',
  request: { query: ListProductsQuery.extend(LocaleQuery.shape) },
  responses: { 200: { description: 'A page of products', ...json(pageOf(Product)) }, ...notModified, ...authProblems, ...apiProblems },
});

export const getProduct = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'optional',
  tags,
  summary: 'One product by id or slug',
  description: 'Name, description and attribute labels in the locale of `?locale=` or Accept-Language (Content-Language says which); `?locale=*` adds every translation.',
  request: { params: IdOrSlugParams, query: LocaleQuery },
  responses: { 200: { description: 'The product', ...json(Product) }, ...notModified, ...problems(404), ...authProblems, ...apiProblems },
});

export const createProduct = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Create a product (seller or admin)',
  description:
    'The caller becomes its seller. 409 when the slug or a SKU is taken, or when publishing without the MXIK and package codes where the ' +
    'deployment requires fiscal data (FISCAL_DATA_REQUIRED; `fields` names what is missing); 400 for an unknown category.',
  request: { body: { ...json(ProductInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Product) }, ...problems(409), ...authProblems, ...apiProblems },
});

export const updateProduct = defineRoute({
  method: 'put',
  path: '/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Replace a product and its variants',
  description:
    'Variants are matched by SKU: kept, changed, added or removed. Someone else’s product answers 404. 409 when publishing without ' +
    'the MXIK and package codes where the deployment requires fiscal data.',
  request: { params: ProductIdParams, body: { ...json(ProductInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Product) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const deleteProduct = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Delete a product',
  description: 'Soft delete: it leaves listings and search; orders keep their lines.',
  request: { params: ProductIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404), ...authProblems, ...apiProblems },
});
