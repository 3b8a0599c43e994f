import { z } from '@hono/zod-openapi';
import { SHIPPING_METHOD_KINDS } from '../../shared/db/schema';
import { ReaderLocaleQuery } from '../../shared/locale';
import { PageQuerySchema } from '../../shared/pagination';

const Id = (description: string) => z.uuid().openapi({ description, example: '01930000-0000-7000-8000-000000000010' });
const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as UZ')
  .openapi({ description: 'ISO 3166-1 alpha-2 country', example: 'UZ' });
const RegionCode = z.string().trim().min(1).max(20).openapi({ description: 'Region code (UZ: ISO 3166-2:UZ, see GET /shipping/regions)', example: 'UZ-TK' });
const Amount = (description: string) => z.number().int().min(0).max(1_000_000_000_000).openapi({ description, example: 25_000 });
const Currency = z.string().regex(/^[A-Z]{3}$/).openapi({ description: 'ISO 4217 currency of the method’s amounts', example: 'UZS' });

export const LocalizedNames = z
  .strictObject({
    uz: z.string().trim().min(1).max(100).openapi({ example: 'Kuryer' }),
    ru: z.string().trim().min(1).max(100).openapi({ example: 'Курьер' }),
    en: z.string().trim().min(1).max(100).openapi({ example: 'Courier' }),
  })
  .openapi('LocalizedNames', { description: 'A name in every locale (uz, ru, en)' });

/** A method's name in the answer's locale (Content-Language), beside `names` (every locale). */
const LocalizedName = z.string().openapi({
  description: 'The name in the locale of `?locale=` or Accept-Language (Content-Language says which), else the default locale’s',
  example: 'Курьер',
});

export const Region = z
  .object({ code: z.string().openapi({ example: 'UZ-TK' }), country: z.string().openapi({ example: 'UZ' }), names: LocalizedNames })
  .openapi('Region');
export const RegionList = z.object({ data: z.array(Region) }).openapi('RegionList');

// ---- zones ----

export const ZoneInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ description: 'For admins', example: 'Tashkent' }),
    country: Country,
    regionCodes: z
      .array(RegionCode)
      .max(100)
      .default([])
      .openapi({ description: 'The regions it covers; empty = the whole country', example: ['UZ-TK', 'UZ-TO'] }),
  })
  .openapi('ShippingZoneInput');

export const Zone = z
  .object({ id: z.uuid(), name: z.string(), country: z.string(), regionCodes: z.array(z.string()), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() })
  .openapi('ShippingZone');

export const ListZonesQuery = PageQuerySchema.extend({ country: Country.optional() });

// ---- methods ----

const freeAbove = Amount('Free when the seller group’s subtotal is at least this (method currency, minor units)').nullable().optional();

export const WeightBand = z
  .strictObject({
    upToGrams: z.number().int().min(1).max(1_000_000).openapi({ description: 'Weights up to and including this', example: 5000 }),
    amount: Amount('Price for this band, minor units'),
  })
  .openapi('WeightBand');

export const RateInput = z
  .discriminatedUnion('type', [
    z.strictObject({ zoneId: Id('The zone'), type: z.literal('flat'), amount: Amount('Price, minor units'), freeAbove }),
    z.strictObject({
      zoneId: Id('The zone'),
      type: z.literal('weight'),
      bands: z.array(WeightBand).min(1).max(50).openapi({ description: 'Ascending by upToGrams; heavier than the last band: not offered' }),
      freeAbove,
    }),
  ])
  .openapi('ShippingRate', { description: 'The method’s price in one zone' });

const methodFields = {
  kind: z.enum(SHIPPING_METHOD_KINDS).openapi({ description: 'courier, post, or pickup (the buyer picks a pickup point)', example: 'courier' }),
  names: LocalizedNames,
  currency: Currency,
  minDays: z.number().int().min(0).max(365).openapi({ description: 'Delivery estimate, fewest days', example: 1 }),
  maxDays: z.number().int().min(0).max(365).openapi({ description: 'Delivery estimate, most days', example: 3 }),
  active: z.boolean().openapi({ description: 'Offered to buyers', example: true }),
  rates: z.array(RateInput).max(100).openapi({ description: 'One rate per zone; the method is offered only where it has one' }),
};

const checkMethod = <T extends { minDays?: number; maxDays?: number; rates?: Array<{ zoneId: string; type: string; bands?: Array<{ upToGrams: number }> }> }>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.minDays !== undefined && value.maxDays !== undefined && value.maxDays < value.minDays) {
    ctx.addIssue({ code: 'custom', path: ['maxDays'], message: 'must be at least minDays' });
  }
  const zones = new Set<string>();
  value.rates?.forEach((rate, i) => {
    if (zones.has(rate.zoneId)) ctx.addIssue({ code: 'custom', path: ['rates', i, 'zoneId'], message: 'one rate per zone' });
    zones.add(rate.zoneId);
    rate.bands?.forEach((band, j) => {
      const previous = rate.bands?.[j - 1];
      if (previous && band.upToGrams <= previous.upToGrams) {
        ctx.addIssue({ code: 'custom', path: ['rates', i, 'bands', j, 'upToGrams'], message: 'bands must ascend by upToGrams' });
      }
    });
  });
};

export const CreateMethodInput = z
  .strictObject({
    ...methodFields,
    active: methodFields.active.default(true),
    sellerId: z.uuid().nullable().optional().openapi({ description: 'Admin only: a seller’s method (default: the platform’s). A seller’s own methods are always its.' }),
  })
  .superRefine(checkMethod)
  .openapi('CreateShippingMethodInput');

export const UpdateMethodInput = z
  .strictObject({
    kind: methodFields.kind.optional(),
    names: methodFields.names.optional(),
    currency: methodFields.currency.optional(),
    minDays: methodFields.minDays.optional(),
    maxDays: methodFields.maxDays.optional(),
    active: methodFields.active.optional(),
    rates: methodFields.rates.optional().openapi({ description: 'Replaces all the method’s rates' }),
  })
  .superRefine(checkMethod)
  .openapi('UpdateShippingMethodInput');

export const Rate = z
  .object({
    zoneId: z.uuid(),
    type: z.enum(['flat', 'weight']),
    amount: z.number().int().optional(),
    bands: z.array(z.object({ upToGrams: z.number().int(), amount: z.number().int() })).optional(),
    freeAbove: z.number().int().nullable().optional(),
  })
  .openapi('ShippingRateView');

export const Method = z
  .object({
    id: z.uuid(),
    sellerId: z.uuid().nullable().openapi({ description: 'null: the platform’s method' }),
    kind: z.enum(SHIPPING_METHOD_KINDS),
    name: LocalizedName,
    names: LocalizedNames,
    currency: z.string(),
    minDays: z.number().int(),
    maxDays: z.number().int(),
    active: z.boolean(),
    rates: z.array(Rate),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('ShippingMethod');

export const ListMethodsQuery = PageQuerySchema.extend({
  sellerId: z.uuid().optional().openapi({ description: 'Only this seller’s methods' }),
  platform: z.enum(['true', 'false']).optional().openapi({ description: 'true: only the platform’s methods' }),
  kind: z.enum(SHIPPING_METHOD_KINDS).optional(),
  ...ReaderLocaleQuery.shape,
});

// ---- pickup points ----

const pointFields = {
  name: z.string().trim().min(1).max(100).openapi({ example: 'Chilonzor pickup point' }),
  address: z.string().trim().min(1).max(300).openapi({ example: 'Toshkent, Chilonzor 9-kvartal, 12' }),
  country: Country,
  regionCode: RegionCode,
  hours: z.string().trim().min(1).max(200).openapi({ description: 'Opening hours, as people read them', example: 'Mon–Sat 09:00–20:00' }),
  active: z.boolean().openapi({ example: true }),
};

export const CreatePointInput = z
  .strictObject({
    ...pointFields,
    active: pointFields.active.default(true),
    sellerId: z.uuid().nullable().optional().openapi({ description: 'Admin only: a seller’s point (default: the platform’s)' }),
  })
  .openapi('CreatePickupPointInput');

export const UpdatePointInput = z
  .strictObject({
    name: pointFields.name.optional(),
    address: pointFields.address.optional(),
    country: pointFields.country.optional(),
    regionCode: pointFields.regionCode.optional(),
    hours: pointFields.hours.optional(),
    active: pointFields.active.optional(),
  })
  .openapi('UpdatePickupPointInput');

export const Point = z
  .object({
    id: z.uuid(),
    sellerId: z.uuid().nullable(),
    name: z.string(),
    address: z.string(),
    country: z.string(),
    regionCode: z.string(),
    hours: z.string(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('PickupPoint');

export const ListPointsQuery = PageQuerySchema.extend({
  sellerId: z.uuid().optional().openapi({ description: 'Only this seller’s points' }),
  platform: z.enum(['true', 'false']).optional().openapi({ description: 'true: only the platform’s points' }),
  country: Country.optional(),
  regionCode: RegionCode.optional(),
});

// ---- options for the cart ----

export const OptionsQuery = z
  .object({
    addressId: z.uuid().optional().openapi({ description: 'One of my saved addresses (signed in)' }),
    country: Country.optional(),
    regionCode: RegionCode.optional(),
    ...ReaderLocaleQuery.shape,
  })
  .refine((q) => q.addressId !== undefined || q.country !== undefined, { message: 'addressId or country is required', path: ['country'] });

export const PickupPointOption = z
  .object({ id: z.uuid(), name: z.string(), address: z.string(), regionCode: z.string(), hours: z.string() })
  .openapi('PickupPointOption');

export const ShippingOption = z
  .object({
    methodId: z.uuid(),
    sellerId: z.uuid().nullable().openapi({ description: 'null: a platform method' }),
    kind: z.enum(SHIPPING_METHOD_KINDS),
    name: LocalizedName,
    names: LocalizedNames,
    price: z.number().int().openapi({ description: 'What this seller group pays for it, minor units', example: 15_000 }),
    currency: z.string(),
    minDays: z.number().int(),
    maxDays: z.number().int(),
    pickupPoints: z.array(PickupPointOption).openapi({ description: 'For pickup: the points in the address’s region to choose from' }),
  })
  .openapi('ShippingOption');

export const SellerGroupOptions = z
  .object({
    sellerId: z.uuid(),
    subtotal: z.number().int(),
    weightGrams: z.number().int().nullable().openapi({ description: 'null when a line’s weight is unknown (weight-priced methods are then not offered)' }),
    choiceRequired: z.boolean().openapi({ description: 'false: no method applies; the group ships at the flat rate (see docs/shipping.md)' }),
    options: z.array(ShippingOption),
  })
  .openapi('SellerGroupShippingOptions');

export const ShippingOptions = z
  .object({
    currency: z.string(),
    destination: z.object({ country: z.string(), regionCode: z.string().nullable() }),
    groups: z.array(SellerGroupOptions),
  })
  .openapi('ShippingOptions');

/** One seller group's choice at checkout (POST /orders `shipping`). */
export const ShippingChoiceInput = z
  .strictObject({
    sellerId: z.uuid().openapi({ description: 'The seller group' }),
    methodId: z.uuid().openapi({ description: 'One of the group’s options' }),
    pickupPointId: z.uuid().optional().openapi({ description: 'Required for a pickup method: one of its points in the address’s region' }),
  })
  .openapi('ShippingChoiceInput');

export const IdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export type ZoneInput = z.infer<typeof ZoneInput>;
export type Zone = z.infer<typeof Zone>;
export type CreateMethodInput = z.infer<typeof CreateMethodInput>;
export type UpdateMethodInput = z.infer<typeof UpdateMethodInput>;
export type RateInput = z.infer<typeof RateInput>;
export type Method = z.infer<typeof Method>;
export type CreatePointInput = z.infer<typeof CreatePointInput>;
export type UpdatePointInput = z.infer<typeof UpdatePointInput>;
export type Point = z.infer<typeof Point>;
export type ShippingOptions = z.infer<typeof ShippingOptions>;
export type ShippingChoiceInput = z.infer<typeof ShippingChoiceInput>;
