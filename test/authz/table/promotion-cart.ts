import { createPromotion, enterCode, uniqueCode } from '../../support/promotion-checkout';
import { api, type TestUser } from '../../support/users';
import { type AccessTable, outcomes, publicRead, sellersAndAdmin, signedIn } from '../types';

/** A new 10% code (a promotion of its own), so each case starts from a code no cart holds. */
const freshCode = async () => (await createPromotion({ params: { kind: 'percentage', percent: 10 }, code: uniqueCode('AUTHZ') })).code ?? '';

/** Enters a fresh code in `user`'s cart, first removing the codes earlier cases left (a cart keeps at most five). */
async function codeInCartOf(user: TestUser): Promise<string> {
  const cart = await (await api('GET', '/cart', { token: user.accessToken })).json<{ codes: Array<{ code: string }> }>();
  for (const { code } of cart.codes) await api('DELETE', `/cart/discounts/${code}`, { token: user.accessToken });
  const code = await freshCode();
  const entered = await enterCode(user, code);
  if (entered.status !== 200) throw new Error(`code not entered: ${entered.status} ${await entered.text()}`);
  return code;
}

const lastMonth = () => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) });

/** Discount codes on the cart and redemption figures (docs/promotions.md, "Cart, checkout and limits"). */
export const promotionCart: AccessTable = {
  'POST /api/v1/cart/discounts': {
    request: async () => ({ body: { code: await freshCode() } }),
    expect: publicRead(200),
    note: 'Anyone enters a code on its own cart (anonymous: the X-Cart-Id cart); a disabled account is 401 as everywhere.',
  },
  'DELETE /api/v1/cart/discounts/{code}': {
    request: async ({ fx }) => ({ params: { code: await codeInCartOf(fx.users.customer) } }),
    expect: outcomes(signedIn(404), { anonymous: 404, customer: 200 }),
    note: "The code is in customer A's cart; every other caller addresses its own cart, which does not hold it: 404.",
  },
  'GET /api/v1/analytics/promotions': {
    request: ({ fx }) => ({ query: { ...lastMonth(), sellerId: fx.users.seller.id } }),
    expect: outcomes(sellersAndAdmin(200), { otherSeller: 403 }),
    note: "Seller A's promotions: seller B asking for them is 403 (a seller sees only the promotions it funds).",
  },
};
