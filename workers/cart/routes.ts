import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import { AddItemInput, Cart, LineIdParams, MergeInput, SetQuantityInput } from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const tags = ['Cart'];
const cartHeader = { 'X-Cart-Id': { description: 'The anonymous cart id (send it back on the next request)', schema: { type: 'string' as const } } };
const cart = (description: string) => ({ description, headers: cartHeader, ...json(Cart) });

export const getCart = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'The current cart, priced',
  description:
    'A signed-in user’s cart, else the anonymous cart named by `X-Cart-Id` (a new one when absent: its id comes back in `X-Cart-Id`). ' +
    'Prices, tax, shipping and `problems` come from the current catalog and stock.',
  responses: { 200: cart('The cart'), ...authProblems, ...apiProblems },
});

export const addItem = createRoute({
  method: 'post',
  path: '/items',
  tags,
  summary: 'Add units of a SKU',
  description:
    'Adds to the SKU’s line if there is one. 404 for an unknown SKU, 409 when it is not for sale, out of stock (with holds) or the cart is full, ' +
    'and 409 UNIT_LIMIT_EXCEEDED / PURCHASE_LIMIT_EXCEEDED when the customer would hold or buy more than the limits allow.',
  request: { body: { ...json(AddItemInput), required: true } },
  responses: { 201: cart('The cart'), ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const setQuantity = createRoute({
  method: 'patch',
  path: '/items/{lineId}',
  tags,
  summary: 'Change a line’s quantity',
  request: { params: LineIdParams, body: { ...json(SetQuantityInput), required: true } },
  responses: { 200: cart('The cart'), ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const removeLine = createRoute({
  method: 'delete',
  path: '/items/{lineId}',
  tags,
  summary: 'Remove a line',
  request: { params: LineIdParams },
  responses: { 200: cart('The cart'), ...problems(404), ...authProblems, ...apiProblems },
});

export const clearCart = createRoute({
  method: 'delete',
  path: '/',
  tags,
  summary: 'Empty the cart',
  responses: { 204: { description: 'Emptied' }, ...authProblems, ...apiProblems },
});

export const mergeCart = createRoute({
  method: 'post',
  path: '/merge',
  tags,
  security: [{ bearerAuth: [] }],
  summary: 'Merge an anonymous cart into mine',
  description: 'Quantities of the same SKU are summed up to the per-line limit; the anonymous cart is emptied. Logging in with `X-Cart-Id` does this too.',
  request: { body: { ...json(MergeInput), required: true } },
  responses: { 200: cart('The merged cart'), ...problems(404), ...authProblems, ...apiProblems },
});
