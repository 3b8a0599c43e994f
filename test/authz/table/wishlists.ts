import { api } from '../../support/users';
import { type AccessTable, type CaseContext, signedIn } from '../types';

/** Makes the acting user's wishlist hold (or not hold) the fixture SKU before the case runs; anonymous and disabled callers have none. */
async function wish(c: CaseContext, held: boolean): Promise<void> {
  if (!c.user || c.actor === 'disabled') return;
  const token = c.user.accessToken;
  const res = held
    ? await api('POST', '/wishlist/items', { token, body: { sku: c.fx.sku } })
    : await api('DELETE', `/wishlist/items/${encodeURIComponent(c.fx.sku)}`, { token });
  if (![200, 201, 204, 404].includes(res.status)) throw new Error(`wishlist setup for ${c.actor} answered ${res.status}`);
}

/** /wishlist: every signed-in user keeps its own; a path names the caller's own item by SKU, so nobody can reach another's. */
export const wishlistsTable: AccessTable = {
  'GET /api/v1/wishlist': { request: () => ({}), expect: signedIn(200) },
  'POST /api/v1/wishlist/items': {
    request: async (c) => {
      await wish(c, false);
      return { body: { sku: c.fx.sku, notify: true } };
    },
    expect: signedIn(201),
  },
  'PATCH /api/v1/wishlist/items/{sku}': {
    request: async (c) => {
      await wish(c, true);
      return { params: { sku: c.fx.sku }, body: { notify: false } };
    },
    expect: signedIn(200),
  },
  'DELETE /api/v1/wishlist/items/{sku}': {
    request: async (c) => {
      await wish(c, true);
      return { params: { sku: c.fx.sku } };
    },
    expect: signedIn(204),
  },
};
