import { productInput } from '../../support/catalog';
import { type AccessTable, adminOnly, open, outcomes, publicRead, sellerOwned, sellersAndAdmin } from '../types';

/** Seller A's draft, and its SKU, exist only for seller A and admins: to everyone else they are 404. */
const draftVisibility = outcomes(publicRead(404), { seller: 200, admin: 200 });

/** /categories, /products, /search, /recommendations and /inventory. */
export const catalog: AccessTable = {
  'GET /api/v1/categories': { request: () => ({}), expect: open(200) },
  'POST /api/v1/categories': {
    request: () => ({ body: { slug: `authz-${crypto.randomUUID().slice(0, 8)}`, name: 'Authz category' } }),
    expect: adminOnly(201),
  },
  'PUT /api/v1/categories/{id}': {
    // Rewrites the shared category with what it already holds.
    request: ({ fx }) => ({ params: { id: fx.category.id }, body: { slug: fx.category.slug, name: 'Category' } }),
    expect: adminOnly(200),
  },
  'DELETE /api/v1/categories/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.category.id : (await make.category()).id } }),
    expect: adminOnly(204),
  },

  'GET /api/v1/products': { request: () => ({ query: { limit: '5' } }), expect: publicRead(200) },
  'POST /api/v1/products': { request: ({ fx }) => ({ body: productInput(fx.category.id) }), expect: sellersAndAdmin(201) },
  'GET /api/v1/products/{id}': { request: ({ fx }) => ({ params: { id: fx.draft.id } }), expect: draftVisibility },
  'PUT /api/v1/products/{id}': {
    request: ({ fx }) => ({ params: { id: fx.product.id }, body: fx.productBody }),
    expect: sellerOwned(200),
  },
  'DELETE /api/v1/products/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.product.id : (await make.product()).id } }),
    expect: sellerOwned(204),
  },
  'GET /api/v1/search': { request: () => ({ query: { q: 'product' } }), expect: open(200) },
  'GET /api/v1/recommendations': { request: () => ({}), expect: publicRead(200) },

  'POST /api/v1/inventory/reconcile': { request: ({ fx }) => ({ body: { skus: [fx.sku] } }), expect: adminOnly(200) },
  'GET /api/v1/inventory': {
    request: () => ({}),
    expect: sellersAndAdmin(200),
    note: 'A seller gets its own SKUs only; an admin every SKU.',
  },
  'GET /api/v1/inventory/{sku}': { request: ({ fx }) => ({ params: { sku: fx.draftSku } }), expect: draftVisibility },
  'PUT /api/v1/inventory/{sku}': {
    request: ({ fx }) => ({ params: { sku: fx.draftSku }, body: { onHand: 10 } }),
    expect: sellerOwned(200),
  },
  'POST /api/v1/inventory/{sku}/adjust': {
    request: ({ fx }) => ({ params: { sku: fx.draftSku }, body: { delta: 1, reason: 'restock' } }),
    expect: sellerOwned(200),
  },
  'GET /api/v1/inventory/{sku}/movements': { request: ({ fx }) => ({ params: { sku: fx.sku } }), expect: sellerOwned(200) },
  'PUT /api/v1/inventory/{sku}/shards': {
    request: ({ fx }) => ({ params: { sku: fx.draftSku }, body: { count: 1 } }),
    expect: adminOnly(200),
    note: 'Admin only, the owning seller included: the shard count is how the platform carries a sale, not stock.',
  },
};
