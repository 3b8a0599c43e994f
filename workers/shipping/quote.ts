import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../shared/context';
import { addresses, pickupPoints, productVariants, products, shippingMethods, shippingRates, shippingZones } from '../../shared/db/schema';
import type { LocalizedNames, RateRule, ShippingAddress, ShippingMethodKind } from '../../shared/db/schema';

/** Where a delivery goes, as far as shipping cares. */
export interface Destination {
  country: string;
  regionCode: string | null;
}

/** The destination given inline, or as a saved address of the caller (read in the same statement). */
export type Lookup = { destination: Destination } | { addressId: string; userId: string };

export interface PointOption {
  id: string;
  name: string;
  address: string;
  regionCode: string;
  hours: string;
}

/** A method that reaches the destination, with its rate in the most specific zone that holds it. */
export interface Candidate {
  methodId: string;
  sellerId: string | null;
  kind: ShippingMethodKind;
  names: LocalizedNames;
  currency: string;
  minDays: number;
  maxDays: number;
  rule: RateRule;
  /** Pickup methods: the owner's active points at the destination. */
  points: PointOption[];
}

export interface Candidates {
  /** The saved address, when looked up by id (undefined when it is not the caller's). */
  address?: ShippingAddress & { regionCode: string | null };
  destination: Destination | undefined;
  /** Each SKU's seller and weight (null: unknown). */
  skus: Map<string, { sellerId: string; weightGrams: number | null }>;
  methods: Candidate[];
  /** What the caller's own expression (`alongside`) answered. */
  alongside?: unknown;
}

const jsonList = (values: string[]): SQL => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

const addressJson = sql`json_build_object('recipientName', a.recipient_name, 'phone', a.phone, 'country', a.country,
  'region', a.region, 'regionCode', a.region_code, 'district', a.district, 'city', a.city, 'mahalla', a.mahalla, 'street', a.street,
  'house', a.house, 'apartment', a.apartment, 'postalCode', a.postal_code, 'landmark', a.landmark)`;

/**
 * Everything shipping needs for a cart, in one statement: the destination
 * (or the saved address it comes from), the SKUs' sellers and weights, and
 * the active methods of those sellers and of the platform that have a rate in
 * a zone holding the destination (a zone naming the region wins over a
 * whole-country zone), each pickup method with its owner's points there.
 * `alongside`: an expression of the caller's read in the same statement
 * (checkout's catalog read), answered as `alongside`.
 */
export async function readCandidates(deps: Deps, skus: string[], lookup: Lookup, alongside?: SQL): Promise<Candidates> {
  const saved = 'addressId' in lookup;
  const dest = saved
    ? sql`select a.country, a.region_code from ${addresses} a where a.id = ${lookup.addressId} and a.user_id = ${lookup.userId}`
    : sql`select ${lookup.destination.country}::text as country, ${lookup.destination.regionCode}::text as region_code`;
  const rows = await deps.db.execute<{
    address: (ShippingAddress & { regionCode: string | null }) | null;
    destination: { country: string; region_code: string | null } | null;
    skus: Array<{ sku: string; seller_id: string; weight_grams: number | null }> | null;
    methods: Array<Omit<Candidate, 'points'> & { points: PointOption[] | null }> | null;
    alongside: unknown;
  }>(sql`
    with dest as (${dest}),
    sku as (
      select v.sku, v.weight_grams, p.seller_id from ${productVariants} v join ${products} p on p.id = v.product_id
      where v.sku in ${jsonList(skus)}
    ), zone as (
      select z.id, cardinality(z.region_codes) > 0 as specific from ${shippingZones} z join dest d on z.country = d.country
      where cardinality(z.region_codes) = 0 or d.region_code = any(z.region_codes)
    ), method as (
      select distinct on (m.id) m.id, m.seller_id, m.kind, m.names, m.currency, m.min_days, m.max_days, r.rule
      from ${shippingMethods} m join ${shippingRates} r on r.method_id = m.id join zone z on z.id = r.zone_id
      where m.active and (m.seller_id is null or m.seller_id in (select seller_id from sku))
      order by m.id, z.specific desc
    )
    select
      ${saved ? sql`(select ${addressJson} from ${addresses} a where a.id = ${lookup.addressId} and a.user_id = ${lookup.userId})` : sql`null::json`} as address,
      (select row_to_json(d) from dest d) as destination,
      (select json_agg(row_to_json(x)) from sku x) as skus,
      (select json_agg(json_build_object('methodId', m.id, 'sellerId', m.seller_id, 'kind', m.kind, 'names', m.names,
          'currency', m.currency, 'minDays', m.min_days, 'maxDays', m.max_days, 'rule', m.rule,
          'points', case when m.kind = 'pickup' then (
            select json_agg(json_build_object('id', pp.id, 'name', pp.name, 'address', pp.address, 'regionCode', pp.region_code,
              'hours', pp.hours) order by pp.name, pp.id)
            from ${pickupPoints} pp, dest d
            where pp.active and pp.seller_id is not distinct from m.seller_id and pp.country = d.country
              and (d.region_code is null or pp.region_code = d.region_code)) end)
        order by m.seller_id nulls last, m.kind, m.id) from method m) as methods,
      ${alongside ?? sql`null::json`} as alongside`);
  const row = rows.rows[0];
  return {
    ...(row?.address ? { address: row.address } : {}),
    destination: row?.destination ? { country: row.destination.country, regionCode: row.destination.region_code } : undefined,
    skus: new Map((row?.skus ?? []).map((s) => [s.sku, { sellerId: s.seller_id, weightGrams: s.weight_grams }])),
    methods: (row?.methods ?? []).map((m) => ({ ...m, points: m.points ?? [] })),
    ...(alongside ? { alongside: row?.alongside } : {}),
  };
}
