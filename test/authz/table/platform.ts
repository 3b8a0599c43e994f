import { endpointInput, uploadForm } from '../platform-fixtures';
import { type AccessTable, adminOnly, open, outcomes, ownerOnly, publicRead, sellerOwned, sellersAndAdmin, signedIn } from '../types';

/** Seller A's figures: seller B asking for them is 403 (a seller sees only its own; the filter is admin-only). */
const sellerFigures = outcomes(sellersAndAdmin(200), { otherSeller: 403 });
const lastMonth = () => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) });

/** /notifications, /webhooks/endpoints, /files, /products/{id}/images, /analytics and /dev. */
export const platform: AccessTable = {
  'POST /api/v1/products/{id}/images': {
    // Admins may attach anyone's upload; seller A attaches its own.
    request: async ({ fx, make }) => ({ params: { id: fx.product.id }, body: { fileIds: [await make.sellerImage()] } }),
    expect: sellerOwned(200),
  },
  'PUT /api/v1/products/{id}/images': {
    request: ({ fx }) => ({ params: { id: fx.product.id }, body: { fileIds: [] } }),
    expect: sellerOwned(200),
  },
  'DELETE /api/v1/products/{id}/images/{fileId}': {
    request: async ({ fx, make }) => ({ params: { id: fx.product.id, fileId: await make.attachedImage() } }),
    expect: sellerOwned(204),
  },

  'POST /api/v1/files': { request: () => ({ form: uploadForm() }), expect: signedIn(201) },
  'GET /api/v1/files': { request: () => ({}), expect: signedIn(200) },
  'GET /api/v1/files/{id}': [
    {
      scenario: 'private',
      request: ({ fx }) => ({ params: { id: fx.platform.privateFileId } }),
      // A download needs no token, so an anonymous caller gets what any stranger gets: 404.
      expect: outcomes(ownerOnly(200), { anonymous: 404 }),
    },
    { scenario: 'public', request: ({ fx }) => ({ params: { id: fx.platform.publicFileId } }), expect: publicRead(200) },
  ],
  'DELETE /api/v1/files/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.platform.privateFileId : await make.file() } }),
    expect: ownerOnly(204),
  },

  'GET /api/v1/notifications': { request: () => ({}), expect: signedIn(200) },
  'POST /api/v1/notifications/read-all': { request: () => ({}), expect: signedIn(200) },
  'POST /api/v1/notifications/{id}/read': {
    request: ({ fx }) => ({ params: { id: fx.platform.notificationId } }),
    // Own notifications only: an admin has no business reading a customer's inbox either.
    expect: { ...ownerOnly(200), admin: 404 },
  },
  'GET /api/v1/notifications/failed': { request: () => ({}), expect: adminOnly(200) },
  'POST /api/v1/notifications/failed/{id}/retry': {
    request: async ({ make }) => ({ params: { id: await make.failedEmail() } }),
    expect: adminOnly(202),
  },

  'POST /api/v1/webhooks/endpoints': { request: () => ({ body: endpointInput() }), expect: adminOnly(201) },
  'GET /api/v1/webhooks/endpoints': { request: () => ({}), expect: adminOnly(200) },
  'GET /api/v1/webhooks/endpoints/{id}': { request: ({ fx }) => ({ params: { id: fx.platform.endpointId } }), expect: adminOnly(200) },
  'DELETE /api/v1/webhooks/endpoints/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.platform.endpointId : await make.endpoint() } }),
    expect: adminOnly(204),
  },
  'POST /api/v1/webhooks/endpoints/{id}/enable': {
    request: ({ fx }) => ({ params: { id: fx.platform.endpointId } }),
    expect: adminOnly(200),
  },
  'GET /api/v1/webhooks/endpoints/{id}/deliveries': {
    request: ({ fx }) => ({ params: { id: fx.platform.endpointId } }),
    expect: adminOnly(200),
  },
  'POST /api/v1/webhooks/endpoints/{id}/deliveries/{deliveryId}/resend': {
    request: ({ fx }) => ({ params: { id: fx.platform.endpointId, deliveryId: fx.platform.deliveryId } }),
    expect: adminOnly(202),
  },

  'GET /api/v1/analytics/overview': [
    { scenario: 'own figures', request: () => ({ query: lastMonth() }), expect: sellersAndAdmin(200) },
    { scenario: "seller A's figures", request: ({ fx }) => ({ query: { ...lastMonth(), sellerId: fx.users.seller.id } }), expect: sellerFigures },
  ],
  'GET /api/v1/analytics/sales': {
    request: ({ fx }) => ({ query: { ...lastMonth(), sellerId: fx.users.seller.id } }),
    expect: sellerFigures,
  },
  'GET /api/v1/analytics/top-products': {
    request: ({ fx }) => ({ query: { ...lastMonth(), sellerId: fx.users.seller.id } }),
    expect: sellerFigures,
  },

  // DEV_ROUTES is off outside `npm run dev`: the route does not exist for anyone.
  'GET /api/v1/dev/outbox': { request: () => ({}), expect: open(404) },
};
