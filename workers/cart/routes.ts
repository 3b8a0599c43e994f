import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { ReaderLocaleQuery } from '../../shared/locale';
import { defineRoute } from '../../shared/route';
import { AddDiscountInput, AddItemInput, Cart, DiscountCodeParams, LineIdParams, MergeInput, SetQuantityInput } from './schemas';

const tags = ['Cart'];
const cartHeader = {
  'X-Cart-Id': { description: 'The anonymous cart id (send it back on the next request)', schema: { type: 'string' as const } },
  'Content-Language': { description: 'The locale of the lines’ names (`?locale=`, else Accept-Language, else the default)', schema: { type: 'string' as const } },
};
/** Every answer with the cart names its lines in the reader's locale (docs/catalog.md). */
const query = ReaderLocaleQuery;
const cart = (description: string) => ({ description, headers: cartHeader, ...json(Cart) });

export const getCart = defineRoute({
  method: 'get',
  path: '/',
  auth: 'optional',
  tags,
  summary: 'The current cart, priced',
  description:
    'A signed-in user’s cart, else the anonymous cart named by `X-Cart-Id` (a new one when absent: its id comes back in `X-Cart-Id`). ' +
    'Prices, tax, shipping and `problems` come from the current catalog and stock; line names in the locale of `?locale=` or Accept-Language.',
  request: { query },
  responses: { 200: cart('The cart'), ...authProblems, ...apiProblems },
});

export const addItem = defineRoute({
  method: 'post',
  path: '/items',
  auth: 'optional',
  tags,
  summary: 'Add units of a SKU',
  description:
    'Adds to the SKU’s line if there is one. 404 for an unknown SKU, 409 when it is not for sale, out of stock (with holds) or the cart is full, ' +
    'and 409 UNIT_LIMIT_EXCEEDED / PURCHASE_LIMIT_EXCEEDED when the customer would hold or buy more than the limits allow.',
  request: { body: { ...json(AddItemInput), required: true }, query },
  responses: { 201: cart('The cart'), ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const setQuantity = defineRoute({
  method: 'patch',
  path: '/items/{lineId}',
  auth: 'optional',
  tags,
  summary: 'Change a line’s quantity',
  request: { params: LineIdParams, body: { ...json(SetQuantityInput), required: true }, query },
  responses: { 200: cart('The cart'), ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const removeLine = defineRoute({
  method: 'delete',
  path: '/items/{lineId}',
  auth: 'optional',
  tags,
  summary: 'Remove a line',
  request: { params: LineIdParams, query },
  responses: { 200: cart('The cart'), ...problems(404), ...authProblems, ...apiProblems },
});

export const clearCart = defineRoute({
  method: 'delete',
  path: '/',
  auth: 'optional',
  tags,
  summary: 'Empty the cart',
  responses: { 204: { description: 'Emptied' }, ...authProblems, ...apiProblems },
});

export const mergeCart = defineRoute({
  method: 'post',
  path: '/merge',
  auth: 'required',
  tags,
  summary: 'Merge an anonymous cart into mine',
  description: 'Quantities of the same SKU are summed up to the per-line limit; the anonymous cart is emptied. Logging in with `X-Cart-Id` does this too.',
  request: { body: { ...json(MergeInput), required: true }, query },
  responses: { 200: cart('The merged cart'), ...problems(404), ...authProblems, ...apiProblems },
});

export const addDiscount = defineRoute({
  method: 'post',
  path: '/discounts',
  auth: 'optional',
  tags,
  summary: 'Enter a discount code',
  description:
    'Keeps the code with the cart (signed-in or anonymous, as the cart) and answers the cart priced with it: `promotions` lists what applies, ' +
    '`codes` each entered code with `applied` or the stable `reason` it does not (expired, not_started, minimum_not_met, limit_reached, ' +
    'not_eligible, sign_in_required, not_combinable, ...). At most one code applies, with the automatic promotions (docs/promotions.md). ' +
    'A code no promotion has: 404 NOT_FOUND and nothing is kept; more than 5 codes: 409.',
  request: { body: { ...json(AddDiscountInput), required: true }, query },
  responses: { 200: cart('The cart with the code'), ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const removeDiscount = defineRoute({
  method: 'delete',
  path: '/discounts/{code}',
  auth: 'optional',
  tags,
  summary: 'Remove a discount code',
  description: 'Forgets the code (compared upper-case); 404 when the cart has no such code.',
  request: { params: DiscountCodeParams, query },
  responses: { 200: cart('The cart without the code'), ...problems(404), ...authProblems, ...apiProblems },
});
