import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';
import { RoleSchema } from '../../shared/schemas/role';

/** Shared with orders (a shipping address given at checkout). */
export { AddressInput } from '../../shared/schemas/address';

const Id = z.uuid().openapi({ description: 'UUIDv7 id', example: '01930000-0000-7000-8000-000000000001' });

export const UserIdParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

export const AdminUser = z
  .object({
    id: Id,
    email: z.string().nullable().openapi({ description: 'Email address; null for an account made by phone sign-in', example: 'ada@example.com' }),
    name: z.string().openapi({ description: 'Display name', example: 'Ada Lovelace' }),
    role: RoleSchema,
    disabled: z.boolean().openapi({ description: 'A disabled user cannot sign in or use tokens', example: false }),
    phone: z.string().nullable().openapi({ description: 'E.164 phone', example: '+998901234567' }),
    locale: z.string().nullable().openapi({ description: 'Preferred language', example: 'uz' }),
    emailVerified: z.boolean().openapi({ description: 'Whether the email was confirmed', example: true }),
    phoneVerified: z.boolean().openapi({ description: 'Whether the phone was proved by an SMS code', example: true }),
    phoneOnly: z.boolean().openapi({ description: 'True for an account made by phone sign-in that has no email and password yet', example: false }),
    createdAt: z.iso.datetime().openapi({ description: 'Created at', example: '2026-11-28T10:00:00.000Z' }),
    updatedAt: z.iso.datetime().openapi({ description: 'Updated at', example: '2026-11-28T10:00:00.000Z' }),
  })
  .openapi('AdminUser');

export const ListUsersQuery = PageQuerySchema.extend({
  role: RoleSchema.optional(),
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .optional()
    .openapi({ description: 'Case-insensitive substring of the email', example: 'example.com' }),
});

export const PatchUserInput = z
  .strictObject({
    role: RoleSchema.optional(),
    disabled: z.boolean().optional().openapi({ description: 'Disable (true) or re-enable (false)', example: true }),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, 'role or disabled is required')
  .openapi('PatchUserInput');

export const Address = z
  .object({
    id: Id,
    recipientName: z.string(),
    phone: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    regionCode: z.string().nullable().openapi({ description: 'Region code (UZ: ISO 3166-2:UZ)', example: 'UZ-TK' }),
    district: z.string().nullable(),
    city: z.string(),
    mahalla: z.string().nullable(),
    street: z.string(),
    house: z.string().nullable(),
    apartment: z.string().nullable(),
    postalCode: z.string().nullable(),
    landmark: z.string().nullable(),
    isDefault: z.boolean().openapi({ description: 'The default shipping address', example: true }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Address');

export const AddressList = z.object({ data: z.array(Address) }).openapi('AddressList');

export type AdminUser = z.infer<typeof AdminUser>;
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;
export type PatchUserInput = z.infer<typeof PatchUserInput>;
export type Address = z.infer<typeof Address>;
