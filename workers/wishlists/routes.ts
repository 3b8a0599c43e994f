import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import { AddWishlistItemInput, UpdateWishlistItemInput, WishlistItem, WishlistQuery, WishlistSkuParams } from './schemas';

const tags = ['Wishlist'];

export const listWishlist = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'My wishlist',
  description: 'Newest first, each item with its current price and live stock. An item whose product was unpublished or whose SKU was removed stays listed with `purchasable: false`.',
  request: { query: WishlistQuery },
  responses: { 200: { description: 'A page of wished variants', ...json(pageOf(WishlistItem)) }, ...authProblems, ...apiProblems },
});

export const addWishlistItem = defineRoute({
  method: 'post',
  path: '/items',
  auth: 'required',
  tags,
  summary: 'Wish a variant',
  description:
    'Idempotent: adding a SKU already on the wishlist answers 200 with the item (its `notify` changed when given); a new one answers 201. ' +
    '404 for a SKU that is unknown or not for sale; 409 when the wishlist already holds 500 items.',
  request: { body: { ...json(AddWishlistItemInput), required: true } },
  responses: {
    200: { description: 'Already wished', ...json(WishlistItem) },
    201: { description: 'Added', ...json(WishlistItem) },
    ...problems(404, 409),
    ...authProblems,
    ...apiProblems,
  },
});

export const updateWishlistItem = defineRoute({
  method: 'patch',
  path: '/items/{sku}',
  auth: 'required',
  tags,
  summary: 'Turn an item’s notifications on or off',
  description: 'Turning them on measures from the current price and stock: only later changes are told.',
  request: { params: WishlistSkuParams, body: { ...json(UpdateWishlistItemInput), required: true } },
  responses: { 200: { description: 'The item', ...json(WishlistItem) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const removeWishlistItem = defineRoute({
  method: 'delete',
  path: '/items/{sku}',
  auth: 'required',
  tags,
  summary: 'Remove a variant from my wishlist',
  request: { params: WishlistSkuParams },
  responses: { 204: { description: 'Removed' }, ...problems(404), ...authProblems, ...apiProblems },
});
