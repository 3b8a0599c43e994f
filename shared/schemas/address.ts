import { z } from '@hono/zod-openapi';
import { isRegionOf, REGION_MESSAGE } from '../regions';
import { PhoneSchema } from './phone';

const text = (max: number, description: string, example: string) =>
  z.string().trim().min(1).max(max).openapi({ description, example });
const optionalText = (max: number, description: string, example: string) =>
  text(max, description, example).nullable().optional();

/** Fits Uzbekistan (viloyat, tuman, mahalla, landmark) and anywhere else. The fields, without the cross-field checks. */
export const AddressFields = z
  .strictObject({
    recipientName: text(100, 'Who receives the parcel', 'Dilnoza Karimova'),
    phone: PhoneSchema,
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as UZ')
      .openapi({ description: 'ISO 3166-1 alpha-2 country', example: 'UZ' }),
    region: optionalText(100, 'Region / viloyat / state', 'Toshkent viloyati'),
    regionCode: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .nullable()
      .optional()
      .openapi({
        description:
          'Region code: for UZ one of the ISO 3166-2:UZ codes of GET /shipping/regions (UZ-TK Tashkent city … UZ-QR Karakalpakstan); free text elsewhere. Shipping zones match on it.',
        example: 'UZ-TK',
      }),
    district: optionalText(100, 'District / tuman / county', 'Chilonzor tumani'),
    city: text(100, 'City or town', 'Toshkent'),
    mahalla: optionalText(100, 'Mahalla (neighbourhood community)', 'Navbahor MFY'),
    street: text(200, 'Street', 'Bunyodkor ko‘chasi'),
    house: optionalText(20, 'House or building number', '12A'),
    apartment: optionalText(20, 'Apartment', '45'),
    postalCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9 -]{3,10}$/, 'must be 3-10 letters, digits, spaces or dashes')
      .nullable()
      .optional()
      .openapi({ description: 'Postal code', example: '100115' }),
    landmark: optionalText(200, 'Landmark for the courier', 'Opposite Chorsu bazaar, blue gate'),
    isDefault: z.boolean().optional().openapi({ description: 'Make this the default address', example: true }),
  });

/** A UZ address's region code must be one of the country's list (shared/regions.ts); elsewhere anything short goes. */
export function withRegionCheck<T extends z.ZodType<{ country: string; regionCode?: string | null }>>(schema: T): T {
  return schema.superRefine((address, ctx) => {
    if (address.regionCode != null && !isRegionOf(address.country, address.regionCode)) {
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: REGION_MESSAGE });
    }
  }) as unknown as T;
}

export const AddressInput = withRegionCheck(AddressFields).openapi('AddressInput');

/** An address for one delivery (an order's), without the address book's `isDefault`. */
export const ShippingAddressFields = withRegionCheck(AddressFields.omit({ isDefault: true }));

export type AddressInput = z.infer<typeof AddressInput>;
