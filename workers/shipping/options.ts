import type { Deps, Principal } from '../../shared/context';
import { NotFound, Unauthenticated, ValidationFailed } from '../../shared/errors';
import { type Locale, nameIn } from '../../shared/locale';
import { isRegionOf, REGION_MESSAGE, UZ_REGIONS } from '../../shared/regions';
import { resolveCart, viewCart } from '../cart/public';
import { sellerGroups } from './plan';
import { type Lookup, readCandidates } from './quote';
import type { ShippingOptions } from './schemas';

export const listRegions = () => ({ data: UZ_REGIONS.map((r) => ({ code: r.code, country: r.country, names: { ...r.names } })) });

function lookupOf(auth: Principal | undefined, query: { addressId?: string; country?: string; regionCode?: string }): Lookup {
  if (query.addressId) {
    if (!auth) throw new Unauthenticated('A saved address needs a signed-in caller; send country and regionCode instead.');
    return { addressId: query.addressId, userId: auth.userId };
  }
  const country = query.country as string;
  const regionCode = query.regionCode ?? null;
  if (regionCode !== null && !isRegionOf(country, regionCode)) throw new ValidationFailed([{ path: 'regionCode', message: REGION_MESSAGE }]);
  return { destination: { country, regionCode } };
}

/**
 * The current cart's seller groups and, for each, the shipping methods that
 * reach the destination with their price and estimate. Two round trips: the
 * cart's catalog read, then shipping's one statement. Method names in `locale`
 * (`name`, falling back to the default locale's) beside every locale's (`names`).
 */
export async function shippingOptions(
  deps: Deps,
  auth: Principal | undefined,
  cartIdHeader: string | undefined,
  query: { addressId?: string; country?: string; regionCode?: string },
  locale: Locale = deps.config.DEFAULT_LOCALE,
): Promise<ShippingOptions> {
  const lookup = lookupOf(auth, query);
  const { key, id, isNew } = resolveCart(auth, cartIdHeader);
  const cart = isNew ? undefined : await viewCart(deps, key, id, { locale });
  const lines = (cart?.lines ?? []).filter((l) => l.unitPrice !== null && l.currency === cart?.currency);
  const candidates = await readCandidates(
    deps,
    lines.map((l) => l.sku),
    lookup,
  );
  if ('addressId' in lookup && !candidates.address) throw new NotFound('address', lookup.addressId);
  const currency = cart?.currency ?? deps.config.DEFAULT_CURRENCY;
  const groups = sellerGroups(lines, candidates, currency);
  return {
    currency,
    destination: candidates.destination ?? { country: query.country ?? '', regionCode: query.regionCode ?? null },
    groups: groups.map((g) => ({
      sellerId: g.sellerId,
      subtotal: g.subtotal,
      weightGrams: g.weightGrams,
      choiceRequired: g.options.length > 0,
      options: g.options.map(({ candidate: c, price }) => ({
        methodId: c.methodId,
        sellerId: c.sellerId,
        kind: c.kind,
        name: nameIn(c.names, locale, deps.config.DEFAULT_LOCALE),
        names: c.names,
        price,
        currency: c.currency,
        minDays: c.minDays,
        maxDays: c.maxDays,
        pickupPoints: c.points,
      })),
    })),
  };
}
